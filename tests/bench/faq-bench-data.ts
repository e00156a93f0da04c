/**
 * Shared by the FAQ benchmark and the model fitting script: reading the evaluation TSVs where they lie
 * (nothing is copied into the repository), building an index from a KB plus similar questions, judging
 * a result, and splitting a queries file into cross-validation folds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DecisionThresholds } from '../../src/modules/faq/retrieval/decision-defaults.ts';
import {
  createFaqIndex,
  type FaqIndex,
  type ScoreAdjuster,
} from '../../src/modules/faq/retrieval/faq-index.ts';
import { type Lexicon, loadLexicon } from '../../src/modules/faq/retrieval/lexicon.loader.ts';
import type { RetrievalModel } from '../../src/modules/faq/retrieval/ranking-model.ts';
import type { TokenizerOptions } from '../../src/modules/faq/retrieval/tokenizer.ts';

/** A KB row. */
export type KbRow = { id: string; question: string; answer: string };
/** A labelled query row: the text and the id of the entry it means. */
export type QueryRow = { q: string; id: string };

const tsv = (file: string): string[][] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/u, ''))
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));

/** Reads `id question answer` rows. */
export const readKb = (file: string): KbRow[] =>
  tsv(file).map(([id, question, answer]) => ({
    id: id ?? '',
    question: question ?? '',
    answer: answer ?? '',
  }));
/** Reads `query id` rows. */
export const readQueries = (file: string): QueryRow[] =>
  tsv(file).map(([q, id]) => ({ q: q ?? '', id: id ?? '' }));
/** Reads `query` rows. */
export const readOod = (file: string): string[] => tsv(file).map(([q]) => q ?? '');

/** The project lexicon (content-library/faq). */
export const projectLexicon = (): Lexicon =>
  loadLexicon(path.join(import.meta.dirname, '..', '..', 'content-library', 'faq'));

/** Judges by answer text when the KB has answers (entries sharing an answer are equally right), else by id. */
export function makeJudge(kb: readonly KbRow[]): (got: string, gold: string) => boolean {
  const answers = new Map(kb.map((e) => [e.id, e.answer.trim()]));
  const hasAnswers = kb.some((e) => e.answer.trim());
  return (got, gold) =>
    got === gold || (hasAnswers && !!answers.get(got) && answers.get(got) === answers.get(gold));
}

/** Builds an index of the KB with `similar` rows loaded as the similar questions of their entries. */
export function buildIndex(
  kb: readonly KbRow[],
  similar: readonly QueryRow[],
  lexicon: Lexicon,
  opts: { model?: RetrievalModel; tokenizer?: Partial<TokenizerOptions> } = {},
): FaqIndex {
  const index = createFaqIndex({ lexicon, ...opts });
  const extra = new Map<string, string[]>();
  for (const s of similar) extra.set(s.id, [...(extra.get(s.id) ?? []), s.q]);
  for (const e of kb)
    index.upsert({
      id: e.id,
      question: e.question,
      similar: extra.get(e.id) ?? [],
      answer: e.answer || undefined,
    });
  return index;
}

/** Row `i` goes to fold `i mod k` (rows of one entry are adjacent in the files, so they spread over folds). */
export const foldOf = (i: number, k: number): number => i % k;

/** Counts for the benchmark's numbers. */
export type Tally = {
  n: number;
  top1: number;
  top3: number;
  answered: number;
  correct: number;
  clarified: number;
  clarifyHit: number;
  times: number[];
};
/** An empty tally. */
export const newTally = (): Tally => ({
  n: 0,
  top1: 0,
  top3: 0,
  answered: 0,
  correct: 0,
  clarified: 0,
  clarifyHit: 0,
  times: [],
});

/** Answers `queries` and updates the tally; returns how many of `ood` were auto-answered. */
export function runQueries(
  index: FaqIndex,
  queries: readonly QueryRow[],
  ood: readonly string[],
  thresholds: DecisionThresholds,
  judge: (got: string, gold: string) => boolean,
  tally: Tally,
  adjust?: ScoreAdjuster,
): number {
  for (const row of queries) {
    const start = performance.now();
    const { decision: d, analysis } = index.inspect(row.q, thresholds, adjust);
    tally.times.push(performance.now() - start);
    tally.n++;
    const top = analysis?.ranked.slice(0, 3) ?? [];
    if (top[0] && judge(top[0].id, row.id)) tally.top1++;
    if (top.some((h) => judge(h.id, row.id))) tally.top3++;
    if (d.outcome === 'answer') {
      tally.answered++;
      if (judge(d.entryId, row.id)) tally.correct++;
    } else if (d.outcome === 'clarify') {
      tally.clarified++;
      if (d.candidates.some((c) => judge(c.id, row.id))) tally.clarifyHit++;
    }
  }
  let oodAnswered = 0;
  for (const q of ood) if (index.decide(q, thresholds, adjust).outcome === 'answer') oodAnswered++;
  return oodAnswered;
}

/** The benchmark's summary numbers. */
export function summarize(t: Tally, ood: { n: number; answered: number }) {
  const times = [...t.times].sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  const r = (x: number) => Number(x.toFixed(4));
  return {
    queries: t.n,
    top1: r(t.top1 / (t.n || 1)),
    top3: r(t.top3 / (t.n || 1)),
    resolveRate: r(t.correct / (t.n || 1)),
    resolvePrecision: r(t.answered ? t.correct / t.answered : 0),
    oodAbstain: ood.n ? r(1 - ood.answered / ood.n) : null,
    clarifyRate: r(t.clarified / (t.n || 1)),
    clarifyHit: r(t.clarified ? t.clarifyHit / t.clarified : 0),
    handoffRate: r((t.n - t.answered - t.clarified) / (t.n || 1)),
    p50Ms: r(pct(0.5)),
    p99Ms: r(pct(0.99)),
  };
}
