import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { createConfiguredSmartService } from '../../src/app/faq-wiring.ts';
import { createServices } from '../../src/app/services.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createRankerRefitService } from '../../src/modules/faq/learning/ranker-refit.service.ts';
import { refitUtility } from '../../src/modules/faq/learning/ranker-refit.ts';
import { createRankerFitsRepository } from '../../src/modules/faq/ranker-fits.repository.ts';
import { loadLexicon } from '../../src/modules/faq/retrieval/lexicon.loader.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { reviewRewordings } from '../helpers/faq-rewordings.ts';
import { createTestContext } from '../helpers/infra.ts';

type Smart = ReturnType<typeof createConfiguredSmartService>;

let ctx: AppContext;
let close: () => Promise<void>;
let services: ReturnType<typeof createServices>;
let smart: Smart;

// Small test KB: the refit's floors are lowered so that the starter FAQ and a few review rounds suffice.
const TEST_OPTIONS = { minExamples: 20, minHeldBack: 5 };
/** Another process's smart service on the same database. */
const anotherProcess = () =>
  createConfiguredSmartService({
    config: ctx.config,
    db: ctx.database.db,
    check: services.checker(),
    clock: ctx.clock,
    log: ctx.log,
    metrics: ctx.metrics,
  });

/** A refit service as the wiring builds it, with test options. */
const refitter = (options: Record<string, unknown> = {}) =>
  createRankerRefitService({
    db: ctx.database.db,
    faq: smart.faq,
    fits: createRankerFitsRepository(),
    audit: createAuditRepository(),
    lexicon: loadLexicon(`${ctx.config.contentLibraryDir}/faq`),
    thresholds: ctx.config.faq.thresholds,
    options: { ...TEST_OPTIONS, ...options },
    log: ctx.log,
  });

const deployedId = async () =>
  (
    await queryRows<{ id: number | null }>(
      ctx.database.db,
      sql`SELECT max(id)::int AS id FROM faq_ranker_fits WHERE status = 'deployed'`,
    )
  )[0]?.id ?? null;

beforeAll(async () => {
  ({ ctx, close } = await createTestContext({ LOG_LEVEL: 'warn' }));
  services = createServices(ctx);
  smart = services.smart();
  await smart.faq.syncLibrary(services.starterFaq());
  await reviewRewordings(smart, ctx.database.db);
}, 60_000);
afterAll(async () => {
  await services?.close();
  await close?.();
});

describe('the learning loop refits the ranker on approved similar questions', () => {
  it('deploys a fit that does at least as well on the held-back slice, and every process serves it', async () => {
    const out = await refitter().refit('scheduler');
    expect(out.status).toBe('deployed');
    if (out.status === 'skipped') return;
    expect(out.report.examples).toBeGreaterThanOrEqual(TEST_OPTIONS.minExamples);
    expect(out.report.heldBack).toBeGreaterThanOrEqual(TEST_OPTIONS.minHeldBack);
    // The held-back questions were never fitted on, and the fit does no worse on them.
    const { heldBackCandidate: cand, heldBackCurrent: cur } = out.report;
    if (!cand || !cur) throw new Error('a deployed refit was judged on the held-back slice');
    expect(refitUtility(cand)).toBeGreaterThanOrEqual(refitUtility(cur));
    // Chosen by cross-validation, with the precision of direct answers at the target.
    expect(out.report.chosen?.cv.precision).toBeGreaterThanOrEqual(0.95);
    expect(await deployedId()).toBe(out.id);

    // Another process picks the fit up with its next question, through the KB's fingerprint.
    const other = anotherProcess();
    expect(other.faq.learned()).toBeNull();
    await other.answerer.answer('信用卡丢了怎么挂失', {});
    expect(other.faq.learned()?.version).toBe(`fit-${out.id}`);
    expect(other.faq.learned()?.thresholds.answerThreshold).toBe(out.report.chosen?.answerThreshold);
    // And the refit is audited.
    const audit = await queryRows<{ actor: string }>(
      ctx.database.db,
      sql`SELECT actor FROM audit_log WHERE action = 'faq.ranker.refit' AND target_id = ${String(out.id)}`,
    );
    expect(audit.map((a) => a.actor)).toEqual(['scheduler']);
  });

  it('does not refit a KB that has not changed', async () => {
    const out = await refitter().refit('scheduler');
    expect(out).toEqual({
      id: null,
      status: 'skipped',
      reason: 'the served KB has not changed since the last refit',
    });
  });

  it('keeps serving what it serves when a refit scores worse on the held-back slice', async () => {
    const before = await deployedId();
    const question = '我的信用卡不见了怎么办';
    const served = await smart.answerer.answer(question, {});
    // A fit that learns backwards, weighed heavily: cross-validation has no better weight to fall back on.
    const worse = await refitter({
      betas: [4],
      precisionTarget: 0,
      clarifyHitFloor: 0,
      fit: { epochs: 3, learningRate: -0.6, l2: 1e-4, keepPerEntry: 400, poolSize: 10 },
    }).refit('ops-li', { force: true });
    expect(worse.status).toBe('not_deployed');
    if (worse.status === 'skipped') return;
    expect(worse.report.reason).toMatch(/held-back slice/);
    const { heldBackCandidate: worseCand, heldBackCurrent: served0 } = worse.report;
    if (!worseCand || !served0) throw new Error('the refit was judged on the held-back slice');
    expect(refitUtility(worseCand)).toBeLessThan(refitUtility(served0));
    expect(await deployedId()).toBe(before);
    // The client gets the same reply as before the refit.
    const after = await smart.answerer.answer(question, {});
    expect(after.outcome).toBe(served.outcome);
    expect(after.suggestions.map((s) => s.entryId)).toEqual(served.suggestions.map((s) => s.entryId));
    const rows = await queryRows<{ status: string }>(
      ctx.database.db,
      sql`SELECT status FROM faq_ranker_fits WHERE id = ${worse.id}`,
    );
    expect(rows[0]?.status).toBe('not_deployed');
  });

  it('answers questions while a refit is running', async () => {
    let refitted = false;
    const running = refitter()
      .refit('scheduler', { force: true })
      .then(() => {
        refitted = true;
      });
    const reply = await smart.answerer.answer('信用卡年费怎么收取', {});
    expect(reply.outcome).toBe('answer');
    expect(refitted).toBe(false);
    await running;
    expect(refitted).toBe(true);
  });
});
