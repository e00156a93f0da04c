import type { FaqHit, FaqIndex } from './faq-index.ts';

/** Thresholds of the three outcomes; defaults are chosen on development data (docs/faq-retrieval.md). */
export type DecisionThresholds = {
  /** Answer when the top entry's normalised score is at least this… */
  answerScore: number;
  /** …and it beats the best entry with a different answer by at least this share of its score. */
  answerMargin: number;
  /** Offer the top candidates to choose from when the top score is at least this. */
  clarifyScore: number;
  /** Below this share of known words, the question is out of the KB's domain: hand off. */
  minKnownWords: number;
};

/** The outcome for one question. */
export type Decision =
  | { outcome: 'answer'; confidence: number; entryId: string; candidates: FaqHit[] }
  | { outcome: 'clarify'; confidence: number; candidates: FaqHit[] }
  | {
      outcome: 'handoff';
      confidence: number;
      reason: 'empty' | 'too_long' | 'out_of_domain' | 'low_confidence';
      candidates: FaqHit[];
    };

/** Questions longer than this are not matched (a pasted document is not a standard question). */
export const MAX_QUESTION_CHARS = 500;

/**
 * Decides between answering, clarifying and handing off. Entries that share an answer count as one, so
 * two phrasings of the same answer never make a question look ambiguous. Never throws.
 */
export function decide(
  index: FaqIndex,
  question: string,
  t: DecisionThresholds,
  answerOf: (id: string) => string | undefined = () => undefined,
): Decision {
  if (question.length > MAX_QUESTION_CHARS)
    return { outcome: 'handoff', confidence: 0, reason: 'too_long', candidates: [] };
  const q = index.features(question);
  if (q.size === 0) return { outcome: 'handoff', confidence: 0, reason: 'empty', candidates: [] };
  const hits = index.search(q, 10);
  const top = hits[0];
  if (!top) return { outcome: 'handoff', confidence: 0, reason: 'out_of_domain', candidates: [] };
  const key = (h: FaqHit) => answerOf(h.id) ?? h.id;
  const distinct: FaqHit[] = [];
  for (const h of hits) if (!distinct.some((d) => key(d) === key(h))) distinct.push(h);
  const second = distinct[1]?.score ?? 0;
  const margin = top.score > 0 ? (top.score - second) / top.score : 0;
  const confidence = Math.min(1, top.score) * (0.5 + 0.5 * margin);
  if (index.known(q) < t.minKnownWords) {
    return { outcome: 'handoff', confidence, reason: 'out_of_domain', candidates: distinct.slice(0, 3) };
  }
  if (top.score >= t.answerScore && margin >= t.answerMargin) {
    return { outcome: 'answer', confidence, entryId: top.id, candidates: distinct.slice(0, 3) };
  }
  if (top.score >= t.clarifyScore && distinct.length > 1) {
    return { outcome: 'clarify', confidence, candidates: distinct.slice(0, 3) };
  }
  return { outcome: 'handoff', confidence, reason: 'low_confidence', candidates: distinct.slice(0, 3) };
}
