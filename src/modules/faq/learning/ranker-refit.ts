/**
 * The learning loop's refit: from the approved similar questions of the served KB, fit the supervised
 * n-gram ranker, choose how much it weighs and recalibrate the thresholds by cross-validation on those
 * examples, and compare the result with what is served now on a held-back slice the fit never saw. Only a
 * fit that does at least as well there is deployed. Runs in slices with pauses, so answering never waits.
 */
import { createHash } from 'node:crypto';
import { makeDecision } from '../retrieval/decision.ts';
import { DEFAULT_RETRIEVAL_MODEL, type DecisionThresholds } from '../retrieval/decision-defaults.ts';
import { createFaqIndex, type FaqIndex, type ScoreAdjuster } from '../retrieval/faq-index.ts';
import type { Lexicon } from '../retrieval/lexicon.loader.ts';
import {
  DEFAULT_NGRAM_FIT,
  fitNgramRanker,
  modelTerms,
  type NgramFitOptions,
  type NgramWeights,
  ngramScores,
  type TrainingExample,
} from './ngram-ranker.ts';

/** A fitted, deployable ranker: the n-gram weights, how much they weigh, and the thresholds with them. */
export type RankerFit = { beta: number; thresholds: DecisionThresholds; weights: NgramWeights };

/** The adjustment a fit adds to the lexical ranker's scores. */
export const fitAdjuster =
  (fit: Pick<RankerFit, 'beta' | 'weights'>): ScoreAdjuster =>
  (ids, query) => {
    if (fit.beta === 0) return ids.map(() => 0);
    return ngramScores(fit.weights, modelTerms(query), ids).map((s) => fit.beta * s);
  };

/** An entry of the served KB, as the refit reads it. */
export type RefitEntry = { entryId: string; question: string; similar: readonly string[]; answer: string };

/** How a ranker did on a set of questions. */
export type RefitScore = {
  questions: number;
  answered: number;
  correct: number;
  clarifiedResolved: number;
  /** (correct answers + resolved clarifications) / questions. */
  resolveRate: number;
  /** correct / answered (1 when nothing was answered). */
  precision: number;
  /** Share of clarifications whose choices held the right answer (1 when none). */
  clarifyHit: number;
};

/** What a refit found, and whether to deploy it. */
export type RefitReport = {
  examples: number;
  heldBack: number;
  cvQuestions: number;
  deploy: boolean;
  reason: string;
  chosen: {
    beta: number;
    answerThreshold: number;
    clarifyThreshold: number;
    clarifyMinShare: number;
    cv: RefitScore;
  } | null;
  heldBackCandidate: RefitScore | null;
  heldBackCurrent: RefitScore | null;
};

/** The refit's settings. */
export type RefitOptions = {
  /** Share of the examples held back to judge the candidate against what is served. */
  heldBackShare: number;
  cvFolds: number;
  /** At most this many cross-validation questions (they cost a lexical analysis per weight tried). */
  cvCap: number;
  /** The lower bound of direct answers' precision in cross-validation must reach this… */
  precisionTarget: number;
  /** …that many standard errors below the estimate (1: one; 1.645: a one-sided 95% bound). */
  precisionZ: number;
  /** At least this share of clarifications must offer the right answer (a client is not asked in vain). */
  clarifyHitFloor: number;
  /** Below this many examples nothing is fitted. */
  minExamples: number;
  /** The held-back slice must hold at least this many questions to judge a fit. */
  minHeldBack: number;
  betas: readonly number[];
  answerThresholds: readonly number[];
  clarifyThresholds: readonly number[];
  clarifyMinShares: readonly number[];
  fit: NgramFitOptions;
};

/**
 * Defaults: a fifth held back; the answer threshold is never set below 0.75, the clarify threshold never
 * below 0.2 (lower, out-of-domain questions start being offered choices: measured with bench:faq --ood).
 */
export const DEFAULT_REFIT: RefitOptions = {
  heldBackShare: 0.2,
  cvFolds: 3,
  cvCap: 600,
  precisionTarget: 0.95,
  precisionZ: 1,
  clarifyHitFloor: 0.6,
  minExamples: 50,
  minHeldBack: 30,
  betas: [0, 0.5, 1],
  answerThresholds: [0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98],
  clarifyThresholds: [0.2, 0.3, 0.4, 0.5],
  clarifyMinShares: [0.05, 0.1],
  fit: DEFAULT_NGRAM_FIT,
};

/** Terms and lexical candidates of a question, kept between refits (a question's pool barely moves). */
export type PoolCache = Map<string, { terms: string[]; pool: string[] }>;

/** A number in [0, 1) from a text: which slice and fold an example falls in, the same at every refit. */
const bucket = (text: string, salt: string): number =>
  createHash('sha1').update(`${salt}\u0000${text}`).digest().readUInt32BE(0) / 2 ** 32;

/**
 * A Wilson lower bound of direct answers' precision, `z` standard errors below the estimate: a few hundred
 * cross-validation questions measure precision loosely, and the target is for the questions still to come.
 */
