import OpenAI from 'openai';
import { z } from 'zod';
import type { Log } from '../../../platform/logger.ts';
import type { Metrics } from '../../../platform/metrics.ts';
import { buildComposeMessages, buildRewriteMessages, type ChatMessage, NO_ANSWER } from './llm-prompts.ts';

/** Settings of an OpenAI-compatible chat endpoint. */
export type LlmSettings = {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  maxOutputChars: number;
};

/** An approved FAQ entry the model may ground on; `ref` is what it cites, e.g. "E1". */
export type GroundingEntry = { ref: string; question: string; answer: string };

/** A reply composed only from given entries, and the refs it cites. */
export type ComposedReply = { text: string; citations: string[] };

/** The LLM adapter the FAQ smart service uses when one is configured. */
export type LlmClient = ReturnType<typeof createLlmClient>;

const MAX_REWRITE_CHARS = 100;
const CITATION_RE = /\[(E\d+)\]/g;

// The endpoint is outside our control (and, with a text/plain reply, the SDK hands back a bare string), so
// only the fields we read are trusted, and only after this check.
const completionSchema = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().max(20_000).nullable().optional() }) }))
    .min(1),
});

/** Error text short enough for one log line; never the request, which may hold client text. */
function shortMessage(err: unknown): string {
  if (err instanceof z.ZodError) return 'malformed completion';
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 200);
}

/**
 * Creates the LLM adapter: one OpenAI-compatible chat call per operation, masked client text inside fixed
 * prompts, a hard deadline, validated output, and `null` instead of an exception on every failure so the
 * caller can always fall back to plain retrieval.
 */
export function createLlmClient(deps: {
  settings: LlmSettings;
  mask: (text: string) => string;
  log: Log;
  metrics?: Pick<Metrics, 'llmCalls'>;
}) {
  const { settings, log } = deps;
  const count = (op: string, result: 'ok' | 'failed' | 'rejected' | 'no_answer') =>
    deps.metrics?.llmCalls.inc({ op, result });
  // Retries would multiply the caller's wait past the deadline; the caller falls back instead.
  const openai = new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs,
    maxRetries: 0,
  });

  /** The model's reply text, or null (logged) on any failure; never later than `timeoutMs`. */
  async function complete(op: string, messages: ChatMessage[]): Promise<string | null> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The SDK's own timeout covers the HTTP exchange; this one also bounds anything after it (body
    // reading, a misbehaving fetch), so the caller's wait is capped whatever the server does.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`timed out after ${settings.timeoutMs} ms`));
      }, settings.timeoutMs);
    });
    try {
      const response = await Promise.race([
        openai.chat.completions.create(
          { model: settings.model, messages, temperature: 0 },
          { signal: controller.signal },
        ),
        deadline,
      ]);
      const content = completionSchema.parse(response).choices[0]?.message.content;
      if (!content) throw new Error('empty completion');
      return content;
    } catch (err) {
      log.warn({ err: shortMessage(err), op }, 'llm call failed');
      count(op, 'failed');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /** Rewrites a client's colloquial question into one short standard banking question; null on any failure. */
    async rewriteQuery(question: string): Promise<string | null> {
      const masked = deps.mask(question);
      if (!masked.trim()) return null;
      const reply = await complete('rewrite', buildRewriteMessages(masked));
      if (reply === null) return null;
      const text = reply.trim();
      if (text.length === 0 || text.length > MAX_REWRITE_CHARS || /[\r\n]/.test(text) || text === NO_ANSWER) {
        log.warn({ err: 'unusable rewrite', op: 'rewrite' }, 'llm reply rejected');
        count('rewrite', 'rejected');
        return null;
      }
      count('rewrite', 'ok');
      return text;
    },

    /**
     * Composes a reply grounded only in `entries`, citing them as [E1]; null on any failure or when it cites
     * nothing valid / answers outside the entries.
     */
    async composeReply(question: string, entries: readonly GroundingEntry[]): Promise<ComposedReply | null> {
      const masked = deps.mask(question);
      if (!masked.trim() || entries.length === 0) return null;
      // Entries are approved bank content, not client text, so they go out unmasked: masking would also
      // hide the bank's own published contacts in the answer.
      const reply = await complete('compose', buildComposeMessages(masked, entries));
      if (reply === null) return null;
      const text = reply.trim();
      if (text.includes(NO_ANSWER)) {
        count('compose', 'no_answer');
        return null;
      }
      const known = new Set(entries.map((e) => e.ref));
      const cited = [...new Set([...text.matchAll(CITATION_RE)].map((m) => m[1] as string))];
      const citations = cited.filter((ref) => known.has(ref));
      if (citations.length === 0 || text.length > settings.maxOutputChars) {
        log.warn(
          { err: citations.length ? 'reply too long' : 'no valid citation', op: 'compose' },
          'llm reply rejected',
        );
        count('compose', 'rejected');
        return null;
      }
      // A marker for an entry that was never given would show the client a citation that leads nowhere.
      const cleaned = text
        .replace(CITATION_RE, (marker, ref: string) => (known.has(ref) ? marker : ''))
        .trim();
      count('compose', 'ok');
      return { text: cleaned, citations };
    },
  };
}
