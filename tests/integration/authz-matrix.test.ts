import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createPointsRepository } from '../../src/modules/points/points.repository.ts';
import { createPointsService } from '../../src/modules/points/points.service.ts';
import { scopeFor } from '../../src/platform/auth/scope.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { ROLES, type Role } from '../../src/platform/db/schema.ts';
import { listRoutes, type RouteEntry } from '../../src/platform/http/route-table.ts';
import { createTestContext } from '../helpers/infra.ts';
import { type BranchSeed, SEEDED_COMPONENT, SEEDED_ENTRY, seedTwoBranches } from '../helpers/two-branches.ts';

/**
 * The authorization matrix, generated from the routes Express really serves: for every `/api/v1` route,
 * no token → 401 and every role its gate does not allow → 403; for scoped routes, a branch-A ops or RM
 * token naming branch B's RM, client, channel or conversation → 404 (or a per-line 400 for the import,
 * or absence from a list), with branch B's own token doing the same as a control. A route without an
 * entry in FIXTURES fails, so a new route cannot ship unchecked.
 */

type Seed = BranchSeed;

/**
 * A request that names `target`'s resources, made by a principal of `actor`'s branch. `expect` is the
 * status when target is another branch ('hides': 200, and the body must not mention the target's `mark`).
 */
type Probe = {
  params?: (target: Seed) => Record<string, string>;
  /** A query string (without '?'), when the resource is named there. */
  query?: (target: Seed) => string;
  body?: (target: Seed, actor: Seed) => object | string;
  contentType?: string;
  expect: 404 | 400 | 'hides';
  mark?: (target: Seed) => string;
  /** Why the same request by the target's own branch cannot be checked here (it is, elsewhere). */
  noControl?: string;
};
type Fixture = { params?: Record<string, string>; scoped?: Probe[] };

