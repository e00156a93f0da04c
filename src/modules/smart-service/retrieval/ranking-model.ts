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
  /** Linear ranker over RANK_FEATURES (a softmax over the pool gives probabilities). */
  ranker: Record<RankFeature, number>;
  /** P(top answer is right) — drives `answer`. */
  answerCalibrator: LogisticModel<DecisionFeature>;
  /** P(right answer is among the top three) — drives `clarify`. */
  clarifyCalibrator: LogisticModel<DecisionFeature>;
};

/** Dot product of a feature vector (RANK_FEATURES order) with the ranker weights. */
export function rankScore(features: readonly number[], weights: Record<RankFeature, number>): number {
  let s = 0;
  for (let i = 0; i < RANK_FEATURES.length; i++)
    s += (features[i] ?? 0) * weights[RANK_FEATURES[i] as RankFeature];
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
