import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { createTestContext } from '../helpers/infra.ts';
import { seedTwoBranches } from '../helpers/two-branches.ts';

// Channel costs, the revenue feed and the monthly channel profiles (AAC, LROI) in Shanghai months, on a
// small world: branch A's channel brought 5 clients in February 2026 (4 activated), branch B's 2 (none).
const clock = fixedClock(new Date('2026-03-15T04:00:00Z'));
let t: Awaited<ReturnType<typeof createTestContext>>;
let web: WebApp;
let tokens: Awaited<ReturnType<typeof seedTwoBranches>>['tokens'];
const db = () => t.ctx.database.db;
const as = (token: string) => ({
  get: (p: string) => request(web.app).get(p).set('authorization', `Bearer ${token}`),
  put: (p: string, body: object) =>
    request(web.app).put(p).set('authorization', `Bearer ${token}`).send(body),
  post: (p: string, body: object | string = {}) =>
    typeof body === 'string'
      ? request(web.app).post(p).set('authorization', `Bearer ${token}`).type('text/csv').send(body)
      : request(web.app).post(p).set('authorization', `Bearer ${token}`).send(body),
});
const admin = () => as(tokens.A.admin);
const opsOf = (b: 'A' | 'B', role: Role = 'ops') => as(tokens[b][role]);
const FEB = 'from=2026-02&to=2026-02';
const recompute = () =>
  admin().post('/api/v1/channel-profiles/recompute', { from: '2026-01', to: '2026-03' });

beforeAll(async () => {
  // A 10-day new-client period, so revenue after it can be dated before "now".
  t = await createTestContext({ NEW_CLIENT_PERIOD_DAYS: '10' }, { clock });
  web = buildWebApp(t.ctx);
  ({ tokens } = await seedTwoBranches(db()));
  // Test factories: real client rows. Acquired instants are UTC; c5 is 1 Feb 01:00 in Shanghai (still
  // 31 January in UTC), so it belongs to February.
  await queryRows(
    db(),
    sql`INSERT INTO clients (external_userid, owner_rm, channel_id, acquired_at, activated_at, tier, risk_level,
                             tags, birthday) VALUES
      ('c1', 'rm-a', 'ch-a', '2026-02-02T02:00Z', '2026-02-04T02:00Z', 'basic', 'C2', '{理财,基金}', '1990-05-01'),
      ('c2', 'rm-a', 'ch-a', '2026-02-03T02:00Z', '2026-02-05T02:00Z', 'basic', 'C3', '{理财}', '1960-01-01'),
      ('c3', 'rm-a', 'ch-a', '2026-02-10T02:00Z', '2026-02-20T02:00Z', 'premium', NULL, '{}', NULL),
      ('c4', 'rm-a', 'ch-a', '2026-02-11T02:00Z', '2026-02-12T02:00Z', NULL, 'C2', '{}', '2000-01-01'),
      ('c5', 'rm-a', 'ch-a', '2026-01-31T17:00Z', NULL, 'basic', NULL, '{}', NULL),
      ('c6', 'rm-b', 'ch-b', '2026-02-05T02:00Z', NULL, NULL, NULL, '{}', NULL),
      ('c7', 'rm-b', 'ch-b', '2026-02-06T02:00Z', NULL, NULL, NULL, '{}', NULL),
      ('c8', 'rm-b', 'ch-b', '2026-01-10T02:00Z', '2026-01-11T02:00Z', NULL, NULL, '{}', NULL)`,
  );
  // A channel whose lump sum (entered at creation, 20 Feb) is February's cost; it brought nobody in.
  await queryRows(
    db(),
    sql`INSERT INTO channels (id, name, state, cost, rm_userids, created_by, created_at)
        VALUES ('ch-lump', '地推', 'ch-lump', 200, ARRAY['rm-b']::text[], 'seed', '2026-02-20T02:00Z')`,
  );
  await queryRows(
    db(),
    sql`INSERT INTO touches (rm, external_userid, kind, status, title, ref, created_at, done_at) VALUES
      ('rm-a', 'c1', 'check_in', 'done', '回访', 'ce-touch-1', '2026-02-03T02:00Z', '2026-02-03T02:00Z')`,
  );
}, 60_000);
afterAll(async () => {
  await web?.close();
  await t?.close();
});

