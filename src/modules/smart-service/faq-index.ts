import { type FeatureSpace, type Features, questionFeatures, spaceOf } from './faq-text.ts';

/** An FAQ entry as retrieval sees it: its standard question, its similar questions (相似问法), its answer. */
export type FaqEntry = { id: string; question: string; similar: readonly string[]; answer?: string };

/** A ranked entry: the best-matching of its questions and how well it matched. */
export type FaqHit = { id: string; score: number; matched: string; coverage: number };

type Doc = { entryId: string; text: string; features: Features; length: number };

/** Scoring knobs: BM25's k1 and b, and the weight of each feature space. */
export type IndexTuning = { k1: number; b: number; weights: Record<FeatureSpace, number> };
/** Defaults chosen by cross-validation on development data (docs/faq-retrieval.md). */
export const DEFAULT_TUNING: IndexTuning = {
  k1: 0.8,
  b: 0.75,
  weights: { word: 1, bigram: 0.5, unigram: 0.5, synonym: 0.8 },
};

/**
 * An in-memory BM25 index over every standard and similar question, scoring an entry by its best question.
 * Entries can be added, replaced and removed at any time (the KB changes while Helix runs).
 */
export function createFaqIndex(opts: { synonyms: ReadonlyMap<string, string>; tuning?: IndexTuning }) {
  const { k1: K1, b: B, weights: W } = opts.tuning ?? DEFAULT_TUNING;
  const docs = new Map<number, Doc>();
  const byEntry = new Map<string, number[]>();
  const postings = new Map<string, Map<number, number>>();
  let nextDoc = 0;
  let totalLength = 0;

  const idf = (term: string) => {
    const df = postings.get(term)?.size ?? 0;
    return Math.log(1 + (docs.size - df + 0.5) / (df + 0.5));
  };

  function remove(id: string): void {
    for (const d of byEntry.get(id) ?? []) {
      const doc = docs.get(d);
      if (!doc) continue;
      for (const term of doc.features.keys()) {
        const p = postings.get(term);
        p?.delete(d);
        if (p?.size === 0) postings.delete(term);
      }
      totalLength -= doc.length;
      docs.delete(d);
    }
    byEntry.delete(id);
  }

  function upsert(e: FaqEntry): void {
    remove(e.id);
    const ids: number[] = [];
    for (const text of new Set([e.question, ...e.similar])) {
      const features = questionFeatures(text, opts.synonyms);
      if (features.size === 0) continue;
      const d = nextDoc++;
      let length = 0;
      for (const [term, tf] of features) {
        const p = postings.get(term) ?? new Map<number, number>();
        postings.set(term, p);
        p.set(d, tf);
        length += tf;
      }
      docs.set(d, { entryId: e.id, text, features, length });
      totalLength += length;
      ids.push(d);
    }
    byEntry.set(e.id, ids);
  }

  /** The query's best possible score against itself: the scale that makes scores comparable. */
  function selfScore(q: Features): number {
    let s = 0;
    for (const [term] of q) s += W[spaceOf(term)] * idf(term);
    return s;
  }

  return {
    upsert,
    remove,
    /** How many entries and questions are indexed. */
    size: () => ({ entries: byEntry.size, questions: docs.size }),
    /** Vocabulary check for out-of-domain questions: the share of the query's word weight the KB has seen. */
    known(q: Features): number {
      let seen = 0;
      let all = 0;
      for (const [term] of q) {
        if (spaceOf(term) !== 'word') continue;
        all += 1;
        if (postings.has(term)) seen += 1;
      }
      return all === 0 ? 0 : seen / all;
    },
    features: (text: string) => questionFeatures(text, opts.synonyms),
    selfScore,
    /** The best `k` entries for a question, scores normalised by the question's self score (0…~1). */
    search(q: Features, k: number): FaqHit[] {
      if (q.size === 0 || docs.size === 0) return [];
      const avg = totalLength / docs.size;
      const scores = new Map<number, number>();
      const matchedMass = new Map<number, number>();
      for (const [term, qtf] of q) {
        const p = postings.get(term);
        if (!p) continue;
        const w = W[spaceOf(term)] * idf(term) * Math.min(qtf, 2);
        for (const [d, tf] of p) {
          const len = docs.get(d)?.length ?? avg;
          const s = (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avg));
          scores.set(d, (scores.get(d) ?? 0) + s);
          matchedMass.set(d, (matchedMass.get(d) ?? 0) + W[spaceOf(term)] * idf(term));
        }
      }
      const self = selfScore(q) || 1;
      const best = new Map<string, FaqHit>();
      for (const [d, s] of scores) {
        const doc = docs.get(d) as Doc;
        const score = s / self;
        const prev = best.get(doc.entryId);
        if (!prev || score > prev.score) {
          best.set(doc.entryId, {
            id: doc.entryId,
            score,
            matched: doc.text,
            coverage: (matchedMass.get(d) ?? 0) / self,
          });
        }
      }
      return [...best.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, k);
    },
  };
}

/** The FAQ index. */
export type FaqIndex = ReturnType<typeof createFaqIndex>;
