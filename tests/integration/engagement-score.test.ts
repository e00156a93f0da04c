import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngagementWiring, scorePolicyPath } from '../../src/app/engagement-wiring.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { loadScorePolicy, ScorePolicyError } from '../../src/modules/engagement/score-policy.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';

// RM engagement scores: computed from the touch log, hand-offs, send tasks and client outcomes of a small
// two-branch world; ranked per branch within scope, explained down to the touch log, exported as CSV.
// Wednesday 2026-03-11 10:00 in Shanghai; the week scored is Mon 2026-03-09 .. Sun 2026-03-15.
const clock = fixedClock(new Date('2026-03-11T02:00:00Z'));
const WEEK = { period: 'week', date: '2026-03-10' } as const;
const AT = '2026-03-10T03:00:00Z';
let h: HelixWithEmulator;
const db = () => h.ctx.database.db;
const tokens = { admin: '', opsA: '', opsB: '', rmA1: '' };
const as = (token: string) => ({
  get: (p: string) => request(h.web.app).get(p).set('authorization', `Bearer ${token}`),
  post: (p: string, body: object) =>
    request(h.web.app).post(p).set('authorization', `Bearer ${token}`).send(body),
});
const scoring = (policyFile?: string) =>
  createEngagementWiring({
    config: h.ctx.config,
    db: db(),
    audit: createAuditRepository(),
    clock,
    log: h.ctx.log,
    ...(policyFile ? { policy: loadScorePolicy(policyFile) } : {}),
  });
const q = `period=${WEEK.period}&date=${WEEK.date}`;
type Ranked = { rm: string; branch: string; rank: number; score: number; points: Record<string, number> };
const ranking = async (token = tokens.admin) =>
  (await as(token).get(`/api/v1/engagement/rms?${q}`)).body as { computedAt: string | null; items: Ranked[] };