describe('channel costs', () => {
  it('refuse a negative or non-numeric cost in both languages, and an unknown channel', async () => {
    const neg = await admin()
      .put('/api/v1/channels/ch-a/costs/2026-02', { cost: -5 })
      .set('accept-language', 'zh-CN');
    expect(neg.status).toBe(400);
    expect(neg.body.error.message).toContain('成本不能为负数');
    const word = await admin().put('/api/v1/channels/ch-a/costs/2026-02', { cost: 'a lot' });
    expect(word.status).toBe(400);
    expect(word.body.error.message).toContain('cost: must be an amount in yuan');
    const month = await admin().put('/api/v1/channels/ch-a/costs/2026-13', { cost: 1 });
    expect(month.status).toBe(400);
    expect((await admin().put('/api/v1/channels/nope/costs/2026-02', { cost: 1 })).status).toBe(404);
  });

  it('are entered per month, replaced on re-entry, audited, and listed', async () => {
    expect((await admin().put('/api/v1/channels/ch-a/costs/2026-02', { cost: '900' })).status).toBe(200);
    const put = await admin().put('/api/v1/channels/ch-a/costs/2026-02', {
      cost: 1000,
      reach: 5000,
      note: '海报',
    });
    expect(put.body).toMatchObject({ channelId: 'ch-a', month: '2026-02', cost: '1000.00', reach: 5000 });
    // Branch B's ops enter their own channel's cost.
    expect((await opsOf('B').put('/api/v1/channels/ch-b/costs/2026-02', { cost: 300 })).status).toBe(200);
    const list = await admin().get('/api/v1/channels/ch-a/costs');
    expect(list.body.items.map((c: { cost: string }) => c.cost)).toEqual(['1000.00']);
    const audit = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'channel.cost.set' AND target_id = 'ch-a'`,
    );
    expect(audit[0]?.n).toBe(2);
  });
});

describe('revenue import', () => {
  it('lists every bad line by number and changes nothing', async () => {
    const file = [
      'external_userid,amount,occurred_at,ref',
      'c1,100.00,2026-02-05,R-ok',
      'ghost,50,2026-02-05,R-ghost',
      'c2,12abc,2026-02-05,R-amount',
      'c2,10,2026-02-31,R-date',
      'c1,10,2026-02-06,R-ok',
    ].join('\n');
    const res = await admin().post('/api/v1/revenue/imports', file);
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      { line: 3, field: 'external_userid', message: 'unknown client' },
      { line: 4, field: 'amount', message: expect.stringContaining('number') },
      { line: 5, field: 'occurred_at', message: expect.stringContaining('date') },
      { line: 6, field: 'ref', message: 'duplicate of line 2' },
    ]);
    const rows = await queryRows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM client_revenue`);
    expect(rows[0]?.n).toBe(0);
  });

  it('adds new lines once: a re-import skips the refs it already has', async () => {
    const file = [
      'external_userid,amount,occurred_at,ref',
      // In c1's 10-day new-client period, and after it (acquired 2 Feb 02:00 UTC).
      'c1,500,2026-02-10T00:00:00+08:00,R-1',
      'c1,9999,2026-02-12T03:00:00Z,R-2',
    ].join('\r\n');
    const first = await admin().post('/api/v1/revenue/imports?fileName=feb.csv', file);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rows: 2, accepted: 2, skipped: [] });
    const again = await admin().post('/api/v1/revenue/imports', file);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      accepted: 0,
      skipped: [
        { line: 2, ref: 'R-1' },
        { line: 3, ref: 'R-2' },
      ],
    });
    // Revenue crosses branches: head office only.
    expect((await opsOf('A').post('/api/v1/revenue/imports', file)).status).toBe(403);
  });
});