const csv = 'text/csv';
const FIXTURES: Record<string, Fixture> = {
  'GET /api/v1/whoami': {},
  'GET /api/v1/staff': {},
  'PUT /api/v1/staff/:userid': { params: { userid: 'matrix-staff' } },
  'POST /api/v1/auth/logout': {},
  'POST /api/v1/sidebar/jssdk-config': {},
  'GET /api/v1/sidebar/context': {
    scoped: [{ expect: 404, query: (t) => `externalUserid=${t.client}` }],
  },
  'GET /api/v1/sidebar/content': {
    scoped: [{ expect: 404, query: (t) => `externalUserid=${t.client}` }],
  },
  'GET /api/v1/inbox': {},
  'POST /api/v1/flash-sales': {},
  'GET /api/v1/flash-sales': {},
  'GET /api/v1/flash-sales/:id': { params: { id: 'matrix-sale' } },
  'POST /api/v1/flash-sales/:id/redemptions': { params: { id: 'matrix-sale' } },
  'POST /api/v1/flash-sales/:id/links': { params: { id: 'matrix-sale' } },
  'GET /api/v1/inbox/:id': { params: { id: '1' } },
  'GET /api/v1/audit-log': {},
  'GET /api/v1/channels': { scoped: [{ expect: 'hides', mark: (t) => t.channel }] },
  'POST /api/v1/channels': {
    scoped: [
      {
        expect: 404,
        body: (t) => ({ id: 'matrix-new', name: '矩阵', state: 'matrix-new', rmUserids: [t.rm] }),
        noControl: 'creating a channel calls WeCom; channels-scope tests cover it with the emulator',
      },
    ],
  },
  // Runs after GET /api/v1/channels (route order), whose control still lists branch B's live channel;
  // the seeded channel has no contact way, so the control archives it without calling WeCom.
  'POST /api/v1/channels/:id/archive': {
    scoped: [{ expect: 404, params: (t) => ({ id: t.channel }) }],
  },
  'GET /api/v1/groups': {},
  'POST /api/v1/groups': {},
  'POST /api/v1/groups/:chatId/archive': {},
  'GET /api/v1/rms': { scoped: [{ expect: 'hides', mark: (t) => t.rm }] },
  'PUT /api/v1/rms/:userid': {
    scoped: [
      {
        expect: 404,
        params: (t) => ({ userid: t.rm }),
        body: (t, actor) => ({ name: `RM ${t.rm}`, branch: actor.branch }),
      },
    ],
  },
  'POST /api/v1/compliance/check': {},
  'GET /api/v1/content/components': {},
  'GET /api/v1/content/components/:id/versions': {},
  'POST /api/v1/content/components': {},
  'POST /api/v1/content/components/:id/versions/:v/submit': {},
  'POST /api/v1/content/components/:id/versions/:v/approve': {},
  'POST /api/v1/content/components/:id/versions/:v/reject': {},
  'POST /api/v1/content/components/:id/preview': {},
  'POST /api/v1/content/outcomes': {
    scoped: [
      {
        expect: 404,
        body: (t) => ({
          componentId: SEEDED_COMPONENT,
          version: 1,
          variantId: t.variant,
          externalUserid: t.client,
          channel: 'text',
          outcome: 'sent',
        }),
      },
    ],
  },
  'GET /api/v1/content/components/:id/outcomes': {
    scoped: [{ expect: 'hides', params: () => ({ id: SEEDED_COMPONENT }), mark: (t) => t.variant }],
  },
  // The seeded probe has one variant per branch: a branch alone never sees it as an experiment.
  'GET /api/v1/experiments': {
    scoped: [
      {
        expect: 'hides',
        mark: (t) => t.variant,
        noControl: 'a branch sees no two-variant probe; experiments.test.ts shows a branch its own counts',
      },
    ],
  },
  'GET /api/v1/experiments/:componentId': {
    scoped: [
      {
        expect: 'hides',
        params: () => ({ componentId: SEEDED_COMPONENT }),
        mark: (t) => t.variant,
        noControl: 'a branch sees no two-variant probe; experiments.test.ts shows a branch its own counts',
      },
    ],
  },
  'POST /api/v1/experiments/recompute': {},
  'POST /api/v1/assist/suggest': {},
  'POST /api/v1/faq/import': {},
  'GET /api/v1/faq/export': {},
  'GET /api/v1/faq/pending': {},
  'GET /api/v1/faq/entries': {},
  'GET /api/v1/faq/entries/:id': { params: { id: 'card-lost' } },
  'POST /api/v1/faq/:id/versions/:v/approve': {},
  'POST /api/v1/faq/:id/versions/:v/reject': {},
  'GET /api/v1/faq/review-queue': {},
  'POST /api/v1/faq/review-queue/attach': {},
  'POST /api/v1/faq/review-queue/draft': {},
  'POST /api/v1/faq/review-queue/dismiss': {},
  'GET /api/v1/faq/deflection': {},
  'GET /api/v1/faq/ranker': {},
  'POST /api/v1/faq/ranker/refit': {},
  'GET /api/v1/conversations': { scoped: [{ expect: 'hides', mark: (t) => `chat-${t.branch}` }] },
  'POST /api/v1/conversations/:id/resolve': {
    scoped: [{ expect: 404, params: (t) => ({ id: String(t.conversation) }) }],
  },
  'POST /api/v1/clients/import': {
    scoped: [
      // Overwriting another branch's client's AUM band (and so its tier).
      { expect: 400, contentType: csv, body: (t) => `external_userid,aum_band\n${t.client},ge6m\n` },
      // Handing a new client to another branch's RM.
      {
        expect: 400,
        contentType: csv,
        body: (t, actor) => `external_userid,owner_rm\nwm-new-${actor.branch},${t.rm}\n`,
      },
    ],
  },
  'GET /api/v1/clients': { scoped: [{ expect: 'hides', mark: (t) => t.client }] },
  'GET /api/v1/clients/:id': { scoped: [{ expect: 404, params: (t) => ({ id: t.client }) }] },
  'GET /api/v1/clients/:id/timeline': { scoped: [{ expect: 404, params: (t) => ({ id: t.client }) }] },
  'POST /api/v1/activation-events': {
    scoped: [
      {
        // Answered per item: another branch's client is an item error, the batch a 200.
        expect: 'hides',
        body: (t, actor) => ({
          events: [
            {
              externalUserid: t.client,
              kind: 'first_deposit',
              ref: `matrix-${actor.branch}`,
              occurredAt: new Date().toISOString(),
            },
          ],
        }),
        mark: () => 'activated',
        noControl: 'activation.test.ts records events for clients in scope',
      },
    ],
  },
  'POST /api/v1/clients/:id/referral-code': {
    scoped: [
      {
        expect: 404,
        params: (t) => ({ id: t.client }),
        noControl:
          "creating a code calls WeCom; referral.test.ts covers the client's own RM with the emulator",
      },
    ],
  },
  'GET /api/v1/referrals': {
    scoped: [
      {
        expect: 'hides',
        mark: (t) => t.rm,
        noControl: 'no referral is seeded; referral.test.ts lists them',
      },
    ],
  },
  'POST /api/v1/referrals/:id/review': {
    scoped: [
      {
        expect: 404,
        params: () => ({ id: '1' }),
        body: () => ({ decision: 'approve', reason: 'matrix' }),
        noControl: 'no referral is seeded; referral.test.ts reviews them',
      },
    ],
  },
  'GET /api/v1/clients/:id/points': { scoped: [{ expect: 404, params: (t) => ({ id: t.client }) }] },
  'POST /api/v1/clients/:id/points/grants': {
    scoped: [{ expect: 404, params: (t) => ({ id: t.client }), body: () => ({ amount: 1, reason: '矩阵' }) }],
  },
  'POST /api/v1/points/entries/:id/reversal': {
    scoped: [
      {
        expect: 404,
        params: (t) => ({ id: String(seededGrants.get(t.branch)) }),
        body: () => ({ reason: '矩阵' }),
      },
    ],
  },
  'POST /api/v1/points/expiry-runs': {},
  'GET /api/v1/tiers/policy': {},
  'POST /api/v1/tiers/preview': {},
  'GET /api/v1/calendar': {},
  'GET /api/v1/calendar/entries': {},
  'GET /api/v1/calendar/entries/:id': {},
  'POST /api/v1/calendar/entries': {},
  'PUT /api/v1/calendar/entries/:id': {},
  'POST /api/v1/calendar/entries/:id/pause': {},
  'POST /api/v1/calendar/entries/:id/resume': {},
  'POST /api/v1/calendar/entries/:id/end': {},
  'POST /api/v1/calendar/entries/:id/preview': {},
  'GET /api/v1/calendar/entries/:id/stats': {
    scoped: [
      { expect: 'hides', params: () => ({ id: SEEDED_ENTRY }), query: () => 'by=rm', mark: (t) => t.rm },
    ],
  },
  'GET /api/v1/calendar/occurrences/:id': {
    scoped: [
      {
        expect: 'hides',
        params: () => ({ id: String(seededOccurrence) }),
        query: () => 'by=rm',
        mark: (t) => t.rm,
      },
    ],
  },
  'GET /api/v1/calendar/segments': {},
  'POST /api/v1/calendar/segments': {},
  'GET /api/v1/tasks': { scoped: [{ expect: 404, query: (t) => `rm=${t.rm}` }] },
  'POST /api/v1/tasks/touches/:id/done': {
    scoped: [{ expect: 404, params: (t) => ({ id: String(t.touch) }) }],
  },
  'GET /api/v1/deliveries/daily': {
    scoped: [
      {
        expect: 'hides',
        noControl: 'the answer is counts that name nobody; deliveries-daily.test.ts checks them per branch',
      },
    ],
  },
  'POST /api/v1/tasks/touches': {
    scoped: [{ expect: 404, body: (t) => ({ externalUserid: t.client, kind: 'check_in', title: '回访' }) }],
  },
  'GET /api/v1/koc/candidates': {
    scoped: [
      {
        expect: 'hides',
        mark: (t) => t.client,
        noControl: 'no seeded KOC scores; koc.test.ts shows an RM their own candidates',
      },
    ],
  },
  'GET /api/v1/koc/candidates/:id': { scoped: [{ expect: 404, params: (t) => ({ id: t.client }) }] },
  'GET /api/v1/koc/tea-party-invitees': {},
  'GET /api/v1/koc/influence': {
    scoped: [
      {
        expect: 'hides',
        mark: (t) => t.client,
        noControl: 'no influence computed; koc-influence.test.ts shows each branch its own KOCs',
      },
    ],
  },
  'POST /api/v1/koc/influence/recompute': {},
  'GET /api/v1/funnel': {
    scoped: [
      {
        expect: 'hides',
        query: () => 'from=2026-01-05&to=2026-12-31&by=rm',
        mark: (t) => t.rm,
        noControl: 'no aggregates seeded; funnel.test.ts shows each branch its own rows',
      },
    ],
  },
  'GET /api/v1/funnel/cohorts': {
    scoped: [
      {
        expect: 'hides',
        query: (t) => `from=2026-01-05&to=2026-12-31&channel=${t.channel}`,
        mark: (t) => t.channel,
        noControl: 'no aggregates seeded; funnel.test.ts shows an RM their own cohorts',
      },
    ],
  },
  'GET /api/v1/funnel/churn': {
    scoped: [
      {
        expect: 'hides',
        query: () => 'week=2026-12-02',
        mark: (t) => t.rm,
        noControl: 'no churn seeded; funnel.test.ts hides an alert from another branch',
      },
    ],
  },
  'POST /api/v1/funnel/recompute': {},
  'POST /api/v1/koc/helpful': {
    scoped: [{ expect: 404, body: (t) => ({ externalUserid: t.client, ref: 'matrix-helpful' }) }],
  },
  'POST /api/v1/koc/share-clicks': {},
  'GET /api/v1/engagement/rms': {
    scoped: [
      {
        expect: 'hides',
        mark: (t) => t.rm,
        noControl: 'no computed scores here; engagement-score.test.ts ranks each branch for its ops',
      },
    ],
  },
  'GET /api/v1/engagement/rms/:rm': {
    scoped: [
      {
        expect: 404,
        params: (t) => ({ rm: t.rm }),
        noControl: 'no computed scores here; engagement-score.test.ts explains an RM of the own branch',
      },
    ],
  },
  'GET /api/v1/engagement/rms/:rm/touches': { scoped: [{ expect: 404, params: (t) => ({ rm: t.rm }) }] },
  'POST /api/v1/engagement/recompute': {},
  'GET /api/v1/circles/:id/invites': {
    params: { id: 'koc-circle' },
    scoped: [
      {
        expect: 'hides',
        params: () => ({ id: 'koc-circle' }),
        mark: (t) => t.client,
        noControl: 'no seeded invitations; koc.test.ts lists an invitation',
      },
    ],
  },
  'POST /api/v1/circles/:id/invites': {
    params: { id: 'koc-circle' },
    scoped: [
      {
        expect: 404,
        params: () => ({ id: 'koc-circle' }),
        body: (t) => ({ externalUserid: t.client }),
        noControl: 'inviting needs a registered circle group; koc.test.ts covers it with the emulator',
      },
    ],
  },
  'DELETE /api/v1/circles/:id/invites/:externalUserid': {
    params: { id: 'koc-circle', externalUserid: 'wm_matrix' },
    scoped: [
      {
        expect: 404,
        params: (t) => ({ id: 'koc-circle', externalUserid: t.client }),
        noControl: 'revoking needs an invitation; koc.test.ts revokes one',
      },
    ],
  },
  'GET /api/v1/events': {},
  'POST /api/v1/events': {},
  'GET /api/v1/events/:id': {},
  'GET /api/v1/events/:id/signups': {
    scoped: [{ expect: 'hides', params: () => ({ id: String(seededEvent) }), mark: (t) => t.client }],
  },
  'POST /api/v1/events/:id/signups': {},
  'DELETE /api/v1/events/:id/signups/:externalUserid': {},
  'GET /api/v1/events/:id/link/:externalUserid': {},
  'POST /api/v1/events/:id/attendance': {},
  'POST /api/v1/events/:id/attendance/import': {},
  'PUT /api/v1/channels/:id/costs/:month': {
    params: { month: '2026-02' },
    scoped: [
      { expect: 404, params: (t) => ({ id: t.channel, month: '2026-02' }), body: () => ({ cost: 1 }) },
    ],
  },
  'GET /api/v1/channels/:id/costs': { scoped: [{ expect: 404, params: (t) => ({ id: t.channel }) }] },
  'POST /api/v1/revenue/imports': {},
  'POST /api/v1/channel-profiles/recompute': {},
  'GET /api/v1/channel-profiles': {
    scoped: [
      {
        expect: 'hides',
        query: () => 'from=2026-01&to=2026-12',
        mark: (t) => t.channel,
        noControl: 'no profiles are computed here; channel-economics.test.ts shows a branch its own channel',
      },
    ],
  },
  'GET /api/v1/channel-profiles/:channelId': {
    scoped: [
      { expect: 404, params: (t) => ({ channelId: t.channel }), query: () => 'from=2026-01&to=2026-02' },
    ],
  },
};

