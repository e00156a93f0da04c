import { RANK_FEATURES } from './candidate-features.ts';
import type { DecisionThresholds } from './decision-defaults.ts';
import type { FaqHit, QueryAnalysis } from './query-analysis.ts';
import { logisticProbability, type RetrievalModel } from './ranking-model.ts';

const COV = RANK_FEATURES.indexOf('cov');
/** Share of the query's idf mass a question must hold to count as covering the query. */
const FULL_COVER = 0.95;

/** Why a question was handed off to a person. */
export type HandoffReason = 'empty' | 'too_long' | 'no_match' | 'low_confidence';

/** The outcome for one question: answer with the top entry, ask which of 2–3 was meant, or hand off. */
export type FaqDecision =
  | { outcome: 'answer'; entryId: string; confidence: number; candidates: FaqHit[] }
  | { outcome: 'clarify'; confidence: number; candidates: FaqHit[] }
  | { outcome: 'handoff'; reason: HandoffReason; confidence: number; candidates: FaqHit[] };

/**
 * Decides from an analysed query. `confidence` is the calibrated probability that the top answer is right;
 * candidates are distinct answers (entries sharing an answer text count once), best first.
 */
export function makeDecision(a: QueryAnalysis, model: RetrievalModel, t: DecisionThresholds): FaqDecision {
  if (a.empty) return { outcome: 'handoff', reason: 'empty', confidence: 0, candidates: [] };
  const top = a.answers[0];
  if (!top) return { outcome: 'handoff', reason: 'no_match', confidence: 0, candidates: [] };
  const confidence = logisticProbability(model.answerCalibrator, a.features);
  const max = Math.max(1, Math.floor(t.clarifyMaxCandidates));
  // Offer answers the ranker finds likely, and answers whose question holds the whole query: for a bare
  // 信用卡 every 信用卡 entry is plausible, however sure the ranker is about one of them.
  const covers = new Set(a.ranked.filter((r) => (r.features[COV] ?? 0) >= FULL_COVER).map((r) => r.id));
  const offered = a.answers
    .filter((g) => g === top || g.probability >= t.clarifyMinShare * top.probability || covers.has(g.hit.id))
    .slice(0, max)
    .map((g) => g.hit);
  if (confidence >= t.answerThreshold)
    return { outcome: 'answer', entryId: top.hit.id, confidence, candidates: offered };
  const inTop = logisticProbability(model.clarifyCalibrator, a.features);
  if (inTop >= t.clarifyThreshold && offered.length >= 2)
    return { outcome: 'clarify', confidence, candidates: offered };
  return { outcome: 'handoff', reason: 'low_confidence', confidence, candidates: offered };
}
