import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { RecomputeExperiments, registerExperimentsJobs } from '../../src/modules/content/experiments.jobs.ts';
import { createExperimentsRepository } from '../../src/modules/content/experiments.repository.ts';
import { createExperimentsService } from '../../src/modules/content/experiments.service.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTestContext } from '../helpers/infra.ts';
import { seedTwoBranches } from '../helpers/two-branches.ts';

// A/B experiment reports: outcomes → nightly aggregate → rates, Wilson intervals, z-tests and verdicts, per
// branch for branch ops, summed for head office.
const COMPONENT = 'exp-morning';
let close: () => Promise<void>;
let web: WebApp;
let db: Db;
let seeded: Awaited<ReturnType<typeof seedTwoBranches>>;
let headOffice: string;

const get = (token: string, path: string) =>
  request(web.app).get(`/api/v1${path}`).set('authorization', `Bearer ${token}`);
const post = (token: string, path: string) =>
  request(web.app).post(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send({});

// `n` clients of one branch's RM (wm-<b>-1 … wm-<b>-n), as test factories insert real rows.
async function seedClients(rm: string, prefix: string, n: number) {
  await queryRows(
    db,
    sql`INSERT INTO clients (external_userid, owner_rm, aum_band)
        SELECT ${prefix} || i, ${rm}, 'lt50k' FROM generate_series(1, ${n}) AS i`,
  );
}
// Outcome rows for clients `from`..`to` of a prefix.
async function outcomes(prefix: string, from: number, to: number, variant: string, outcome: string) {
  await queryRows(
    db,
    sql`INSERT INTO content_outcomes (component_id, version, variant_id, external_userid, channel, outcome)
        SELECT ${COMPONENT}, 1, ${variant}, ${prefix} || i, 'text', ${outcome}
        FROM generate_series(${from}::int, ${to}::int) AS i`,
  );
}

beforeAll(async () => {
  const t = await createTestContext();
  close = t.close;
  db = t.ctx.database.db;
  web = buildWebApp(t.ctx);
  seeded = await seedTwoBranches(db);
  headOffice = (
    await createTokenService({ db, audit: createAuditRepository() }).create({
      name: 'head office',
      role: 'ops',
      branchScope: null,
      actor: 'test',
    })
  ).secret;
  // The component lists `ctl` first: it is the control, though `new` sorts before it.
  await queryRows(
    db,
    sql`INSERT INTO content_components (id, kind, title, source, created_by)
        VALUES (${COMPONENT}, 'morning-brief', '早报', 'api', 'test')`,
  );
  await queryRows(
    db,
    sql`INSERT INTO content_versions (component_id, version, content_hash, body, status, author)
        VALUES (${COMPONENT}, 1, 'h1', ${JSON.stringify({ variants: [{ id: 'ctl' }, { id: 'new' }] })}::jsonb,
                'approved', 'test')`,
  );
  await seedClients('rm-a', 'wm-xa-', 120);
  await seedClients('rm-b', 'wm-xb-', 120);
  // ctl: clients 1–60 of each branch, 15 of each clicked (30/120 = 25%).
  // new: clients 61–120 of each branch; 40 in A and 20 in B clicked (60/120 = 50%).
  for (const p of ['wm-xa-', 'wm-xb-']) {
    await outcomes(p, 1, 60, 'ctl', 'sent');
    await outcomes(p, 1, 15, 'ctl', 'clicked');
    await outcomes(p, 61, 120, 'new', 'sent');
  }
  await outcomes('wm-xa-', 61, 100, 'new', 'clicked');
  await outcomes('wm-xb-', 61, 80, 'new', 'clicked');
  // Noise that must not count: a client sent and delivered twice, clicking twice, is one exposed and one
  // converted; a click by a client never exposed to the variant is no conversion.
  await outcomes('wm-xa-', 1, 1, 'ctl', 'delivered');
  await outcomes('wm-xa-', 1, 1, 'ctl', 'clicked');
  await outcomes('wm-xb-', 1, 5, 'new', 'clicked');
}, 60_000);
afterAll(async () => close?.());

describe('experiments', () => {
  it('recomputes on head office request and reports rates, intervals and a winner', async () => {
    expect((await post(seeded.tokens.A.ops, '/experiments/recompute')).status).toBe(403);
    const run = await post(headOffice, '/experiments/recompute');
    expect(run.status).toBe(200);
    expect(run.body.rows).toBeGreaterThan(0);

    const res = await get(headOffice, '/experiments');
    expect(res.status).toBe(200);
    const exp = res.body.experiments.find((e: { componentId: string }) => e.componentId === COMPONENT);
    expect(exp).toMatchObject({
      title: '早报',
      version: 1,
      controlId: 'ctl',
      verdict: 'winner',
      winnerId: 'new',
    });
    // 30/120 against 60/120: z = 4, p ≈ 6.3e-5; Wilson 95% for 60/120 is 0.4119–0.5881.
    expect(exp.sentence).toBe('new 方案点击率显著高于 ctl 方案（p<0.001）');
    const [ctl, neu] = exp.variants;
    expect(ctl).toMatchObject({ variantId: 'ctl', isControl: true, exposed: 120, converted: 30, rate: 0.25 });
    expect(ctl.pValue).toBeNull();
    expect(neu).toMatchObject({
      variantId: 'new',
      exposed: 120,
      converted: 60,
      rate: 0.5,
      verdict: 'winner',
    });
    expect(neu.pValue).toBeCloseTo(6.334e-5, 7);
    expect(neu.ciLow).toBeCloseTo(0.4119, 4);
    expect(neu.ciHigh).toBeCloseTo(0.5881, 4);

    // The seeded probe component (one client per variant) is listed too, but too early to judge.
    const probe = res.body.experiments.find((e: { componentId: string }) => e.componentId === 'scope-probe');
    expect(probe.verdict).toBe('too-early');
  });

  it("shows a branch's ops only their clients' counts, and refuses RMs", async () => {
    const a = await get(seeded.tokens.A.ops, `/experiments/${COMPONENT}`);
    expect(a.status).toBe(200);
    const [expA] = a.body.experiments;
    expect(
      expA.variants.map((v: { exposed: number; converted: number }) => [v.exposed, v.converted]),
    ).toEqual([
      [60, 15],
      [60, 40],
    ]);
    // 60 exposed per variant is below the 100 a verdict needs.
    expect(expA.verdict).toBe('too-early');
    const b = await get(seeded.tokens.B.ops, `/experiments/${COMPONENT}?outcome=clicked`);
    expect(b.body.experiments[0].variants[1]).toMatchObject({ exposed: 60, converted: 20 });
    // Branch A's list has no probe: only one of its variants reached a branch-A client.
    const list = await get(seeded.tokens.A.ops, '/experiments');
    expect(list.body.experiments.map((e: { componentId: string }) => e.componentId)).toEqual([COMPONENT]);

    const rm = await get(seeded.tokens.A.rm, '/experiments');
    expect(rm.status).toBe(403);
    expect((await get(headOffice, '/experiments/no-such-thing')).body.experiments).toEqual([]);
    expect((await get(headOffice, '/experiments?outcome=opened')).status).toBe(400);
  });

  it('measures another outcome on request', async () => {
    const res = await get(headOffice, `/experiments/${COMPONENT}?outcome=converted`);
    expect(res.body.outcome).toBe('converted');
    expect(res.body.experiments[0].variants.map((v: { converted: number }) => v.converted)).toEqual([0, 0]);
    expect(res.body.experiments[0].verdict).toBe('no-difference');
  });

  it('exports CSV with a BOM and Chinese headers', async () => {
    const res = await get(headOffice, `/experiments/${COMPONENT}?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const text = res.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('组件,版本,方案,触达人数,转化人数,转化率,置信区间下限,置信区间上限,p 值,结论');
    expect(lines[1]).toBe(
      `${COMPONENT},1,ctl,120,30,25.00%,18.11%,33.44%,,对照方案；new 方案点击率显著高于 ctl 方案（p<0.001）`,
    );
    expect(lines[2]).toMatch(
      /^exp-morning,1,new,120,60,50\.00%,41\.19%,58\.81%,<0\.0001,new 方案点击率显著高于/,
    );
  });

  it('recomputes idempotently, replacing rows rather than adding to them, also as the nightly job', async () => {
    const before = (await get(headOffice, `/experiments/${COMPONENT}`)).body.experiments;
    const rowsBefore = (await post(headOffice, '/experiments/recompute')).body.rows;
    const again = await post(headOffice, '/experiments/recompute');
    expect(again.body.rows).toBe(rowsBefore);
    expect((await get(headOffice, `/experiments/${COMPONENT}`)).body.experiments).toEqual(before);

    // New outcomes appear only once the nightly job recomputes.
    await outcomes('wm-xb-', 81, 90, 'new', 'clicked');
    expect(
      (await get(headOffice, `/experiments/${COMPONENT}`)).body.experiments[0].variants[1].converted,
    ).toBe(60);
    const log = createLogger({ level: 'silent', name: 'experiments-test' });
    const [job] = registerExperimentsJobs({
      experiments: createExperimentsService({
        db,
        repo: createExperimentsRepository(),
        minExposures: 100,
        alpha: 0.05,
        clock: fixedClock(new Date('2026-03-02T18:00:00Z')),
        log,
      }),
      log,
    });
    expect(job?.definition.name).toBe(RecomputeExperiments.name);
    await job?.run({ v: 1, payload: { runDate: '2026-03-02' } }, {} as never);
    // The worker invalidates the web role's kept answers when the job completes; here the test ran it.
    await web.reports.invalidate();
    const after = await get(headOffice, `/experiments/${COMPONENT}`);
    expect(after.body.experiments[0].variants[1].converted).toBe(70);
    expect(after.body.computedAt).toBe('2026-03-02T18:00:00.000Z');
  });
});