export function precisionLowerBound(s: Pick<RefitScore, 'answered' | 'correct'>, z: number): number {
  const n = s.answered;
  if (n === 0) return 1;
  const p = s.correct / n;
  const centre = p + (z * z) / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return (centre - margin) / (1 + (z * z) / n);
}

/**
 * What the choice of weight and thresholds maximises: questions resolved, a resolved clarification counting
 * a little less than a direct answer (the client had to pick), so that of two settings resolving as much the
 * one that answers more directly wins.
 */
const CLARIFY_WORTH = 0.9;
export const refitUtility = (s: RefitScore) => s.correct + CLARIFY_WORTH * s.clarifiedResolved;

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

type Example = { text: string; entryId: string };

/** Judges a decision for one labelled question. */
function outcomeOf(
  d: ReturnType<typeof makeDecision>,
  entryId: string,
  sameAnswer: (a: string, b: string) => boolean,
) {
  if (d.outcome === 'answer')
    return { answered: 1, correct: sameAnswer(d.entryId, entryId) ? 1 : 0, cl: 0, clarified: 0 };
  if (d.outcome === 'clarify')
    return {
      answered: 0,
      correct: 0,
      cl: d.candidates.some((c) => sameAnswer(c.id, entryId)) ? 1 : 0,
      clarified: 1,
    };
  return { answered: 0, correct: 0, cl: 0, clarified: 0 };
}

function score(
  rows: readonly { answered: number; correct: number; cl: number; clarified: number }[],
): RefitScore {
  const answered = rows.reduce((s, r) => s + r.answered, 0);
  const clarified = rows.reduce((s, r) => s + r.clarified, 0);
  const correct = rows.reduce((s, r) => s + r.correct, 0);
  const cl = rows.reduce((s, r) => s + r.cl, 0);
  const n = rows.length;
  return {
    questions: n,
    answered,
    correct,
    clarifiedResolved: cl,
    resolveRate: n ? Number(((correct + cl) / n).toFixed(4)) : 0,
    precision: answered ? Number((correct / answered).toFixed(4)) : 1,
    clarifyHit: clarified ? Number((cl / clarified).toFixed(4)) : 1,
  };
}

/**
 * Refits the ranker on `entries` (the served KB: standard and approved similar questions). `current` is what
 * is served now (null: the shipped lexical ranker with `thresholds`).
 */
