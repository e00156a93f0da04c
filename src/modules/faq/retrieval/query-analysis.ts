import { RANK_FEATURES } from './candidate-features.ts';
import { type DecisionFeature, type Ranker, rankScore, softmax } from './ranking-model.ts';
import type { TermBag } from './tokenizer.ts';

/** A ranked entry: ranker score, its probability among the candidates, and its best-matching question. */
export type FaqHit = { id: string; score: number; probability: number; matchedQuestion: string };

/** A candidate before ranking: which entry, its answer key, its first-stage score and ranking features. */
export type PoolCandidate = {
  id: string;
  answerKey: string;
  matchedQuestion: string;
  first: number;
  features: number[];
};

/** What the index found for a query, before the learned ranker: the candidates and vocabulary signals. */
export type CandidatePool = {
  /** The query had no letters or digits left after normalisation. */
  empty: boolean;
  candidates: PoolCandidate[];
  /** Share of the query's words / characters that occur anywhere in the KB. */
  known: number;
  knownChars: number;
  /** ln(1 + characters of the query). */
  len: number;
  /** The query's terms. */
  bag: TermBag;
};

/** One ranked candidate with its answer key and features. */
export type RankedCandidate = FaqHit & { answerKey: string; features: number[] };

/** A query, analysed: ranked candidates, answers grouped (entries sharing an answer are one), decision features. */
export type QueryAnalysis = {
  empty: boolean;
  ranked: RankedCandidate[];
  /** Distinct answers, best first: the best entry of each and the summed probability. */
  answers: { hit: FaqHit; answerKey: string; probability: number }[];
  features: Record<DecisionFeature, number>;
};

const GAP_CAP = 10;
const COV = RANK_FEATURES.indexOf('cov');
const RCOV = RANK_FEATURES.indexOf('rcov');
const VOTE = RANK_FEATURES.indexOf('vote');
const LOGQ = RANK_FEATURES.indexOf('logq');

/**
 * Further evidence about the candidates of one query, beyond the lexical features: a supervised in-domain
 * model, dense similarity. It returns one number per candidate id, added to the ranker's score (a logit),
 * so 0 changes nothing. Must be pure and fast: it runs inside `decide`.
 */
export type ScoreAdjuster = (ids: readonly string[], query: TermBag) => readonly number[];

/**
 * Ranks a candidate pool with the ranker's weights (plus `adjust`, if given) and computes the decision
 * features. Pure; ties break by id.
 */
export function rankPool(pool: CandidatePool, ranker: Ranker, adjust?: ScoreAdjuster): QueryAnalysis {
  const features: Record<DecisionFeature, number> = {
    p1: 0,
    p3: 0,
    z1: 0,
    gap: 0,
    first: 0,
    cov: 0,
    rcov: 0,
    known: pool.known,
    knownChars: pool.knownChars,
    len: pool.len,
    vote: 0,
    logq: 0,
    covered: 0,
  };
  const extra =
    adjust && pool.candidates.length > 0
      ? adjust(
          pool.candidates.map((c) => c.id),
          pool.bag,
        )
      : undefined;
  const scored = pool.candidates
    .map((c, i) => {
      const e = extra?.[i] ?? 0;
      return { c, z: rankScore(c.features, ranker) + (Number.isFinite(e) ? e : 0) };
    })
    .sort((a, b) => b.z - a.z || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
  const probs = softmax(scored.map((s) => s.z));
  const ranked: RankedCandidate[] = scored.map(({ c, z }, i) => ({
    id: c.id,
    score: z,
    probability: probs[i] as number,
    matchedQuestion: c.matchedQuestion,
    answerKey: c.answerKey,
    features: c.features,
  }));
  const answers: QueryAnalysis['answers'] = [];
  const byKey = new Map<string, QueryAnalysis['answers'][number]>();
  for (const r of ranked) {
    const g = byKey.get(r.answerKey);
    if (g) g.probability += r.probability;
    else {
      const group = {
        hit: { id: r.id, score: r.score, probability: r.probability, matchedQuestion: r.matchedQuestion },
        answerKey: r.answerKey,
        probability: r.probability,
      };
      byKey.set(r.answerKey, group);
      answers.push(group);
    }
  }
  // Stable sort: equal probabilities keep the ranker's order.
  answers.sort((a, b) => b.probability - a.probability);
  // The decision is about the top answer (which summing can lift above the single best entry).
  const topId = answers[0]?.hit.id;
  const top = scored.find((s) => s.c.id === topId);
  if (top) {
    const other = scored.find((s) => s.c.answerKey !== top.c.answerKey);
    features.p1 = answers[0]?.probability ?? 0;
    features.p3 = answers.slice(0, 3).reduce((s, a) => s + a.probability, 0);
    features.z1 = top.z;
    features.gap = Math.min(GAP_CAP, other ? top.z - other.z : GAP_CAP);
    features.first = top.c.first;
    features.cov = top.c.features[COV] ?? 0;
    features.rcov = top.c.features[RCOV] ?? 0;
    features.vote = top.c.features[VOTE] ?? 0;
    features.logq = top.c.features[LOGQ] ?? 0;
    features.covered = Math.log(1 + scored.filter((x) => (x.c.features[COV] ?? 0) >= 0.95).length);
  }
  return { empty: pool.empty, ranked, answers, features };
}