// Built at collection time so every route becomes its own test, named after it.
// Every route is probed without a token from one address: the failed-login limiter would answer 429 long
// before the matrix ends, so it is set out of reach here (production-posture.test.ts tests the limiter).
const t = await createTestContext({ AUTH_FAILURE_LIMIT: '100000' });
const web = buildWebApp(t.ctx);
afterAll(async () => {
  await web.close();
  await t.close();
});
const routes = listRoutes(web.app);
const keyOf = (r: RouteEntry) => `${r.method} ${r.path}`;

const { branches, tokens, occurrence: seededOccurrence } = await seedTwoBranches(t.ctx.database.db);
// An event each branch's client signed up for: an RM or branch ops sees only their own clients' sign-ups.
const [{ id: seededEvent } = { id: 0 }] = await queryRows<{ id: number }>(
  t.ctx.database.db,
  sql`INSERT INTO events (kind, title, starts_at, ends_at, capacity, audience, invitation_component_id,
                          signup_secret, created_by, created_at)
      VALUES ('other', '矩阵活动', now() + interval '1 day', now() + interval '1 day 1 hour', 10, '{}',
              ${SEEDED_COMPONENT}, 'matrix-secret', 'matrix', now())
      RETURNING id::int AS id`,
);
for (const b of [branches.A, branches.B])
  await t.ctx.database.db.execute(
    sql`INSERT INTO event_signups (event_id, external_userid, status, via, queue_no, created_at, updated_at)
        VALUES (${seededEvent}, ${b.client}, 'signed_up', 'ops', 1, now(), now())`,
  );