export async function refitRanker(input: {
  entries: readonly RefitEntry[];
  lexicon: Lexicon;
  thresholds: DecisionThresholds;
  current: RankerFit | null;
  options?: Partial<RefitOptions>;
  /** Pools of earlier refits, reused and extended (none: computed afresh). */
  cache?: PoolCache;
}): Promise<{ report: RefitReport; fit: RankerFit | null }> {
  const o = { ...DEFAULT_REFIT, ...input.options };
  const base = input.thresholds;
  const answers = new Map(input.entries.map((e) => [e.entryId, e.answer.trim()]));
  const entryById = new Map(input.entries.map((e) => [e.entryId, e]));
  const sameAnswer = (a: string, b: string) =>
    a === b || (!!answers.get(a) && answers.get(a) === answers.get(b));

  const heldBack: Example[] = [];
  const fitting: Example[] = [];
  for (const e of input.entries) {
    for (const text of new Set(e.similar)) {
      if (text === e.question) continue;
      (bucket(text, 'held-back') < o.heldBackShare ? heldBack : fitting).push({ text, entryId: e.entryId });
    }
  }
  const report: RefitReport = {
    examples: fitting.length,
    heldBack: heldBack.length,
    cvQuestions: 0,
    deploy: false,
    reason: '',
    chosen: null,
    heldBackCandidate: null,
    heldBackCurrent: null,
  };
  if (fitting.length < o.minExamples)
    return {
      report: { ...report, reason: `too few examples (${fitting.length} < ${o.minExamples})` },
      fit: null,
    };
  if (heldBack.length < o.minHeldBack)
    return {
      report: { ...report, reason: `too few held-back examples (${heldBack.length} < ${o.minHeldBack})` },
      fit: null,
    };

  // The index without the held-back questions: they must be new to everything judged on them.
  const held = new Set(heldBack.map((x) => `${x.entryId}\u0000${x.text}`));
  const similarOf = new Map<string, string[]>();
  const index = createFaqIndex({ lexicon: input.lexicon, thresholds: base });
  for (const [i, e] of input.entries.entries()) {
    const similar = e.similar.filter((t) => !held.has(`${e.entryId}\u0000${t}`));
    similarOf.set(e.entryId, similar);
    index.upsert({ id: e.entryId, question: e.question, similar, answer: e.answer });
    if (i % 50 === 49) await pause();
  }

  // Terms and candidate pools of every training question (its standard question included).
  const training: (TrainingExample & { text: string; standard: boolean })[] = [];
  const items = [
    ...input.entries.map((e) => ({ text: e.question, entryId: e.entryId, standard: true })),
    ...fitting.map((x) => ({ ...x, standard: false })),
  ];
  let computed = 0;
  for (const x of items) {
    let known = input.cache?.get(x.text);
    if (!known) {
      const p = index.pool(x.text);
      known = { terms: modelTerms(p.bag), pool: p.candidates.slice(0, o.fit.poolSize).map((c) => c.id) };
      input.cache?.set(x.text, known);
      if (++computed % 25 === 0) await pause();
    }
    training.push({ text: x.text, standard: x.standard, entryId: x.entryId, ...known });
  }

  // Cross-validation over the similar questions: each fold's questions are asked with their own text taken
  // out of the index and with a model fitted on the other folds.
  const foldOf = (text: string) => Math.floor(bucket(text, 'fold') * o.cvFolds);
  const sampleShare = Math.min(1, o.cvCap / fitting.length);
  const cv = fitting.filter((x) => bucket(x.text, 'cv-sample') < sampleShare);
  report.cvQuestions = cv.length;
  /** Per beta, per CV question: its analysis (the decision is made per threshold pair below). */
  const analyses = o.betas.map(() => [] as { a: ReturnType<FaqIndex['analyze']>; entryId: string }[]);
  for (let f = 0; f < o.cvFolds; f++) {
    const weights = await fitNgramRanker(
      training.filter((t) => t.standard || foldOf(t.text) !== f),
      o.fit,
      pause,
    );
    await pause();
    const inFold = cv.filter((x) => foldOf(x.text) === f);
    const byEntry = new Map<string, Example[]>();
    for (const x of inFold) byEntry.set(x.entryId, [...(byEntry.get(x.entryId) ?? []), x]);
    let n = 0;
    for (const [entryId, xs] of byEntry) {
      const e = entryById.get(entryId) as RefitEntry;
      const out = new Set(xs.map((x) => x.text));
      const keep = similarOf.get(entryId) ?? [];
      index.upsert({
        id: entryId,
        question: e.question,
        similar: keep.filter((t) => !out.has(t)),
        answer: e.answer,
      });
      for (const x of xs) {
        for (const [b, beta] of o.betas.entries())
          analyses[b]?.push({ a: index.analyze(x.text, fitAdjuster({ beta, weights })), entryId });
        if (++n % 5 === 0) await pause();
      }
      index.upsert({ id: entryId, question: e.question, similar: keep, answer: e.answer });
    }
  }

  // The weight and thresholds that resolve the most while direct answers stay precise enough.
  let best: RefitReport['chosen'] = null;
  for (const [b, beta] of o.betas.entries()) {
    const rows = analyses[b] ?? [];
    for (const answerThreshold of o.answerThresholds) {
      for (const clarifyThreshold of o.clarifyThresholds) {
        for (const clarifyMinShare of o.clarifyMinShares) {
          const t = { ...base, answerThreshold, clarifyThreshold, clarifyMinShare };
          const s = score(
            rows.map((r) => outcomeOf(makeDecision(r.a, DEFAULT_RETRIEVAL_MODEL, t), r.entryId, sameAnswer)),
          );
          if (precisionLowerBound(s, o.precisionZ) < o.precisionTarget || s.clarifyHit < o.clarifyHitFloor)
            continue;
          if (!best || refitUtility(s) > refitUtility(best.cv))
            best = { beta, answerThreshold, clarifyThreshold, clarifyMinShare, cv: s };
        }
      }
    }
    await pause();
  }
  report.chosen = best;
  if (!best)
    return {
      report: { ...report, reason: 'no setting reaches the precision target in cross-validation' },
      fit: null,
    };

  const fit: RankerFit = {
    beta: best.beta,
    thresholds: {
      ...base,
      answerThreshold: best.answerThreshold,
      clarifyThreshold: best.clarifyThreshold,
      clarifyMinShare: best.clarifyMinShare,
    },
    weights: await fitNgramRanker(training, o.fit, pause),
  };
  await pause();
  const judge = async (r: Pick<RankerFit, 'beta' | 'weights' | 'thresholds'>) => {
    const rows: ReturnType<typeof outcomeOf>[] = [];
    for (const x of heldBack) {
      const a = index.analyze(x.text, fitAdjuster(r));
      rows.push(outcomeOf(makeDecision(a, DEFAULT_RETRIEVAL_MODEL, r.thresholds), x.entryId, sameAnswer));
      if (rows.length % 20 === 0) await pause();
    }
    return score(rows);
  };
  const candidate = await judge(fit);
  const current = await judge(input.current ?? { beta: 0, weights: {}, thresholds: base });
  report.heldBackCandidate = candidate;
  report.heldBackCurrent = current;
  const precisionFloor = Math.min(o.precisionTarget, current.precision) - 0.01;
  if (refitUtility(candidate) < refitUtility(current))
    return { report: { ...report, reason: 'resolves less of the held-back slice than what is served' }, fit };
  if (candidate.precision < precisionFloor)
    return {
      report: { ...report, reason: 'answers the held-back slice less precisely than what is served' },
      fit,
    };
  return { report: { ...report, deploy: true, reason: 'at least as good on the held-back slice' }, fit };
}
