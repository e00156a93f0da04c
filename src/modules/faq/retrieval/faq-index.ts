import { createBm25Index } from './bm25-index.ts';
import { buildCandidates, type QuestionInfo } from './candidate-features.ts';
import { type FaqDecision, makeDecision } from './decision.ts';
import {
  DEFAULT_DECISION_THRESHOLDS,
  DEFAULT_RETRIEVAL_MODEL,
  type DecisionThresholds,
} from './decision-defaults.ts';
import { EMPTY_LEXICON, type Lexicon } from './lexicon.loader.ts';
import {
  type CandidatePool,
  type FaqHit,
  type QueryAnalysis,
  rankPool,
  type ScoreAdjuster,
} from './query-analysis.ts';
import type { RetrievalModel } from './ranking-model.ts';
import { createTokenizer, type TermBag, type TokenizerOptions } from './tokenizer.ts';

/** Re-exported so callers need only this module. */
export type { CandidatePool, FaqHit, QueryAnalysis, ScoreAdjuster } from './query-analysis.ts';

/** An FAQ entry as retrieval sees it: its standard question, similar questions (相似问法) and answer. */
export type FaqEntryInput = {
  id: string;
  question: string;
  similar: readonly string[];
  answer?: string;
  category?: string;
};

type EntryRecord = { num: number; input: FaqEntryInput; answerKey: string; docs: number[] };

/**
 * Creates an in-memory FAQ index: BM25 over every standard and similar question and over each entry as a
 * whole, a learned ranker (linear in the features, their squares and paired products) over the candidates,
 * and a calibrated answer / clarify / hand-off decision.
 * Entries can be upserted and removed at any time. Pure, synchronous and deterministic.
 */