beforeAll(async () => {
  h = await startHelixWithEmulator({ clock });
  const x = (s: ReturnType<typeof sql>) => queryRows(db(), s);
  await x(sql`INSERT INTO rms (userid, name, branch) VALUES
      ('rm-a1', 'A1', 'BR-A'), ('rm-a2', 'A2', 'BR-A'), ('rm-b1', 'B1', 'BR-B'), ('rm-bot', 'BOT', 'BR-B')`);
  // rm-a1: c1-c4, rm-a2: c5-c8, rm-b1: c9-c10, rm-bot: c11-c12 (the bot answered them; no RM action).
  await x(sql`INSERT INTO clients (external_userid, owner_rm, activated_at) VALUES
      ('c1','rm-a1',NULL), ('c2','rm-a1',NULL), ('c3','rm-a1',NULL), ('c4','rm-a1',NULL),
      ('c5','rm-a2',NULL), ('c6','rm-a2',NULL), ('c7','rm-a2',NULL), ('c8','rm-a2',NULL),
      ('c9','rm-b1',${AT}::timestamptz), ('c10','rm-b1',NULL), ('c11','rm-bot',NULL), ('c12','rm-bot',NULL)`);
  await x(sql`INSERT INTO touches (rm, external_userid, kind, emotional, status, title, ref, created_at, done_at) VALUES
      ('rm-a1','c1','birthday',true,'done','生日祝福','t1',${AT}::timestamptz,${AT}::timestamptz),
      ('rm-a1','c2','festival',true,'done','节日问候','t2',${AT}::timestamptz,'2026-03-10T04:00:00Z'::timestamptz),
      ('rm-a1','c3','check_in',true,'done','回访','t3',${AT}::timestamptz,'2026-03-10T05:00:00Z'::timestamptz),
      ('rm-a2','c5','follow_up',false,'done','跟进','t4',${AT}::timestamptz,${AT}::timestamptz),
      ('rm-b1','c9','check_in',true,'done','回访','t5',${AT}::timestamptz,${AT}::timestamptz),
      ('rm-a1','c4','birthday',true,'done','上周的','t6','2026-03-01T03:00:00Z'::timestamptz,'2026-03-01T03:00:00Z'::timestamptz)`);
  await x(sql`INSERT INTO conversations (chat_id, client_userid, owner_state, rm_userid, handed_off_at, taken_over_at, sla_kept) VALUES
      ('k1','c1','human','rm-a1',${AT}::timestamptz,'2026-03-10T03:10:00Z'::timestamptz,true),
      ('k5','c5','human','rm-a2',${AT}::timestamptz,'2026-03-10T03:20:00Z'::timestamptz,true),
      ('k6','c6','human','rm-a2',${AT}::timestamptz,'2026-03-10T09:00:00Z'::timestamptz,false),
      ('k11','c11','bot',NULL,NULL,NULL,NULL)`);
  // rm-a2: two tasks confirmed within the hour, three recipients reached; rm-a1: one confirmed 32 h late.
  // A robot post (sender '') never counts.
  await x(sql`INSERT INTO send_tasks (id, occurrence_id, kind, sender, variant_id, recipients, status, created_at, confirmed_at) VALUES
      (901, 1, 'single', 'rm-a2', 'v', 2, 'confirmed', '2026-03-10T01:00:00Z', '2026-03-10T02:00:00Z'),
      (902, 2, 'single', 'rm-a2', 'v', 1, 'confirmed', '2026-03-10T01:00:00Z', '2026-03-10T02:00:00Z'),
      (903, 3, 'single', 'rm-a1', 'v', 1, 'confirmed', '2026-03-09T17:00:00Z', '2026-03-11T01:00:00Z'),
      (904, 4, 'robot', '', 'v', 5, 'confirmed', '2026-03-10T01:00:00Z', '2026-03-10T02:00:00Z')`);
  await x(sql`INSERT INTO deliveries (occurrence_id, recipient, kind, rm, status, task_id, created_at, updated_at) VALUES
      (1, 'c5', 'single', 'rm-a2', 'sent', 901, ${AT}::timestamptz, ${AT}::timestamptz),
      (1, 'c6', 'single', 'rm-a2', 'sent', 901, ${AT}::timestamptz, ${AT}::timestamptz),
      (2, 'c7', 'single', 'rm-a2', 'sent', 902, ${AT}::timestamptz, ${AT}::timestamptz),
      (4, 'c11', 'robot', NULL, 'sent', 904, ${AT}::timestamptz, ${AT}::timestamptz)`);
  await x(sql`INSERT INTO content_outcomes (component_id, version, variant_id, external_userid, channel, outcome, at)
      VALUES ('brief', 1, 'v', 'c5', 'text', 'clicked', ${AT}::timestamptz)`);
  // rm-b1's client c10 won a flash sale this week; c9's claim was returned and does not count.
  await x(sql`INSERT INTO flash_sales (id, name, item_name, stock, taken, opens_at, closes_at, created_by, created_at)
      VALUES ('fs1', '秒杀', '礼品', 5, 2, '2026-03-10T00:00:00Z', '2026-03-10T12:00:00Z', 'ops', ${AT}::timestamptz)`);
  await x(sql`INSERT INTO flash_claims (sale_id, external_userid, status, via, claimed_at, expires_at) VALUES
      ('fs1', 'c10', 'won', 'keyword', ${AT}::timestamptz, '2026-03-13T03:00:00Z'),
      ('fs1', 'c9', 'returned', 'keyword', ${AT}::timestamptz, '2026-03-13T03:00:00Z')`);
  const ts = createTokenService({ db: db(), audit: createAuditRepository() });
  const make = async (name: string, role: 'admin' | 'ops' | 'rm', branchScope: string | null) =>
    (await ts.create({ name, role, branchScope, actor: 'test' })).secret;
  tokens.admin = await make('admin', 'admin', null);
  tokens.opsA = await make('ops-a', 'ops', 'BR-A');
  tokens.opsB = await make('ops-b', 'ops', 'BR-B');
  tokens.rmA1 = await make('rm-a1', 'rm', null);
}, 60_000);
afterAll(async () => h?.stop());

