import { FIELD_INDEX, FIELDS, fieldOf, type TermBag } from './tokenizer.ts';

/** BM25's saturation (k1) and length normalisation (b), per field. */
export type Bm25Params = { k1: number; b: number };

/** Per-field scores of every document a query touched (arrays indexed by document number). */
export type FieldScores = {
  /** Documents with a non-zero score, in first-touch order (deterministic for a given index history). */
  touched: number[];
  /** `perField[f][doc]`: BM25 of field `f`; 0 for untouched documents, undefined past the array's end. */
  perField: Float64Array[];
  /** Per field, the query's score against a perfect match: Σ idf · min(qtf, cap). Divide by it to compare. */
  self: number[];
};

const QTF_CAP = 2;

/**
 * An incremental inverted index scored with fielded BM25. Documents are numbered by the caller, can be added
 * and removed at any time, and the collection statistics (df, average lengths) follow at once.
 */
export function createBm25Index(params: Bm25Params) {
  const nFields = FIELDS.length;
  const postings = new Map<string, Map<number, number>>();
  const lengths = FIELDS.map(() => [] as number[]);
  const totals = FIELDS.map(() => 0);
  const bags = new Map<number, TermBag>();
  let perField = FIELDS.map(() => new Float64Array(1024));
  let mark = new Uint8Array(1024);
  let lastTouched: number[] = [];

  const grow = (doc: number) => {
    if (doc < mark.length) return;
    const size = Math.max(doc + 1, mark.length * 2);
    perField = perField.map((a) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    });
    const m = new Uint8Array(size);
    m.set(mark);
    mark = m;
  };

  /** BM25 idf, never negative. */
  const idf = (term: string): number => {
    const df = postings.get(term)?.size ?? 0;
    return Math.log(1 + (bags.size - df + 0.5) / (df + 0.5));
  };

  function remove(doc: number): void {
    const bag = bags.get(doc);
    if (!bag) return;
    bags.delete(doc);
    for (const term of bag.keys()) {
      const p = postings.get(term);
      p?.delete(doc);
      if (p?.size === 0) postings.delete(term);
    }
    for (let f = 0; f < nFields; f++) {
      totals[f] = (totals[f] as number) - ((lengths[f] as number[])[doc] ?? 0);
      (lengths[f] as number[])[doc] = 0;
    }
  }

  function add(doc: number, bag: TermBag): void {
    remove(doc);
    grow(doc);
    bags.set(doc, bag);
    const len = FIELDS.map(() => 0);
    for (const [term, tf] of bag) {
      let p = postings.get(term);
      if (!p) {
        p = new Map();
        postings.set(term, p);
      }
      p.set(doc, tf);
      const f = FIELD_INDEX[fieldOf(term)];
      len[f] = (len[f] as number) + tf;
    }
    for (let f = 0; f < nFields; f++) {
      (lengths[f] as number[])[doc] = len[f] as number;
      totals[f] = (totals[f] as number) + (len[f] as number);
    }
  }

  /**
   * Scores every document sharing a term with the query; `idfOf` replaces this index's own idf (e.g. by
   * one computed over whole entries). The arrays are reused by the next call; every document the query
   * does not touch reads 0 (the previous call's documents are cleared first), so no score leaks between
   * queries.
   */
  function score(query: TermBag, idfOf: (term: string) => number = idf): FieldScores {
    for (const d of lastTouched) for (let g = 0; g < nFields; g++) (perField[g] as Float64Array)[d] = 0;
    const touched: number[] = [];
    lastTouched = touched;
    const self = FIELDS.map(() => 0);
    const n = bags.size || 1;
    const { k1, b } = params;
    for (const [term, qtf] of query) {
      const f = FIELD_INDEX[fieldOf(term)];
      const w = idfOf(term) * Math.min(qtf, QTF_CAP);
      self[f] = (self[f] as number) + w;
      const p = postings.get(term);
      if (!p) continue;
      const acc = perField[f] as Float64Array;
      const lens = lengths[f] as number[];
      const avg = (totals[f] as number) / n || 1;
      for (const [doc, tf] of p) {
        if (mark[doc] === 0) {
          mark[doc] = 1;
          touched.push(doc);
        }
        acc[doc] =
          (acc[doc] as number) + (w * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * (lens[doc] ?? 0)) / avg));
      }
    }
    for (const d of touched) mark[d] = 0;
    return { touched, perField, self };
  }

  return {
    add,
    remove,
    score,
    idf,
    /** Whether any live document has the term. */
    has: (term: string): boolean => postings.has(term),
    /** The terms a document was added with. */
    terms: (doc: number): TermBag | undefined => bags.get(doc),
    /** Number of live documents. */
    size: (): number => bags.size,
  };
}

/** An incremental fielded BM25 index. */
export type Bm25Index = ReturnType<typeof createBm25Index>;