describe('channel profiles', () => {
  it('compute AAC and LROI as defined, counting revenue only within the new-client period', async () => {
    expect((await recompute()).status).toBe(200);
    const res = await admin().get(`/api/v1/channel-profiles?${FEB}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const a = res.body.channels.find((c: { channelId: string }) => c.channelId === 'ch-a');
    expect(a.totals).toEqual({
      acquired: 5,
      activated: 4,
      cost: 1000,
      reach: 5000,
      revenue: 500,
      aac: 250,
      lroi: 0.5,
    });
    const full = await admin().get(`/api/v1/channel-profiles/ch-a?${FEB}`);
    expect(full.body.totals.tierMix).toEqual({ basic: 3, premium: 1, unknown: 1 });
    expect(full.body.totals.riskMix).toEqual({ C2: 2, C3: 1, unknown: 2 });
    expect(full.body.totals.topTags).toEqual([
      ['理财', 2],
      ['基金', 1],
    ]);
    expect(full.body.totals.ageBands).toEqual({ '<30': 1, '30-44': 1, '45-59': 0, '60+': 1, unknown: 2 });
    expect(full.body.totals.engagement).toEqual({ touched30d: 0.2, stillContact: 1, inGroup: 0 });
    expect(full.body.months[0].medianDaysToActivate).toBe(2);
  });

  it('show a channel with no activations as "no activations", never a division error', async () => {
    const res = await admin().get(`/api/v1/channel-profiles?${FEB}`);
    const b = res.body.channels.find((c: { channelId: string }) => c.channelId === 'ch-b');
    expect(b.totals).toMatchObject({
      acquired: 2,
      activated: 0,
      cost: 300,
      aac: null,
      aacNote: 'no activations',
    });
    expect(b.totals).toMatchObject({ revenue: 0, lroi: 0 });
    const lump = res.body.channels.find((c: { channelId: string }) => c.channelId === 'ch-lump');
    expect(lump.totals).toMatchObject({ acquired: 0, cost: 200, aac: null, aacNote: 'no activations' });
    const csv = await admin().get(`/api/v1/channel-profiles?${FEB}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.startsWith('\uFEFF渠道ID,')).toBe(true);
    const bLine = csv.text.split('\r\n').find((l) => l.startsWith('ch-b,ch-b,2026-02'));
    expect(bLine).toContain('暂无激活');
    // January: an activation but no cost entered: neither AAC (¥0 would read as a free channel) nor LROI.
    const jan = await admin().get('/api/v1/channel-profiles?from=2026-01&to=2026-01');
    expect(jan.body.channels[0].totals).toMatchObject({
      cost: 0,
      aac: null,
      aacNote: 'no cost entered',
      lroi: null,
      lroiNote: 'no cost entered',
    });
    const janCsv = await admin().get('/api/v1/channel-profiles?from=2026-01&to=2026-01&format=csv');
    expect(janCsv.text).toContain('未录入成本');
  });

  it('recompute idempotently', async () => {
    const before = await admin().get(`/api/v1/channel-profiles/ch-a?from=2026-01&to=2026-03`);
    const again = await recompute();
    expect(again.body).toMatchObject({ months: 3, rows: 4 });
    const after = await admin().get(`/api/v1/channel-profiles/ch-a?from=2026-01&to=2026-03`);
    const strip = (b: { months: { computedAt: string }[] }) => b.months.map(({ computedAt: _c, ...m }) => m);
    expect(strip(after.body)).toEqual(strip(before.body));
    expect(after.body.totals).toEqual(before.body.totals);
  });

  it("keep a branch's ops to their own channels and RMs out", async () => {
    const res = await opsOf('A').get(`/api/v1/channel-profiles?${FEB}`);
    expect(res.body.channels.map((c: { channelId: string }) => c.channelId)).toEqual(['ch-a']);
    expect((await opsOf('A').get(`/api/v1/channel-profiles/ch-b?${FEB}`)).status).toBe(404);
    expect((await opsOf('A').put('/api/v1/channels/ch-b/costs/2026-02', { cost: 1 })).status).toBe(404);
    expect((await opsOf('A', 'rm').get(`/api/v1/channel-profiles?${FEB}`)).status).toBe(403);
  });
});
