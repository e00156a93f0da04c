/**
 * The learning-curve benchmark behind `npm run bench:faq -- --kb K --stream Q --review-every N`: Helix's own
 * smart service on a real database (a scratch PostgreSQL database under DATABASE_URL, else PGlite in
 * memory), fed the questions of Q one at a time in an order fixed by the seed.
 *
 * - The KB is imported as drafts and approved by a compliance reviewer, as a bank would load it.
 * - Each question is decided exactly as the FAQ bot decides (`replyFor` of bots/faq-bot.ts on the smart
 *   answerer's plan) and recorded in the question log.
 * - A clarification counts as resolved when the offered choices hold the right answer: the simulated client
 *   picks it, which is recorded as the bot records a client's pick.
 * - Every N questions the simulated ops review runs through the review service: the queue (clustered), each
 *   question attached to its true entry as a similar question by `ops-reviewer`, every draft approved by
 *   `compliance-reviewer` (maker ≠ checker; a draft with a blocking finding is refused and counted), and
 *   the served index refreshed. After every `refitEvery` reviews the learning loop's refit runs, as its
 *   scheduled job would (it may deploy a fit, or keep what is served).
 * - At the end, the out-of-domain questions (if given) are asked once of the final bot.
 */
import pino from 'pino';
import { replyFor } from '../../bots/faq-bot.ts';
import { createConfiguredChecker } from '../../src/app/compliance-wiring.ts';
import { createConfiguredSmartService } from '../../src/app/faq-wiring.ts';
import type { Config } from '../../src/config.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { type Db, openDatabase } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { createScratchDatabase } from '../helpers/scratch-database.ts';
import type { KbRow, QueryRow } from './faq-bench-data.ts';

