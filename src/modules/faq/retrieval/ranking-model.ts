import type { FieldWeights, RankFeature } from './candidate-features.ts';
import { RANK_FEATURES } from './candidate-features.ts';

/** What the decision's confidence is computed from, per query (about its top candidates, not the data). */
export const DECISION_FEATURES = [
  'p1', // ranker probability of the top answer (entries sharing an answer are summed)
  'p3', // … of the top three answers together
  'z1', // ranker score of the top entry
  'gap', // its lead over the best entry with a different answer (capped)
  'first', // first-stage score of the top entry's best question (0…~1)
  'cov', // idf share of the query found in the top entry's best question
  'rcov', // idf share of that question found in the query
  'known', // share of the query's words that occur anywhere in the KB (low = out of domain)
  'knownChars', // share of the query's characters that occur anywhere in the KB
  'len', // ln(1 + characters of the query)
  'vote', // the top entry's share of the best-matching questions
  'logq', // ln(1 + questions of the top entry): well-paraphrased entries are matched more reliably
  'covered', // ln(1 + candidates whose best question holds ≥ 95% of the query): 信用卡 alone fits many
] as const;
/** One decision feature. */
export type DecisionFeature = (typeof DECISION_FEATURES)[number];

/** Ranker weights: per feature, per squared feature, and per PAIRED_FEATURES product (expandRankFeatures order). */
export type Ranker = {
  linear: Record<RankFeature, number>;
  squares: Record<RankFeature, number>;
  pairs: number[];
};

/** A logistic model: probability = σ(bias + Σ weight·feature). */
export type LogisticModel<F extends string> = { bias: number; weights: Record<F, number> };

/** Everything learned or tuned about ranking and confidence; shipped as defaults in decision-defaults.ts. */
export type RetrievalModel = {
  /** BM25 of single questions and of whole entries (all their questions as one document). */
  questionBm25: { k1: number; b: number };
  /** idf of question scoring: over questions, or over entries (template words of paraphrases weigh less). */
  questionIdf: 'question' | 'entry';
  entryBm25: { k1: number; b: number };
  answerBm25: { k1: number; b: number };
  /** First-stage field weights: pick each entry's best question and the candidate pool. */
  fieldWeights: FieldWeights;
  /** How many entries the second stage ranks. */
  poolSize: number;
  /** Ranker over RANK_FEATURES, their squares and paired products (a softmax over the pool gives probabilities). */
  ranker: Ranker;
  /** P(top answer is right) — drives `answer`. */
  answerCalibrator: LogisticModel<DecisionFeature>;
  /** P(right answer is among the top three) — drives `clarify`. */
  clarifyCalibrator: LogisticModel<DecisionFeature>;
};

/**
 * The features whose pairwise products the ranker also weighs: the match scores and coverages, where
 * "both high" means more than the sum of each (a linear ranker alone cannot say that).
 */
export const PAIRED_FEATURES: readonly RankFeature[] = [
  'qw',
  'qu',
  'qb',
  'qs',
  'q2',
  'qsum',
  'cov',
  'rcov',
  'ecov',
  'lcs',
  'lcsq',
  'vote',
];
const PAIRED = PAIRED_FEATURES.map((f) => RANK_FEATURES.indexOf(f));
/** How many pairwise products `expandRankFeatures` appends. */
export const PAIR_COUNT = (PAIRED.length * (PAIRED.length - 1)) / 2;

/**
 * A candidate's ranking vector: the features (RANK_FEATURES order), their squares, then the products of
 * every pair of PAIRED_FEATURES (in index order). The ranker is linear in this vector.
 */
export function expandRankFeatures(x: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < RANK_FEATURES.length; i++) out.push(x[i] ?? 0);
  for (let i = 0; i < RANK_FEATURES.length; i++) out.push((x[i] ?? 0) ** 2);
  for (let a = 0; a < PAIRED.length; a++)
    for (let b = a + 1; b < PAIRED.length; b++)
      out.push((x[PAIRED[a] as number] ?? 0) * (x[PAIRED[b] as number] ?? 0));
  return out;
}

/** The ranker's weights for a vector laid out as `expandRankFeatures` returns it. */
export function rankerFromVector(w: readonly number[]): Ranker {
  const n = RANK_FEATURES.length;
  const named = (offset: number) =>
    Object.fromEntries(RANK_FEATURES.map((f, i) => [f, w[offset + i] ?? 0])) as Record<RankFeature, number>;
  return {
    linear: named(0),
    squares: named(n),
    pairs: Array.from({ length: PAIR_COUNT }, (_, i) => w[2 * n + i] ?? 0),
  };
}

/** Ranker score of a candidate's features: linear terms, squares and paired products. */
export function rankScore(features: readonly number[], ranker: Ranker): number {
  let s = 0;
  for (let i = 0; i < RANK_FEATURES.length; i++) {
    const f = RANK_FEATURES[i] as RankFeature;
    const x = features[i] ?? 0;
    s += x * ranker.linear[f] + x * x * ranker.squares[f];
  }
  let k = 0;
  for (let a = 0; a < PAIRED.length; a++) {
    const xa = features[PAIRED[a] as number] ?? 0;
    for (let b = a + 1; b < PAIRED.length; b++, k++)
      s += xa * (features[PAIRED[b] as number] ?? 0) * (ranker.pairs[k] ?? 0);
  }
  return s;
}

/** Numerically stable softmax. */
export function softmax(scores: readonly number[]): number[] {
  if (scores.length === 0) return [];
  const max = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** Logistic function. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Probability from a logistic model and a feature record. */
export function logisticProbability<F extends string>(m: LogisticModel<F>, x: Record<F, number>): number {
  let z = m.bias;
  for (const k of Object.keys(m.weights) as F[]) z += m.weights[k] * x[k];
  return Number.isFinite(z) ? sigmoid(z) : 0;
}