describe('RM engagement scores', () => {
  it('says "not computed yet", then computes the week idempotently through the audited recompute', async () => {
    expect(await ranking()).toMatchObject({ computedAt: null, items: [] });
    const first = await as(tokens.admin).post('/api/v1/engagement/recompute', WEEK);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rms: 4, period: { kind: 'week', start: '2026-03-09' } });
    const stored = () =>
      queryRows(
        db(),
        sql`SELECT rm, score, components, policy_version FROM rm_scores
             WHERE period_kind = 'week' AND period_start = '2026-03-09' ORDER BY rm`,
      );
    const before = await stored();
    await scoring().computePeriod('week', WEEK.date);
    expect(await stored()).toEqual(before);
    const [audit] = await queryRows<{ actor: string; target_id: string }>(
      db(),
      sql`SELECT actor, target_id FROM audit_log WHERE action = 'engagement.recompute'`,
    );
    expect(audit).toEqual({ actor: 'admin', target_id: 'week:2026-03-09' });
    // Branch ops may not recompute.
    expect((await as(tokens.opsA).post('/api/v1/engagement/recompute', WEEK)).status).toBe(403);
  });

  it('gives an RM with only bot activity nothing for touches, tasks or content', async () => {
    const res = await as(tokens.admin).get(`/api/v1/engagement/rms/rm-bot?${q}`);
    expect(res.status).toBe(200);
    const points = Object.fromEntries(
      res.body.components.map((c: { component: string; points: number }) => [c.component, c.points]),
    );
    expect(points).toMatchObject({ coverage: 0, emotional: 0, taskCompletion: 0, contentDistribution: 0 });
    expect(res.body.score).toBe(0);
  });

  it('counts activations and won flash-sale claims as conversions per 100 clients', async () => {
    const res = await as(tokens.opsB).get(`/api/v1/engagement/rms/rm-b1?${q}`);
    expect(res.status).toBe(200);
    const conv = res.body.components.find((c: { component: string }) => c.component === 'conversions');
    // c9 activated and c10 won a claim: 2 per 2 clients = 100 per 100, the only RM with conversions.
    expect(conv).toMatchObject({ raw: 100, details: { activations: 1, wonClaims: 1, activeClients: 2 } });
    expect(conv.normalised).toBe(1);
    expect(conv.points).toBe(10);
  });

  it('explains a score whose points sum to it, down to the touch log', async () => {
    const res = await as(tokens.admin).get(`/api/v1/engagement/rms/rm-a1?${q}`);
    expect(res.status).toBe(200);
    const sum = res.body.components.reduce((s: number, c: { points: number }) => s + c.points, 0);
    expect(res.body.score).toBeCloseTo(sum, 6);
    const c = Object.fromEntries(
      res.body.components.map((x: { component: string }) => [x.component, x]),
    ) as Record<
      string,
      { raw: number; normalised: number; reference?: number; details: Record<string, number> }
    >;
    // 3 of 4 clients touched this week (c4's touch was the week before); 3 emotional touches per 4 clients.
    expect(c.coverage).toMatchObject({ raw: 0.75, normalised: 0.75 });
    expect(c.emotional).toMatchObject({ raw: 75, normalised: 1, reference: 71.25 });
    expect(c.taskCompletion).toMatchObject({ raw: 0.5, details: { tasks: 1, onTime: 0, late: 1 } });
    expect(c.responsiveness).toMatchObject({
      normalised: 1,
      details: { handoffs: 1, kept: 1, medianTakeoverMinutes: 10 },
    });
    expect(res.body.trend).toHaveLength(8);
    expect(res.body.trend.at(-1)).toEqual({ periodStart: '2026-03-09', score: res.body.score });

    const page1 = await as(tokens.admin).get(
      `/api/v1/engagement/rms/rm-a1/touches?${q}&component=emotional&limit=2`,
    );
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((t: { title: string }) => t.title)).toEqual(['回访', '节日问候']);
    const page2 = await as(tokens.admin).get(
      `/api/v1/engagement/rms/rm-a1/touches?${q}&component=emotional&limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body).toMatchObject({
      items: [{ title: '生日祝福', externalUserid: 'c1' }],
      nextCursor: null,
    });
  });

  it('shows branch ops their branch, an RM only themself, and hides other branches', async () => {
    const all = await ranking();
    expect(all.items.map((r) => [r.branch, r.rank, r.rm])).toEqual([
      ['BR-A', 1, 'rm-a1'],
      ['BR-A', 2, 'rm-a2'],
      ['BR-B', 1, 'rm-b1'],
      ['BR-B', 2, 'rm-bot'],
    ]);
    expect((await ranking(tokens.opsB)).items.map((r) => r.rm)).toEqual(['rm-b1', 'rm-bot']);
    const otherBranch = await as(tokens.opsB).get(`/api/v1/engagement/rms?${q}&branch=BR-A`);
    expect(otherBranch.body.items).toEqual([]);
    expect((await ranking(tokens.rmA1)).items.map((r) => [r.rm, r.rank])).toEqual([['rm-a1', 1]]);
    expect((await as(tokens.opsB).get(`/api/v1/engagement/rms/rm-a1?${q}`)).status).toBe(404);
    expect((await as(tokens.rmA1).get(`/api/v1/engagement/rms/rm-a2?${q}`)).status).toBe(404);
    expect((await as(tokens.opsB).get(`/api/v1/engagement/rms/rm-a1/touches?${q}`)).status).toBe(404);
  });

  it('ranks by the weights of the policy file, and refuses weights not summing to 100', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'score-policy-'));
    const file = path.join(dir, 'score-policy.yaml');
    const shipped = readFileSync(scorePolicyPath(h.ctx.config), 'utf8');
    // All weight on task completion and content: rm-a2 (on time, three deliveries and a click) overtakes rm-a1.
    writeFileSync(
      file,
      shipped
        .replace(/responsiveness: \d+/, 'responsiveness: 0')
        .replace(/coverage: \d+/, 'coverage: 0')
        .replace(/emotional: \d+/, 'emotional: 0')
        .replace(/conversions: \d+/, 'conversions: 0')
        .replace(/taskCompletion: \d+/, 'taskCompletion: 50')
        .replace(/contentDistribution: \d+/, 'contentDistribution: 50'),
    );
    // Computed by the test's own service, not by the worker or the API, so the web role's kept answers are
    // invalidated here as the worker does after the nightly job.
    await scoring(file).computePeriod('week', WEEK.date);
    await h.web.reports.invalidate();
    expect((await ranking(tokens.opsA)).items.map((r) => r.rm)).toEqual(['rm-a2', 'rm-a1']);
    await scoring().computePeriod('week', WEEK.date);
    await h.web.reports.invalidate();
    expect((await ranking(tokens.opsA)).items.map((r) => r.rm)).toEqual(['rm-a1', 'rm-a2']);

    writeFileSync(file, shipped.replace(/emotional: 30/, 'emotional: 20'));
    expect(() => loadScorePolicy(file)).toThrow(ScorePolicyError);
    expect(() => loadScorePolicy(file)).toThrow(
      /score-policy\.yaml: weights: must sum to 100, they sum to 90/,
    );
  });

  it('exports the ranking as CSV with a BOM and Chinese headers', async () => {
    const res = await as(tokens.opsA).get(`/api/v1/engagement/rms?${q}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(
      res.text.startsWith(
        '\uFEFF分行,名次,客户经理,总分,响应及时,客户覆盖,任务完成,情感关怀,内容分发,转化\r\n',
      ),
    ).toBe(true);
    expect(res.text.split('\r\n')[1]).toMatch(/^BR-A,1,rm-a1,/);
  });
});
