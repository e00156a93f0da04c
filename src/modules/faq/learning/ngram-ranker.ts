/**
 * The supervised in-domain ranker the learning loop fits: per entry, a weight for each character n-gram
 * and word of a question (the tokenizer's `w`, `u`, `b` and `s` terms), trained as a softmax over the
 * lexical index's candidate pool of each labelled question. It learns what the approved similar questions
 * of an entry have in common that BM25 weighs too little, and what tells confusable entries apart.
 * Pure and deterministic; the weights are plain numbers, so a fit can be stored and loaded.
 */
import type { TermBag } from '../retrieval/tokenizer.ts';

/** A labelled question: its terms, the entry it means, and the entries it could be confused with. */
export type TrainingExample = { terms: readonly string[]; entryId: string; pool: readonly string[] };

/** Per entry, term → weight (only the weights that matter are kept). */
export type NgramWeights = Record<string, Record<string, number>>;

/** The term fields the model reads: words, characters, bigrams, synonym groups (not trigrams). */
const FIELDS = new Set(['w', 'u', 'b', 's']);

/** The distinct terms of a bag the model reads. */
export const modelTerms = (bag: TermBag): string[] => [...bag.keys()].filter((t) => FIELDS.has(t[0] ?? ''));

/** Fitting settings. */
export type NgramFitOptions = {
  epochs: number;
  learningRate: number;
  l2: number;
  /** The largest weights of each entry kept in the fit. */
  keepPerEntry: number;
  /** The first this many entries of each pool compete in training (the lexical ranker's best). */
  poolSize: number;
};

/** Defaults: a few passes of SGD, light L2, the ten best lexical candidates as the competition. */
export const DEFAULT_NGRAM_FIT: NgramFitOptions = {
  epochs: 3,
  learningRate: 0.6,
  l2: 1e-4,
  keepPerEntry: 400,
  poolSize: 10,
};

/** Deterministic order for SGD (a fixed-seed shuffle, so a refit of the same data gives the same model). */
function order(n: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  let a = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    a = (Math.imul(a, 1_664_525) + 1_013_904_223) >>> 0;
    const j = a % (i + 1);
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx;
}

/** The model's score of each of `ids` for a question with `terms`. */
export function ngramScores(
  weights: NgramWeights,
  terms: readonly string[],
  ids: readonly string[],
): number[] {
  const x = terms.length > 0 ? 1 / Math.sqrt(terms.length) : 0;
  return ids.map((id) => {
    const w = weights[id];
    if (!w) return 0;
    let s = 0;
    for (const t of terms) s += w[t] ?? 0;
    return s * x;
  });
}

/**
 * Fits the weights (deterministic: the pauses only let other work in): for each example, a softmax over its pool (its own entry included), and a gradient
 * step on the weights of the pool's entries for the example's terms. Terms are binary, scaled by
 * 1/√(number of terms) so long and short questions weigh alike.
 */
export async function fitNgramRanker(
  examples: readonly TrainingExample[],
  opts: NgramFitOptions = DEFAULT_NGRAM_FIT,
  /** Awaited every few hundred examples, so a long fit lets other work run (a refit in a busy worker). */
  pause: () => Promise<void> = async () => {},
): Promise<NgramWeights> {
  const weights = new Map<string, Map<string, number>>();
  const row = (id: string) => {
    let w = weights.get(id);
    if (!w) {
      w = new Map();
      weights.set(id, w);
    }
    return w;
  };
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const rate = opts.learningRate / (1 + epoch);
    let done = 0;
    for (const i of order(examples.length, epoch + 1)) {
      if (++done % 250 === 0) await pause();
      const ex = examples[i] as TrainingExample;
      if (ex.terms.length === 0) continue;
      const top = ex.pool.slice(0, opts.poolSize);
      const pool = top.includes(ex.entryId) ? top : [...top, ex.entryId];
      const x = 1 / Math.sqrt(ex.terms.length);
      const scores = pool.map((id) => {
        const w = weights.get(id);
        if (!w) return 0;
        let s = 0;
        for (const t of ex.terms) s += w.get(t) ?? 0;
        return s * x;
      });
      const max = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      for (const [k, id] of pool.entries()) {
        const g = (exp[k] as number) / sum - (id === ex.entryId ? 1 : 0);
        if (Math.abs(g) < 1e-4) continue;
        const w = row(id);
        for (const t of ex.terms) {
          const old = w.get(t) ?? 0;
          w.set(t, old - rate * (g * x + opts.l2 * old));
        }
      }
    }
  }
  // Only the largest weights of each entry are kept: the model stays small enough to store and load.
  const out: NgramWeights = {};
  for (const [id, w] of weights) {
    const kept = [...w.entries()]
      .filter(([, v]) => Math.abs(v) >= 1e-3)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, opts.keepPerEntry);
    if (kept.length > 0) out[id] = Object.fromEntries(kept.map(([t, v]) => [t, Number(v.toFixed(4))]));
  }
  return out;
}
