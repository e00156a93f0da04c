import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { Jobs } from '../../src/app/jobs.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { registerKocJobs } from '../../src/modules/koc/koc.jobs.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { toEnvelope } from '../../src/platform/queue/registry.ts';
import { createTestContext } from '../helpers/infra.ts';

// KOC influence: the engagement of the people a KOC brought against clients without a KOC in the same
// tier × acquisition-month cells, computed by the nightly aggregate and read, scoped, by the API.

let ctx: AppContext;
let web: WebApp;
let services: Services;
let db: Db;
let close: () => Promise<void>;
const tokens = { admin: '', opsA: '', opsB: '', rmA: '' };
const as = (token: string) => ({
  get: (p: string) => request(web.app).get(p).set('authorization', `Bearer ${token}`),
  post: (p: string, body: object = {}) =>
    request(web.app).post(p).set('authorization', `Bearer ${token}`).send(body),
});
const JAN = '2026-01-15T10:00:00+08:00';

beforeAll(async () => {
  const t = await createTestContext();
  ({ ctx, close } = t);
  db = ctx.database.db;
  services = createServices(ctx);
  web = buildWebApp(ctx, { services });
  await queryRows(
    db,
    sql`INSERT INTO rms (userid, name, branch) VALUES ('rm-a', 'rm-a', 'BR-A'), ('rm-b', 'rm-b', 'BR-B')`,
  );
  const client = (
    id: string,
    rm: string,
    tier: string,
    acquired: string,
    activated: boolean,
    active = true,
  ) =>
    queryRows(
      db,
      sql`INSERT INTO clients (external_userid, owner_rm, tier, acquired_at, activated_at, status)
          VALUES (${id}, ${rm}, ${tier}, ${acquired}::timestamptz,
                  ${activated ? acquired : null}::timestamptz, ${active ? 'active' : 'removed_by_client'})`,
    );
  // KOC A (branch A) referred 6 clients in cell basic × 2026-01: 4 activated, 1 has since deleted the RM.
  await client('koc-a', 'rm-a', 'gold', '2025-06-01T10:00:00+08:00', true);
  for (let i = 1; i <= 6; i++) {
    await client(`ref-${i}`, 'rm-a', 'basic', JAN, i <= 4, i !== 6);
    await queryRows(
      db,
      sql`INSERT INTO referrals (referrer, referred, rm, state, status, added_at)
          VALUES ('koc-a', ${`ref-${i}`}, 'rm-a', 'rf-koc-a', ${i <= 4 ? 'rewarded' : 'pending'}, ${JAN}::timestamptz)`,
    );
  }
  // A re-added contact is rejected: KOC A brought nobody there.
  await client('old-1', 'rm-a', 'basic', '2025-03-01T10:00:00+08:00', false);
  await queryRows(
    db,
    sql`INSERT INTO referrals (referrer, referred, rm, state, status, reason, added_at)
        VALUES ('koc-a', 'old-1', 'rm-a', 'rf-koc-a', 'rejected', 'already_client', ${JAN}::timestamptz)`,
  );
  // Similar clients without a KOC: 2 of 10 activated, 8 still contacts. Two more in a cell no KOC person
  // is in (vip × 2026-02, all activated) must not weigh on the baseline.
  for (let i = 1; i <= 10; i++) await client(`base-${i}`, 'rm-b', 'basic', JAN, i <= 2, i <= 8);
  for (let i = 1; i <= 2; i++) await client(`vip-${i}`, 'rm-b', 'vip', '2026-02-10T10:00:00+08:00', true);
  // KOC B (branch B) shared a link: two known clients and one unknown visitor clicked.
  await client('koc-b', 'rm-b', 'gold', '2025-06-01T10:00:00+08:00', true);
  await client('clk-1', 'rm-b', 'vip', '2026-02-11T10:00:00+08:00', true);
  await client('clk-2', 'rm-b', 'vip', '2026-02-12T10:00:00+08:00', false);

  const service = createTokenService({ db, audit: createAuditRepository() });
  const issue = async (role: Role, name: string, branchScope: string | null) =>
    (await service.create({ name, role, branchScope, actor: 'test' })).secret;
  tokens.admin = await issue('admin', 'admin', null);
  tokens.opsA = await issue('ops', 'ops-a', 'BR-A');
  tokens.opsB = await issue('ops', 'ops-b', 'BR-B');
  tokens.rmA = await issue('rm', 'rm-a', null);

  // Contributions through the API that records them.
  expect(
    (await as(tokens.rmA).post('/api/v1/koc/helpful', { externalUserid: 'koc-a', ref: 'ans-1' })).status,
  ).toBe(200);
  for (const clicker of ['clk-1', 'clk-2', 'wx-visitor'])
    expect(
      (await as(tokens.admin).post('/api/v1/koc/share-clicks', { sharer: 'koc-b', clicker, linkId: 'lnk-1' }))
        .body,
    ).toEqual({ counted: true });
}, 60_000);
afterAll(async () => {
  await web?.close();
  await close?.();
});