export function createFaqIndex(
  opts: {
    lexicon?: Lexicon;
    tokenizer?: Partial<TokenizerOptions>;
    model?: RetrievalModel;
    thresholds?: DecisionThresholds;
  } = {},
) {
  const model = opts.model ?? DEFAULT_RETRIEVAL_MODEL;
  const defaultThresholds = opts.thresholds ?? DEFAULT_DECISION_THRESHOLDS;
  const tokenize = createTokenizer(opts.lexicon ?? EMPTY_LEXICON, opts.tokenizer);
  const questionIndex = createBm25Index(model.questionBm25);
  const entryIndex = createBm25Index(model.entryBm25);
  const answerIndex = createBm25Index(model.answerBm25);
  const entries = new Map<string, EntryRecord>();
  const byNum = new Map<number, EntryRecord>();
  const questions = new Map<number, QuestionInfo & { text: string }>();
  const freeDocs: number[] = [];
  const freeEntries: number[] = [];
  let nextDoc = 0;
  let nextEntry = 0;

  function remove(id: string): boolean {
    const rec = entries.get(id);
    if (!rec) return false;
    for (const d of rec.docs) {
      questionIndex.remove(d);
      questions.delete(d);
      freeDocs.push(d);
    }
    entryIndex.remove(rec.num);
    answerIndex.remove(rec.num);
    entries.delete(id);
    byNum.delete(rec.num);
    freeEntries.push(rec.num);
    return true;
  }

  function upsert(entry: FaqEntryInput): void {
    remove(entry.id);
    const num = freeEntries.pop() ?? nextEntry++;
    const answerKey = entry.answer?.trim() ? `a:${entry.answer.trim()}` : `id:${entry.id}`;
    // A copy: the caller may reuse its objects, the index must not change behind its back.
    const rec: EntryRecord = { num, input: { ...entry, similar: [...entry.similar] }, answerKey, docs: [] };
    const merged: TermBag = new Map();
    const seen = new Set<string>();
    for (const [i, text] of [entry.question, ...entry.similar].entries()) {
      const key = text.trim();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const { bag, units } = tokenize(text);
      if (bag.size === 0) continue;
      const d = freeDocs.pop() ?? nextDoc++;
      questionIndex.add(d, bag);
      questions.set(d, { entry: num, standard: i === 0, text, units });
      rec.docs.push(d);
      for (const [t, tf] of bag) merged.set(t, (merged.get(t) ?? 0) + tf);
    }
    if (merged.size > 0) entryIndex.add(num, merged);
    const answerBag = entry.answer ? tokenize(entry.answer).bag : undefined;
    if (answerBag && answerBag.size > 0) answerIndex.add(num, answerBag);
    entries.set(entry.id, rec);
    byNum.set(num, rec);
  }

  function pool(query: string): CandidatePool {
    const { bag, units } = tokenize(query);
    if (bag.size === 0) return { empty: true, candidates: [], known: 0, knownChars: 0, len: 0, bag };
    const found = buildCandidates({
      query: bag,
      queryUnits: units,
      questionScores: questionIndex.score(bag, model.questionIdf === 'entry' ? entryIndex.idf : undefined),
      entryScores: entryIndex.score(bag),
      answerScores: answerIndex.score(bag),
      answerVocabulary: (e) => answerIndex.terms(e),
      questions,
      entryQuestionCount: (e) => byNum.get(e)?.docs.length ?? 0,
      entryVocabulary: (e) => entryIndex.terms(e),
      questionIndex,
      entryIdf: entryIndex.idf,
      fieldWeights: model.fieldWeights,
      poolSize: model.poolSize,
    });
    let words = 0;
    let known = 0;
    let chars = 0;
    let knownChars = 0;
    for (const term of bag.keys()) {
      if (term[0] === 'w') {
        words++;
        if (questionIndex.has(term)) known++;
      } else if (term[0] === 'u') {
        chars++;
        if (questionIndex.has(term)) knownChars++;
      }
    }
    return {
      empty: false,
      candidates: found.map((c) => {
        const rec = byNum.get(c.entry) as EntryRecord;
        return {
          id: rec.input.id,
          answerKey: rec.answerKey,
          matchedQuestion: questions.get(c.bestDoc)?.text ?? rec.input.question,
          first: c.first,
          features: c.features,
        };
      }),
      known: words > 0 ? known / words : 0,
      knownChars: chars > 0 ? knownChars / chars : 0,
      len: Math.log(1 + chars),
      bag,
    };
  }

  const analyze = (query: string, adjust?: ScoreAdjuster): QueryAnalysis =>
    rankPool(pool(query), model.ranker, adjust);

  function inspect(
    query: string,
    thresholds: DecisionThresholds = defaultThresholds,
    adjust?: ScoreAdjuster,
  ): { decision: FaqDecision; analysis: QueryAnalysis | null } {
    if (query.length > thresholds.maxQueryChars)
      return {
        decision: { outcome: 'handoff', reason: 'too_long', confidence: 0, candidates: [] },
        analysis: null,
      };
    const analysis = analyze(query, adjust);
    return { decision: makeDecision(analysis, model, thresholds), analysis };
  }

  return {
    /** Adds or replaces an entry (by id); its questions and answer are searchable at once. */
    upsert,
    /** Removes an entry; false if it was not indexed. */
    remove,
    /** Whether an entry is indexed. */
    has: (id: string): boolean => entries.has(id),
    /** How many entries and questions are indexed. */
    size: () => ({ entries: entries.size, questions: questions.size }),
    /** The `k` best entries for a query, best first (empty for an empty query; never throws). */
    search(query: string, k = 10): FaqHit[] {
      return analyze(query)
        .ranked.slice(0, Math.max(0, k))
        .map(({ id, score, probability, matchedQuestion }) => ({ id, score, probability, matchedQuestion }));
    },
    /**
     * Answer, clarify or hand off (thresholds default to the index's; `adjust` adds evidence beyond the
     * lexical features to the ranker's scores). Never throws.
     */
    decide: (
      query: string,
      thresholds: DecisionThresholds = defaultThresholds,
      adjust?: ScoreAdjuster,
    ): FaqDecision => inspect(query, thresholds, adjust).decision,
    /** The decision together with the analysis behind it (for benchmarks, logs and model fitting). */
    inspect,
    /** The full analysis of a query: for benchmarks and logs. */
    analyze,
    /** The candidates before the learned ranker: for fitting the model on cross-validation folds. */
    pool,
    /** The terms of a text, as the index reads it. */
    terms: (text: string): TermBag => tokenize(text).bag,
  };
}

/** An FAQ index. */
export type FaqIndex = ReturnType<typeof createFaqIndex>;
