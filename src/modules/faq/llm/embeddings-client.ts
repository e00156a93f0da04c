import OpenAI from 'openai';
import { z } from 'zod';
import type { Log } from '../../../platform/logger.ts';
import type { Metrics } from '../../../platform/metrics.ts';

/** Settings of an OpenAI-compatible embeddings endpoint (the LLM's base URL and key, its own model). */
export type EmbeddingsSettings = {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** The deadline of one call (a query's embedding); background batches pass their own. */
  timeoutMs: number;
};

/** The embeddings adapter the FAQ's dense similarity uses when one is configured. */
export type EmbeddingsClient = ReturnType<typeof createEmbeddingsClient>;

/** Texts per request: the OpenAI API takes up to 2048, self-hosted servers often far fewer. */
export const EMBEDDING_BATCH_SIZE = 64;
const MAX_DIMENSIONS = 8192;

// The endpoint is outside our control: only the fields we read are trusted, and only after this check.
const responseSchema = z.object({
  data: z.array(
    z.object({
      index: z.number().int().min(0).optional(),
      embedding: z.array(z.number().finite()).min(1).max(MAX_DIMENSIONS),
    }),
  ),
});

/**
 * Checks an embeddings response for `count` inputs: one finite vector per input (by `index`, or in order
 * when the server leaves it out), all of one dimension. Returns the vectors in input order, or null.
 */
export function parseEmbeddingsResponse(body: unknown, count: number): Float32Array[] | null {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success || parsed.data.data.length !== count) return null;
  const vectors = new Array<Float32Array | undefined>(count);
  for (const [i, item] of parsed.data.data.entries()) {
    const at = item.index ?? i;
    if (at >= count || vectors[at]) return null;
    vectors[at] = Float32Array.from(item.embedding);
  }
  const dims = vectors[0]?.length;
  if (!dims || vectors.some((v) => !v || v.length !== dims)) return null;
  // Finite in float64 can still overflow float32.
  if (vectors.some((v) => (v as Float32Array).some((x) => !Number.isFinite(x)))) return null;
  return vectors as Float32Array[];
}

/** Error text short enough for one log line; never the request, which may hold client text. */
function shortMessage(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 200);
}

/**
 * Creates the embeddings adapter: `POST {baseUrl}/embeddings` through the same OpenAI SDK, URL and key as
 * the chat client, at most 64 texts a request, a hard deadline, validated vectors, and `null` instead of an
 * exception on every failure (down, slow, non-2xx, malformed) so the caller can always fall back.
 */
export function createEmbeddingsClient(deps: {
  settings: EmbeddingsSettings;
  log: Log;
  metrics?: Pick<Metrics, 'llmCalls'>;
}) {
  const { settings, log } = deps;
  // Retries would multiply the caller's wait past the deadline; the caller falls back instead.
  const openai = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey, maxRetries: 0 });

  /** One request's vectors, or null (logged); never later than `timeoutMs`. */
  async function request(op: string, input: string[], timeoutMs: number): Promise<Float32Array[] | null> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Also bounds anything after the HTTP exchange (body reading, a misbehaving fetch).
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const response: unknown = await Promise.race([
        // Floats, not the SDK's default base64: every OpenAI-compatible server speaks them.
        openai.embeddings.create(
          { model: settings.model, input, encoding_format: 'float' },
          { signal: controller.signal, timeout: timeoutMs },
        ),
        deadline,
      ]);
      const vectors = parseEmbeddingsResponse(response, input.length);
      if (!vectors) throw new Error('malformed embeddings response');
      return vectors;
    } catch (err) {
      log.warn({ err: shortMessage(err), op, texts: input.length }, 'embeddings call failed');
      deps.metrics?.llmCalls.inc({ op, result: 'failed' });
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /**
     * The vectors of `texts` in order (requests of at most 64 texts, one after another, each bounded by
     * `timeoutMs`), or null if any request fails. `op` labels logs and metrics.
     */
    async embed(
      texts: readonly string[],
      opts: { op: string; timeoutMs?: number },
    ): Promise<Float32Array[] | null> {
      const out: Float32Array[] = [];
      for (let at = 0; at < texts.length; at += EMBEDDING_BATCH_SIZE) {
        const batch = texts.slice(at, at + EMBEDDING_BATCH_SIZE);
        const vectors = await request(opts.op, batch, opts.timeoutMs ?? settings.timeoutMs);
        if (!vectors) return null;
        out.push(...vectors);
      }
      if (out.length > 0 && out.some((v) => v.length !== (out[0] as Float32Array).length)) {
        log.warn({ err: 'dimension changed between requests', op: opts.op }, 'embeddings call failed');
        return null;
      }
      deps.metrics?.llmCalls.inc({ op: opts.op, result: 'ok' });
      return out;
    },
  };
}