describe('KOC influence', () => {
  it('compares the people a KOC brought with similar clients without one, weighted by their cells', async () => {
    const before = await as(tokens.admin).get('/api/v1/koc/candidates/koc-a');
    expect(before.status).toBe(200);
    expect(before.body.influence).toBeNull();

    const run = await as(tokens.admin).post('/api/v1/koc/influence/recompute');
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ kocs: 2 });

    const res = await as(tokens.admin).get('/api/v1/koc/influence?limit=10');
    expect(res.status).toBe(200);
    const [a, b] = res.body.items;
    expect(a).toMatchObject({
      externalUserid: 'koc-a',
      brought: 6,
      answered: 1,
      invited: 2,
      people: 6,
      tooFew: false,
    });
    expect(a.activated.rate).toBeCloseTo(4 / 6, 10);
    // Only the basic × 2026-01 cell counts: 2 of 10, not 4 of 12 with the vip clients.
    expect(a.activated.baseline).toBeCloseTo(0.2, 10);
    expect(a.activated.liftPp).toBeCloseTo((4 / 6 - 0.2) * 100, 10);
    expect(a.retained.baseline).toBeCloseTo(0.8, 10);
    expect(a.retained.rate).toBeCloseTo(5 / 6, 10);
    expect(a.impact).toBeCloseTo(6 * (4 / 6 - 0.2) * 100, 8);
    // Two known clicking clients and an unknown visitor: brought 3, measured 2, too few to compare.
    expect(b).toMatchObject({
      externalUserid: 'koc-b',
      brought: 3,
      answered: 0,
      people: 2,
      tooFew: true,
      impact: null,
    });
    expect(b.activated).toMatchObject({ rate: 0.5, baseline: 1, liftPp: null });

    const explained = await as(tokens.rmA).get('/api/v1/koc/candidates/koc-a');
    expect(explained.body.influence).toEqual(a);
    expect(explained.body.contributions).toHaveLength(1);
  });

  it('recomputes idempotently, by the API or the nightly job', async () => {
    const first = (await as(tokens.admin).get('/api/v1/koc/influence')).body.items;
    await as(tokens.admin).post('/api/v1/koc/influence/recompute');
    // The nightly job (the worker's registered handler) does the same work.
    const [job] = registerKocJobs({ influence: services.kocInfluence() });
    expect(job?.definition.name).toBe(Jobs.ComputeKocInfluence.name);
    await job?.run(toEnvelope(Jobs.ComputeKocInfluence, { runDate: '2026-03-01' }), {} as never);
    const again = (await as(tokens.admin).get('/api/v1/koc/influence')).body.items;
    const strip = (xs: { computedAt: string }[]) => xs.map(({ computedAt: _, ...x }) => x);
    expect(strip(again)).toEqual(strip(first));
    const [n] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM koc_influence`);
    expect(n?.n).toBe(2);
  });

  it('shows a branch only its own KOCs, and leaves the recompute to head office', async () => {
    const ids = async (token: string) =>
      (await as(token).get('/api/v1/koc/influence')).body.items.map(
        (i: { externalUserid: string }) => i.externalUserid,
      );
    expect(await ids(tokens.opsA)).toEqual(['koc-a']);
    expect(await ids(tokens.opsB)).toEqual(['koc-b']);
    expect(await ids(tokens.rmA)).toEqual(['koc-a']);
    expect((await as(tokens.opsB).get('/api/v1/koc/candidates/koc-a')).status).toBe(404);
    const refused = await as(tokens.opsA)
      .post('/api/v1/koc/influence/recompute')
      .set('accept-language', 'zh-CN');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('总行');
    expect((await as(tokens.rmA).post('/api/v1/koc/influence/recompute')).status).toBe(403);
    expect((await as(tokens.admin).get('/api/v1/koc/influence?limit=0')).status).toBe(400);
  });

  it('downloads the ranking as CSV with a BOM and Chinese headers', async () => {
    const res = await as(tokens.admin)
      .get('/api/v1/koc/influence?format=csv')
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const text = res.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, rowA, rowB] = text.slice(1).trim().split('\r\n');
    expect(
      header?.startsWith(
        '客户ID,带来人数,有用解答数,待激活推荐数,可比人数,样本,激活率(%),基准激活率(%),激活提升(百分点)',
      ),
    ).toBe(true);
    expect(rowA?.split(',').slice(0, 9)).toEqual(['koc-a', '6', '1', '2', '6', '', '66.7', '20', '46.7']);
    expect(rowB?.split(',').slice(0, 6)).toEqual(['koc-b', '3', '0', '0', '2', '样本不足']);
  });
});
