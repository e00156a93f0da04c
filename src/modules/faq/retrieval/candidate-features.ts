import type { Bm25Index, FieldScores } from './bm25-index.ts';
import { FIELDS, fieldOf, type TermBag } from './tokenizer.ts';

/** What a candidate entry is ranked on; weights for these are learned (decision-defaults.ts). */
export const RANK_FEATURES = [
  'qw', // best question: word BM25 / the query's self score in that field
  'qu', // … character unigrams
  'qb', // … bigrams
  'qt', // … trigrams
  'qs', // … synonym groups
  'q2', // second-best question of the entry, combined score
  'qsum', // sum of the entry's three best questions (several paraphrases agreeing)
  'ew', // the entry as one document (all its questions): word BM25
  'eu',
  'eb',
  'et',
  'es',
  'cov', // idf share of the query's words and characters found in the best question
  'rcov', // idf share of the best question's words and characters found in the query
  'ecov', // idf share of the query found anywhere in the entry
  'aw', // the entry's answer text: word BM25 (clients use the answer's words more than the question's)
  'au',
  'ab',
  'acov', // idf share of the query found in the answer text
  'miss', // idf mass of the best question's words and characters missing from the query (÷10)
  'extra', // idf mass of the query's words and characters missing from the best question (÷10)
  'lcs', // longest common subsequence with the best question ÷ query length (order-aware)
  'lcsq', // … ÷ the question's length
  'vote', // share of the ten best-matching questions (score-weighted) that belong to the entry
  'logq', // ln(1 + number of questions): entries clients ask more have more paraphrases
  'std', // the best question is the standard question
] as const;
/** One ranking feature. */
export type RankFeature = (typeof RANK_FEATURES)[number];

/** Field weights of the first-stage score that picks the best question and the candidate pool. */
export type FieldWeights = Record<(typeof FIELDS)[number], number>;

/** A candidate entry: its best question, first-stage score and feature vector (in RANK_FEATURES order). */
export type Candidate = { entry: number; bestDoc: number; first: number; features: number[] };

/** Per-question facts the feature builder needs. */
export type QuestionInfo = { entry: number; standard: boolean; units: readonly string[] };

/** Length of the longest common subsequence of two unit sequences (word order and typos, not just overlap). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++)
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

const VOTE_K = 10;

const norm = (s: number, self: number) => (self > 0 ? s / self : 0);

/** idf mass of the words and characters of `a`, and of those also in `b`. */
function overlapMass(a: TermBag, b: TermBag, idf: (t: string) => number): { hit: number; all: number } {
  let hit = 0;
  let all = 0;
  for (const term of a.keys()) {
    const f = fieldOf(term);
    if (f !== 'w' && f !== 'u') continue;
    const w = idf(term);
    all += w;
    if (b.has(term)) hit += w;
  }
  return { hit, all };
}

/** idf-weighted overlap: the share of `a`'s word and character mass also found in `b`. */
function overlap(a: TermBag, b: TermBag, idf: (t: string) => number): number {
  const { hit, all } = overlapMass(a, b, idf);
  return all > 0 ? hit / all : 0;
}

/**
 * Turns the raw BM25 scores of one query into ranked candidate entries with features. The pool is the
 * `poolSize` entries with the best first-stage score (best question + half the entry-document score).
 */