/** A points grant to each branch's client, by branch: what the reversal probes name. */
const seededGrants = new Map<string, number>();
{
  const points = createPointsService({
    db: t.ctx.database.db,
    repo: createPointsRepository(),
    audit: createAuditRepository(),
    clock: t.ctx.clock,
    timeZone: 'Asia/Shanghai',
  });
  for (const b of Object.values(branches)) {
    const g = await t.ctx.database.db.transaction((tx) =>
      points.grant(tx, {
        externalUserid: b.client,
        amount: 10,
        reason: 'seed',
        source: { type: 'ops', id: `matrix-${b.branch}` },
        actor: 'seed',
      }),
    );
    seededGrants.set(b.branch, g.entryId);
  }
}

/** Roles whose tokens here are limited to one branch or one RM (ops and rm), as scopeFor decides. */
const limitedRoles = ROLES.filter(
  (role) => scopeFor({ role, name: 'x', branchScope: role === 'ops' ? 'BR-A' : null }).kind !== 'all',
);

const fill = (path: string, params: Record<string, string> = {}) =>
  path.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? '1');

const withQuery = (path: string, query?: string) => (query ? `${path}?${query}` : path);

const send = (r: RouteEntry, path: string, token?: string, body?: object | string, contentType?: string) => {
  let req = request(web.app)[r.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path);
  if (token) req = req.set('authorization', `Bearer ${token}`);
  if (contentType) req = req.set('content-type', contentType);
  return body === undefined ? req : req.send(body);
};

