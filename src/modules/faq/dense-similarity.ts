import type { Clock } from '../../platform/clock.ts';
import type { Log } from '../../platform/logger.ts';
import type { ServableEntry } from './faq.repository.ts';
import type { EmbeddingsClient } from './llm/embeddings-client.ts';
import type { ScoreAdjuster } from './retrieval/faq-index.ts';

/** What dense similarity needs of a served entry: which version, and its questions. */
export type DenseEntry = Pick<ServableEntry, 'entryId' | 'rowId' | 'question' | 'similar'>;

/** Dense similarity between a client's question and the served entries' questions. */
export type DenseSimilarity = ReturnType<typeof createDenseSimilarity>;

/**
 * A background batch (up to 64 questions) may take a self-hosted CPU model seconds; it never holds up an
 * answer, so it gets far longer than a query's embedding.
 */
const BATCH_TIMEOUT_MS = 30_000;
/** After a failed batch, entries are not retried for this long (a down endpoint is not asked every question). */
const RETRY_AFTER_MS = 30_000;
/** Texts per background request: the client's batch size, so one entry's questions travel together. */
const TEXTS_PER_SYNC_REQUEST = 64;
/** The most of a client's message sent to be embedded (longer messages are handed off unread anyway). */
const MAX_QUERY_CHARS = 1000;

/** `v` scaled to unit length, or null for a zero vector (it has no direction to compare). */
function normalised(v: Float32Array): Float32Array | null {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) return null;
  return v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** An entry's distinct questions (standard first), as the index reads them. */
const questionsOf = (e: DenseEntry): string[] => [
  ...new Set([e.question, ...e.similar].map((q) => q.trim()).filter((q) => q.length > 0)),
];

/**
 * Creates dense similarity over an OpenAI-compatible embeddings endpoint, as extra evidence for the FAQ
 * ranker. Each served entry's questions (standard and similar) are embedded once per version (keyed by the
 * version row's id) in the background: `sync` embeds only entries whose version changed since, and until
 * an entry's vectors are ready it contributes 0. Per question, one embedding call (bounded by the client's
 * deadline) gives an adjuster; if that call fails there is no adjuster and retrieval stays lexical.
 *
 * The logit added to candidate i is `weight × (s_i − mean s)`, where s_i is the best cosine between the
 * query and any of the entry's questions and the mean runs over the candidates that have vectors. The
 * softmax ignores a common shift, but the answer/clarify calibrators also read the top score and its lead:
 * raw cosines (0.3–0.9 for nearly any in-domain text, on most models) would lift every query's score and
 * with it the confidence to answer, out-of-domain ones included. Centred, the evidence only re-ranks:
 * entries closer to the question than the rest gain, the others lose, and a query equally far from all
 * candidates changes nothing.
 */
export function createDenseSimilarity(deps: {
  embedder: Pick<EmbeddingsClient, 'embed'>;
  /** What is served now (the FAQ service's `servedEntries`). */
  entries: () => readonly DenseEntry[];
  weight: number;
  /** Masks PII in a client's text before it leaves the process. */
  mask: (text: string) => string;
  clock: Clock;
  log: Log;
}) {
  const { weight, log } = deps;
  const cache = new Map<string, { rowId: string; vectors: Float32Array[] }>();
  let syncing: Promise<void> | null = null;
  let retryAt = 0;

  /** Embeds `todo` in requests of whole entries; stops at the first failure (the rest wait for a retry). */
  async function embedEntries(todo: DenseEntry[]): Promise<void> {
    let at = 0;
    while (at < todo.length) {
      const chunk: { entry: DenseEntry; texts: string[] }[] = [];
      let size = 0;
      while (at < todo.length) {
        const entry = todo[at] as DenseEntry;
        const texts = questionsOf(entry);
        if (chunk.length > 0 && size + texts.length > TEXTS_PER_SYNC_REQUEST) break;
        chunk.push({ entry, texts });
        size += texts.length;
        at++;
      }
      const vectors = await deps.embedder.embed(
        chunk.flatMap((c) => c.texts),
        { op: 'embed-entries', timeoutMs: BATCH_TIMEOUT_MS },
      );
      if (!vectors) {
        retryAt = deps.clock.now().getTime() + RETRY_AFTER_MS;
        return;
      }
      let next = 0;
      for (const { entry, texts } of chunk) {
        const own = vectors.slice(next, next + texts.length);
        next += texts.length;
        cache.set(entry.entryId, {
          rowId: entry.rowId,
          vectors: own.map(normalised).filter((v): v is Float32Array => v !== null),
        });
      }
    }
    log.info({ entries: todo.length }, 'FAQ entry embeddings updated');
  }

  /** Starts embedding entries whose served version has no vectors yet (at most one run at a time). */
  function sync(): void {
    if (syncing || deps.clock.now().getTime() < retryAt) return;
    const served = deps.entries();
    const ids = new Set(served.map((e) => e.entryId));
    for (const id of cache.keys()) if (!ids.has(id)) cache.delete(id);
    const todo = served.filter((e) => cache.get(e.entryId)?.rowId !== e.rowId);
    if (todo.length === 0) return;
    syncing = embedEntries(todo)
      .catch((err: unknown) => log.warn({ err: String(err).slice(0, 200) }, 'FAQ entry embeddings failed'))
      .finally(() => {
        syncing = null;
      });
  }

  /** The best cosine between `query` and the entry's questions, or undefined without comparable vectors. */
  function similarity(query: Float32Array, entryId: string): number | undefined {
    const cached = cache.get(entryId);
    let best: number | undefined;
    for (const v of cached?.vectors ?? []) {
      if (v.length !== query.length) continue;
      const s = dot(query, v);
      if (best === undefined || s > best) best = s;
    }
    return best;
  }

  return {
    sync,
    /**
     * The dense evidence for one client question, or undefined when there is none to give (weight 0, an
     * empty question after masking, the query's embedding failed or timed out). Also starts a `sync`.
     */
    async adjusterFor(question: string): Promise<ScoreAdjuster | undefined> {
      sync();
      if (weight === 0) return undefined;
      const text = deps.mask(question.slice(0, MAX_QUERY_CHARS)).trim();
      if (!text) return undefined;
      const [raw] = (await deps.embedder.embed([text], { op: 'embed-query' })) ?? [];
      const query = raw ? normalised(raw) : null;
      if (!query) return undefined;
      // Reads the cache when the index ranks (after its refresh), so vectors that landed meanwhile count.
      return (ids) => {
        const sims = ids.map((id) => similarity(query, id));
        const known = sims.filter((s): s is number => s !== undefined);
        if (known.length === 0) return ids.map(() => 0);
        const mean = known.reduce((a, b) => a + b, 0) / known.length;
        return sims.map((s) => (s === undefined ? 0 : weight * (s - mean)));
      };
    },
    /** How many served entries have vectors for their served version, and whether a batch is running. */
    status(): { served: number; embedded: number; syncing: boolean } {
      const served = deps.entries();
      const embedded = served.filter((e) => cache.get(e.entryId)?.rowId === e.rowId).length;
      return { served: served.length, embedded, syncing: syncing !== null };
    },
  };
}