export function buildCandidates(input: {
  query: TermBag;
  queryUnits: readonly string[];
  questionScores: FieldScores;
  entryScores: FieldScores;
  answerScores: FieldScores;
  answerVocabulary: (entry: number) => TermBag | undefined;
  questions: ReadonlyMap<number, QuestionInfo>;
  entryQuestionCount: (entry: number) => number;
  entryVocabulary: (entry: number) => TermBag | undefined;
  questionIndex: Bm25Index;
  /** Document frequency over entries, not questions: a template word used in many entries weighs little. */
  entryIdf: (term: string) => number;
  fieldWeights: FieldWeights;
  poolSize: number;
}): Candidate[] {
  const { query, questionScores: qs, entryScores: es, fieldWeights: fw } = input;
  const wf = FIELDS.map((f) => fw[f]);
  const selfQ = FIELDS.reduce((s, _f, i) => s + (wf[i] as number) * (qs.self[i] as number), 0);
  const selfE = FIELDS.reduce((s, _f, i) => s + (wf[i] as number) * (es.self[i] as number), 0);
  // Per entry: its three best questions by the first-stage combined score.
  const top = new Map<number, [number, number, number, number]>(); // best doc, s1, s2, s3
  // The VOTE_K best questions overall (score, entry), kept sorted by insertion: the neighbours that vote.
  const nearest: [number, number][] = [];
  for (const d of qs.touched) {
    const info = input.questions.get(d);
    if (!info) continue;
    let s = 0;
    for (let f = 0; f < wf.length; f++) s += (wf[f] as number) * (qs.perField[f] as Float64Array)[d]!;
    s = norm(s, selfQ);
    const t = top.get(info.entry);
    if (!t) top.set(info.entry, [d, s, 0, 0]);
    else if (s > t[1]) top.set(info.entry, [d, s, t[1], t[2]]);
    else if (s > t[2]) t.splice(2, 2, s, t[2]);
    else if (s > t[3]) t[3] = s;
    if (nearest.length < VOTE_K || s > (nearest[VOTE_K - 1] as [number, number])[0]) {
      let i = Math.min(nearest.length, VOTE_K - 1);
      nearest[i] = [s, info.entry];
      for (; i > 0 && (nearest[i - 1] as [number, number])[0] < s; i--)
        [nearest[i - 1], nearest[i]] = [nearest[i] as [number, number], nearest[i - 1] as [number, number]];
    }
  }
  const votes = new Map<number, number>();
  const voteTotal = nearest.reduce((sum, [v]) => sum + v, 0) || 1;
  for (const [v, e] of nearest) votes.set(e, (votes.get(e) ?? 0) + v / voteTotal);
  const entryCombined = new Map<number, number>();
  for (const e of es.touched) {
    let s = 0;
    for (let f = 0; f < wf.length; f++) s += (wf[f] as number) * (es.perField[f] as Float64Array)[e]!;
    entryCombined.set(e, norm(s, selfE));
  }
  const pool = [...top.entries()]
    .map(([entry, t]) => ({ entry, t, base: t[1] + 0.5 * (entryCombined.get(entry) ?? 0) }))
    .sort((a, b) => b.base - a.base || a.entry - b.entry)
    .slice(0, input.poolSize);
  const idf = input.entryIdf;
  return pool.map(({ entry, t }) => {
    const [doc, s1, s2, s3] = t;
    const docTerms = input.questionIndex.terms(doc) ?? new Map<string, number>();
    const qf = FIELDS.map((_f, i) => norm((qs.perField[i] as Float64Array)[doc]!, qs.self[i] as number));
    const ef = FIELDS.map((_f, i) =>
      norm((es.perField[i] as Float64Array)[entry] ?? 0, es.self[i] as number),
    );
    const vocab = input.entryVocabulary(entry);
    const questionUnits = input.questions.get(doc)?.units ?? [];
    const lcs = lcsLength(input.queryUnits, questionUnits);
    const docMass = overlapMass(docTerms, query, idf);
    const queryMass = overlapMass(query, docTerms, idf);
    const answerVocab = input.answerVocabulary(entry);
    const as = input.answerScores;
    const af = (f: number) => norm((as.perField[f] as Float64Array)[entry] ?? 0, as.self[f] as number);
    const features = [
      ...qf,
      s2,
      s1 + s2 + s3,
      ...ef,
      overlap(query, docTerms, idf),
      overlap(docTerms, query, idf),
      vocab ? overlap(query, vocab, idf) : 0,
      af(0),
      af(1),
      af(2),
      answerVocab ? overlap(query, answerVocab, idf) : 0,
      (docMass.all - docMass.hit) / 10,
      (queryMass.all - queryMass.hit) / 10,
      lcs / Math.max(1, input.queryUnits.length),
      lcs / Math.max(1, questionUnits.length),
      votes.get(entry) ?? 0,
      Math.log(1 + input.entryQuestionCount(entry)),
      input.questions.get(doc)?.standard ? 1 : 0,
    ];
    return { entry, bestDoc: doc, first: s1, features };
  });
}
