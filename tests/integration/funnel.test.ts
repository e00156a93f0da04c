import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { createFunnelWiring } from '../../src/app/funnel-wiring.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import type { FunnelService } from '../../src/modules/funnel/funnel.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import { createTestContext } from '../helpers/infra.ts';
import { seedTwoBranches } from '../helpers/two-branches.ts';

// The funnel (DESIGN §6): tracked-link opens, the nightly aggregates in the business time zone, branch
// scope on the reports, churn alerts and CSV. Wednesday 2 Dec 2026, noon in Shanghai.

const RUN_DATE = '2026-12-02';
let ctx: AppContext;
let close: () => Promise<void>;
let web: WebApp;
let db: Db;
let funnel: FunnelService;
let tokens: Awaited<ReturnType<typeof seedTwoBranches>>['tokens'];

const api = () => request(web.app);
const get = (path: string, token: string) => api().get(path).set('Authorization', `Bearer ${token}`);
const exec = (q: ReturnType<typeof sql>) => queryRows(db, q);
const acquire = async (id: string, rm: string, channel: string | null, at: string, activated = false) => {
  await exec(sql`INSERT INTO clients (external_userid, owner_rm, channel_id, acquired_at, activated_at)
                 VALUES (${id}, ${rm}, ${channel}, ${at}::timestamptz,
                         ${activated ? at : null}::timestamptz)`);
  await exec(
    sql`INSERT INTO client_rms (external_userid, rm_userid, added_at) VALUES (${id}, ${rm}, ${at}::timestamptz)`,
  );
};
const snapshot = () =>
  exec(sql`SELECT 'f' AS t, week_start::text AS a, channel_id AS b, rm AS c,
                  concat_ws(',', aware, acquired, activated, churned_by_client, removed_by_rm) AS v
           FROM funnel_weekly
           UNION ALL
           SELECT 'r', cohort_week::text, channel_id, weeks_after::text,
                  concat_ws(',', size, still_contact, in_group, touched, active)
           FROM retention_cohorts ORDER BY 1, 2, 3, 4`);

beforeAll(async () => {
  const clock = fixedClock(new Date('2026-12-02T04:00:00Z'));
  ({ ctx, close } = await createTestContext({}, { clock }));
  db = ctx.database.db;
  web = buildWebApp(ctx);
  ({ tokens } = await seedTwoBranches(db));
  funnel = createFunnelWiring({
    config: ctx.config,
    db,
    clock,
    log: ctx.log,
    metrics: ctx.metrics,
    audit: createAuditRepository(),
  });
  await exec(sql`UPDATE channels SET qr_code = 'https://wework.qpic.cn/qr/ch-a.png' WHERE id = 'ch-a'`);
  await exec(sql`INSERT INTO channels (id, name, state, rm_userids, created_by, archived_at)
                 VALUES ('ch-old', 'old', 'ch-old', ARRAY['rm-a']::text[], 'seed', now())`);
  // Monday 01:00 in Shanghai is Sunday 17:00 UTC: the week of 30 Nov, not of 23 Nov.
  await acquire('wm-mon', 'rm-a', 'ch-a', '2026-11-29T17:00:00Z', true);
  await acquire('wm-sun', 'rm-a', 'ch-a', '2026-11-29T15:00:00Z');
  await acquire('wm-bee', 'rm-b', 'ch-b', '2026-12-01T02:00:00Z');
});
afterAll(async () => {
  await web?.close();
  await close?.();
});

describe('the tracked link /go/:state', () => {
  it('counts an open and redirects to the QR code; unknown and archived states are a 404 page', async () => {
    const r = await api().get('/go/ch-a');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('https://wework.qpic.cn/qr/ch-a.png');
    await api().get('/go/ch-a').expect(302);
    const [row] = await exec(
      sql`SELECT day::text AS day, n FROM channel_exposures WHERE channel_id = 'ch-a'`,
    );
    expect(row).toEqual({ day: RUN_DATE, n: 2 });
    const unknown = await api().get('/go/no-such-state');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/text\/html/);
    expect(unknown.text).toContain('链接无效');
    await api().get('/go/ch-old').expect(404);
    await api().get('/go/ch-b').expect(404); // no QR code
  });
});