/** A deterministic shuffle (mulberry32 seeded Fisher–Yates). */
export function shuffled<T>(rows: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out = [...rows];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

type Block = { n: number; answered: number; correct: number; clarified: number; clarifiedResolved: number };
const newBlock = (): Block => ({ n: 0, answered: 0, correct: 0, clarified: 0, clarifiedResolved: 0 });
const add = (a: Block, b: Block): Block => ({
  n: a.n + b.n,
  answered: a.answered + b.answered,
  correct: a.correct + b.correct,
  clarified: a.clarified + b.clarified,
  clarifiedResolved: a.clarifiedResolved + b.clarifiedResolved,
});
const r4 = (x: number) => Number(x.toFixed(4));

/** Runs the stream; returns the benchmark's result. */
export async function runStream(opts: {
  config: Config;
  kb: readonly KbRow[];
  stream: readonly QueryRow[];
  reviewEvery: number;
  seed: number;
  judge: (got: string, gold: string) => boolean;
  say: (line: string) => void;
  /** Run the learning loop's refit after every this many reviews (0: never; the lexical ranker alone). */
  refitEvery: number;
  /** Out-of-domain questions, asked once at the end (not logged): what the final bot does with them. */
  ood: readonly string[];
  /** Called with the database before it is dropped (tests look at what the run recorded). */
  onFinish?: (db: Db) => Promise<void>;
}) {
  const scratch = process.env.DATABASE_URL
    ? await createScratchDatabase('helix_bench_faq_stream')
    : undefined;
  const database = await openDatabase({ url: scratch?.url, pgliteDir: 'memory://', poolMax: 4 });
  const log = createLogger({ level: 'warn', name: 'helix-bench', destination: pino.destination(2) });
  try {
    await database.migrate();
    const { db } = database;
    const config = opts.config;
    const check = createConfiguredChecker(config);
    const smart = createConfiguredSmartService({
      config: { ...config, llm: null },
      db,
      check,
      clock: systemClock,
      log,
      metrics: createMetrics(),
    });
    const maker = 'ops-reviewer';
    const checker = { name: 'compliance-reviewer', role: 'compliance' as const };

    // The KB, as ops import it and compliance approves it.
    const t0 = performance.now();
    await smart.faq.importDrafts(
      opts.kb.map((e, i) => ({
        line: i + 2,
        id: e.id,
        category: '',
        question: e.question,
        similar: [],
        answer: e.answer || e.question,
        tiers: [],
        productRiskLevel: null,
        validFrom: null,
        validUntil: null,
      })),
      maker,
    );
    let refused = 0;
    for (const e of opts.kb) {
      try {
        await smart.faq.review(e.id, 1, checker, 'approved');
      } catch {
        refused++;
      }
    }
    opts.say(
      `KB: ${opts.kb.length} entries approved (${refused} refused) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const order = shuffled(opts.stream, opts.seed);
    const labelOf = new Map<number, string>();
    const blocks: Block[] = [];
    let block = newBlock();
    /** Per question, in stream order: what happened to it (for the exact last quarter). */
    const each: Block[] = [];
    let reviews = 0;
    let attached = 0;
    let approvals = 0;
    let refusedDrafts = 0;
    const times: number[] = [];
    let refitSeconds = 0;
    const refits: Record<string, unknown>[] = [];

    async function review() {
      reviews++;
      const queue = await smart.review.queue(100_000);
      const drafts: { entryId: string; version: number }[] = [];
      for (const cluster of queue.clusters) {
        // A reviewer reads the cluster and files each question under the entry it really asks about.
        const byEntry = new Map<string, number[]>();
        for (const id of cluster.questionIds) {
          const label = labelOf.get(id);
          if (label) byEntry.set(label, [...(byEntry.get(label) ?? []), id]);
        }
        for (const [entryId, ids] of byEntry) {
          drafts.push(await smart.review.attach(ids, entryId, maker));
          attached += ids.length;
        }
      }
      for (const d of drafts) {
        try {
          await smart.faq.review(d.entryId, d.version, checker, 'approved');
          approvals++;
        } catch {
          refusedDrafts++;
        }
      }
      if (opts.refitEvery === 0 || reviews % opts.refitEvery !== 0) return;
      // The learning loop's refit, as its scheduled job runs it after the review.
      const t = performance.now();
      const out = await smart.refit.refit('scheduler');
      refitSeconds += (performance.now() - t) / 1000;
      if (out.status !== 'skipped') {
        refits.push({
          afterQuestions: labelOf.size,
          status: out.status,
          reason: out.report.reason,
          examples: out.report.examples,
          heldBack: out.report.heldBack,
          chosen: out.report.chosen && {
            beta: out.report.chosen.beta,
            answerThreshold: out.report.chosen.answerThreshold,
            clarifyThreshold: out.report.chosen.clarifyThreshold,
            cvResolve: out.report.chosen.cv.resolveRate,
            cvPrecision: out.report.chosen.cv.precision,
          },
          heldBackCandidate: out.report.heldBackCandidate?.resolveRate ?? null,
          heldBackCurrent: out.report.heldBackCurrent?.resolveRate ?? null,
        });
      }
    }

    for (const [i, row] of order.entries()) {
      const start = performance.now();
      const plan = await smart.answerer.answer(row.q, {});
      const reply = replyFor(plan);
      times.push(performance.now() - start);
      const outcome = reply.outcome;
      const questionId = await smart.questionLog.record(db, 'bot', row.q, plan, { outcome });
      labelOf.set(questionId, row.id);
      const q = newBlock();
      q.n = 1;
      if (outcome === 'answer') {
        q.answered = 1;
        const entryId = plan.composed?.entryIds[0] ?? plan.suggestions[0]?.entryId ?? '';
        if (opts.judge(entryId, row.id)) q.correct = 1;
      } else if (outcome === 'clarify') {
        q.clarified = 1;
        const pick = plan.suggestions.find((s) => opts.judge(s.entryId, row.id));
        if (pick) {
          q.clarifiedResolved = 1;
          await db.transaction((tx) => smart.questions.resolveClarification(tx, questionId, pick.entryId));
        }
      }
      each.push(q);
      block = add(block, q);
      if ((i + 1) % opts.reviewEvery === 0 || i === order.length - 1) {
        blocks.push(block);
        block = newBlock();
        if (i < order.length - 1) await review();
        if (blocks.length % 5 === 0) opts.say(`${i + 1} questions, ${reviews} reviews`);
      }
    }

    let oodAnswered = 0;
    let oodClarified = 0;
    for (const q of opts.ood) {
      const outcome = replyFor(await smart.answerer.answer(q, {})).outcome;
      if (outcome === 'answer') oodAnswered++;
      else if (outcome === 'clarify') oodClarified++;
    }
    await opts.onFinish?.(db);
    const total = blocks.reduce(add, newBlock());
    const last = each.slice(Math.floor(order.length * 0.75)).reduce(add, newBlock());
    const sorted = [...times].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    return {
      questions: total.n,
      answered: total.answered,
      answeredCorrect: total.correct,
      answeredPrecision: r4(total.answered ? total.correct / total.answered : 0),
      clarified: total.clarified,
      clarifiedResolved: total.clarifiedResolved,
      handedOff: total.n - total.answered - total.clarified,
      resolved: r4((total.correct + total.clarifiedResolved) / (total.n || 1)),
      resolvedLastQuarter: r4((last.correct + last.clarifiedResolved) / (last.n || 1)),
      answeredLastQuarter: r4(last.correct / (last.n || 1)),
      precisionLastQuarter: r4(last.answered ? last.correct / last.answered : 0),
      lastQuarterQuestions: last.n,
      curve: blocks.map((b) => r4((b.correct + b.clarifiedResolved) / (b.n || 1))),
      answeredCurve: blocks.map((b) => r4(b.correct / (b.n || 1))),
      reviews,
      attached,
      approvals,
      refusedDrafts,
      oodAbstain: opts.ood.length ? r4(1 - oodAnswered / opts.ood.length) : null,
      oodClarified: opts.ood.length ? r4(oodClarified / opts.ood.length) : null,
      refitSeconds: Number(refitSeconds.toFixed(1)),
      deployedFits: refits.filter((r) => r.status === 'deployed').length,
      refits,
      p50Ms: r4(pct(0.5)),
      p99Ms: r4(pct(0.99)),
      database: database.kind,
    };
  } finally {
    await database.close?.();
    await scratch?.drop();
  }
}