let checks = 0;
let expectedChecks = 0;

describe('authorization matrix over every /api/v1 route', () => {
  it('reads a role gate and a fixture for every mounted route, and no fixture is stale', () => {
    expect(routes.length).toBeGreaterThan(30);
    const ungated = routes.filter((r) => r.gate === null).map(keyOf);
    expect(ungated, 'routes without requireRole/requireScopedRole').toEqual([]);
    const missing = routes.filter((r) => !(keyOf(r) in FIXTURES)).map(keyOf);
    expect(missing, 'routes without an entry in FIXTURES').toEqual([]);
    const stale = Object.keys(FIXTURES).filter((k) => !routes.some((r) => keyOf(r) === k));
    expect(stale, 'FIXTURES entries for routes that no longer exist').toEqual([]);
    const mismatched = routes
      .filter((r) => Boolean(r.gate?.scoped) !== Boolean(FIXTURES[keyOf(r)]?.scoped))
      .map(keyOf);
    expect(mismatched, 'scoped routes need scoped probes, and only they').toEqual([]);
  });

  for (const r of routes) {
    it(`${r.method} ${r.path}`, async () => {
      const fixture = FIXTURES[keyOf(r)];
      if (!fixture || !r.gate) throw new Error(`no fixture or role gate for ${keyOf(r)}`);
      const allowed = r.gate.roles;
      const path = fill(r.path, fixture.params);

      const anonymous = await send(r, path);
      expect(anonymous.status, `${keyOf(r)} without a token`).toBe(401);
      checks++;

      for (const role of ROLES.filter((x) => !allowed.includes(x))) {
        const res = await send(r, path, tokens.A[role]);
        expect(res.status, `${keyOf(r)} as ${role}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        checks++;
      }

      for (const probe of fixture.scoped ?? []) {
        const roles = limitedRoles.filter((x) => allowed.includes(x));
        expect(roles.length, `${keyOf(r)} is scoped but no limited role may call it`).toBeGreaterThan(0);
        const { A, B } = branches;
        for (const role of roles) {
          const res = await send(
            r,
            withQuery(fill(r.path, probe.params?.(B)), probe.query?.(B)),
            tokens.A[role],
            probe.body?.(B, A),
            probe.contentType,
          );
          const what = `${keyOf(r)} as branch A ${role} on branch B's resource`;
          if (probe.expect === 'hides') {
            expect(res.status, what).toBe(200);
            expect(JSON.stringify(res.body), what).not.toContain(probe.mark?.(B) ?? '\u0000');
          } else {
            expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(probe.expect);
          }
          checks++;
        }
        if (probe.noControl) continue;
        // The control: branch B's own token gets through, so the refusals above are scope, not a bad fixture.
        const own = roles[0] as Role;
        const res = await send(
          r,
          withQuery(fill(r.path, probe.params?.(B)), probe.query?.(B)),
          tokens.B[own],
          probe.body?.(B, B),
          probe.contentType,
        );
        const what = `${keyOf(r)} as branch B ${own} on its own resource`;
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
        if (probe.expect === 'hides') expect(JSON.stringify(res.body), what).toContain(probe.mark?.(B));
        checks++;
      }
    });
  }

  it('ran one check per route, per refused role and per scoped probe and role', () => {
    for (const r of routes) {
      const allowed = r.gate?.roles ?? [];
      expectedChecks += 1 + ROLES.filter((x) => !allowed.includes(x)).length;
      for (const probe of FIXTURES[keyOf(r)]?.scoped ?? []) {
        expectedChecks += limitedRoles.filter((x) => allowed.includes(x)).length + (probe.noControl ? 0 : 1);
      }
    }
    process.stdout.write(
      `authz matrix: ${routes.length} routes × ${ROLES.length} roles × 2 branches → ${checks} checks\n`,
    );
    expect(checks).toBe(expectedChecks);
    expect(checks).toBeGreaterThan(routes.length * 2);
  });
});