describe('the nightly aggregates', () => {
  it('puts clients in the acquisition week of SCHEDULER_TIMEZONE, not of UTC', async () => {
    await funnel.recompute(RUN_DATE);
    const r = await get('/api/v1/funnel?from=2026-11-23&to=2026-12-06&by=week', tokens.A.admin).expect(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({ key: '2026-11-23', acquired: 1, activated: 0, activationRate: 0 }),
      // wm-mon and wm-bee, plus ch-a's two link opens: aware 4.
      expect.objectContaining({
        key: '2026-11-30',
        aware: 4,
        acquired: 2,
        activated: 1,
        activationRate: 0.5,
      }),
    ]);
    const c = await get('/api/v1/funnel/cohorts?from=2026-11-23&to=2026-12-06&channel=ch-a', tokens.A.admin);
    expect(c.body.cohorts.map((x: { cohortWeek: string; size: number }) => [x.cohortWeek, x.size])).toEqual([
      ['2026-11-23', 1],
      ['2026-11-30', 1],
    ]);
    // The Sunday cohort is followed into its second week, still a contact there.
    expect(c.body.cohorts[0].weeks.map((w: { weeksAfter: number }) => w.weeksAfter)).toEqual([0, 1]);
    expect(c.body.cohorts[0].weeks[1].shares.stillContact).toBe(1);
  });

  it('recomputing a night replaces its rows: the same numbers, nothing doubled', async () => {
    await funnel.recompute(RUN_DATE);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(0);
    await funnel.recompute(RUN_DATE);
    expect(await snapshot()).toEqual(before);
  });

  it("shows a branch's ops only their RMs' rows and their channels' link opens", async () => {
    const a = await get('/api/v1/funnel?from=2026-11-23&to=2026-12-06&by=rm', tokens.A.ops).expect(200);
    expect(a.body.items.map((i: { key: string }) => i.key)).toEqual(['', 'rm-a']);
    const b = await get('/api/v1/funnel?from=2026-11-23&to=2026-12-06&by=channel', tokens.B.ops).expect(200);
    expect(b.body.items).toEqual([expect.objectContaining({ key: 'ch-b', acquired: 1, aware: 1 })]);
    const rm = await get('/api/v1/funnel/cohorts?from=2026-11-23&to=2026-12-06', tokens.B.rm).expect(200);
    expect(rm.body.cohorts).toEqual([expect.objectContaining({ cohortWeek: '2026-11-30', size: 1 })]);
  });

  it('raises a churn alert once when clients delete an RM above the threshold', async () => {
    await exec(sql`INSERT INTO rms (userid, name) VALUES ('rm-churn', 'rm-churn')`);
    for (let i = 0; i < 10; i++) await acquire(`wm-c${i}`, 'rm-churn', null, '2026-11-02T02:00:00Z');
    await exec(
      sql`UPDATE clients SET status = 'removed_by_client' WHERE external_userid IN ('wm-c0','wm-c1','wm-c2')`,
    );
    await exec(sql`UPDATE client_rms SET removed_at = '2026-12-01T02:00:00Z'
                   WHERE external_userid IN ('wm-c0','wm-c1','wm-c2')`);
    const counted = async () => (await ctx.metrics.churnAlerts.get()).values[0]?.value ?? 0;
    const start = await counted();
    expect((await funnel.recompute(RUN_DATE)).alertsRaised).toBe(1);
    expect((await funnel.recompute(RUN_DATE)).alertsRaised).toBe(0);
    expect((await counted()) - start).toBe(1);
    const r = await get(`/api/v1/funnel/churn?week=${RUN_DATE}`, tokens.A.admin).expect(200);
    expect(r.body.week).toBe('2026-11-30');
    expect(r.body.alerts).toEqual([
      expect.objectContaining({ rm: 'rm-churn', churned: 3, base: 10, rate: 0.3, threshold: 0.05 }),
    ]);
    expect(r.body.items).toEqual([
      { rm: 'rm-churn', channelId: 'unknown', churnedByClient: 3, removedByRm: 0 },
    ]);
    // Another branch's ops do not see it.
    const other = await get(`/api/v1/funnel/churn?week=${RUN_DATE}`, tokens.A.ops).expect(200);
    expect(other.body.alerts).toEqual([]);
  });

  it('exports CSV with a BOM and Chinese headers; a manual recompute is audited; bad input is a 400', async () => {
    const r = await get('/api/v1/funnel?from=2026-11-23&to=2026-12-06&by=channel&format=csv', tokens.A.admin)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const bytes = r.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('渠道,曝光,获客,激活');
    await api()
      .post('/api/v1/funnel/recompute')
      .set('Authorization', `Bearer ${tokens.A.ops}`)
      .send({ runDate: RUN_DATE })
      .expect(403);
    const ok = await api()
      .post('/api/v1/funnel/recompute')
      .set('Authorization', `Bearer ${tokens.A.admin}`)
      .send({ runDate: RUN_DATE })
      .expect(200);
    expect(ok.body.weeks).toEqual({ first: '2026-10-12', last: '2026-11-30' });
    const audit = await exec(sql`SELECT target_id FROM audit_log WHERE action = 'funnel.recompute'`);
    expect(audit).toEqual([{ target_id: RUN_DATE }]);
    const bad = await get('/api/v1/funnel?from=2026-12-06&to=2026-11-23', tokens.A.admin).expect(400);
    expect(bad.body.error.message).toContain('from');
  });
});
