import { z } from 'zod';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { TOKEN_ERRCODES, TRANSPORT, WECOM_ERRCODES, WecomApiError } from './errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { TokenCache } from './token-cache.ts';
import type { Transport } from './transport.ts';

/** Limits and retry policy; every number is configuration (docs/wecom.md "Limits"). */
export type ClientPolicy = {
  /** Calls per corp per API per minute (WeCom: 10,000). */
  apiPerMinute: number;
  /** App messages per member per minute (WeCom: 30; the excess is dropped silently, so we never send it). */
  memberMessagesPerMinute: number;
  /** Tries for -1 (busy) and 45033 (concurrency), including the first. */
  busyTries: number;
  busyBackoffMs: number;
  /** After a 45009 every caller of that API waits this long; calls are delayed, never dropped. */
  rateLimitedPauseMs: number;
  /** The longest a call may be delayed by limits before it fails. */
  maxDelayMs: number;
  timeoutMs: number;
};

/** Default policy, matching WeCom's published limits. */
export const DEFAULT_POLICY: ClientPolicy = {
  apiPerMinute: 10_000,
  memberMessagesPerMinute: 30,
  busyTries: 3,
  busyBackoffMs: 200,
  rateLimitedPauseMs: 2_000,
  maxDelayMs: 120_000,
  timeoutMs: 10_000,
};

// Our pacing can fit one call more than the limit into a window (see rate-limiter.ts), and WeCom's window
// alignment is unknown: ask for 1% less, and at least one call a minute less for small limits.
const underLimit = (limit: number) => (limit <= 1 ? limit * 0.99 : Math.min(limit * 0.99, limit - 1));

const envelope = z
  .object({ errcode: z.number().int().optional(), errmsg: z.string().optional() })
  .passthrough();
const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

/** What one call needs: where, what, which secret, how to read the answer, which members it messages. */
export type CallSpec<S extends z.ZodType> = {
  api: string;
  method: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  response: S;
  /** Members this call sends app messages to, for the per-member limit. */
  members?: string[];
  /** The longest this call may wait for the limits, when shorter than the policy's (a welcome's window). */
  maxDelayMs?: number;
};

/** The calling machinery shared by every typed method: tokens, limits, retries, errors, metrics. */
export type ClientCore = ReturnType<typeof createClientCore>;

/** Creates the core for one corp and secret. */
export function createClientCore(deps: {
  baseUrl: string;
  corpId: string;
  secret: string;
  tokens: TokenCache;
  limiter: RateLimiter;
  transport: Transport;
  policy: ClientPolicy;
  log: Log;
  metrics: Metrics;
  /** Shared by every client of this base URL in the process; absent, attempts are not guarded. */
  circuit?: CircuitBreaker;
  sleep?: (ms: number) => Promise<void>;
}) {
  const { policy, log, metrics } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = deps.baseUrl.replace(/\/+$/, '');

  const send = async (api: string, method: 'GET' | 'POST', query: Record<string, string>, body?: unknown) => {
    const qs = new URLSearchParams(query).toString();
    // An open circuit rejects before the timer and the log line: a rejection is not an HTTP attempt, and
    // one warning per state change (circuit-breaker.ts) says more than one per rejected call.
    deps.circuit?.checkOpen(api);
    const stop = metrics.wecomCallDuration.startTimer({ api });
    const started = Date.now();
    try {
      const exchange = () =>
        deps.transport({
          api,
          method,
          url: `${base}/cgi-bin/${api}?${qs}`,
          body,
          timeoutMs: policy.timeoutMs,
        });
      const raw = await (deps.circuit ? deps.circuit.attempt(api, exchange) : exchange());
      const env = envelope.safeParse(raw);
      if (!env.success)
        throw new WecomApiError(api, TRANSPORT.unexpectedResponse, 'answer is not a WeCom envelope');
      const errcode = env.data.errcode ?? 0;
      metrics.wecomCalls.inc({ api, errcode: String(errcode) });
      log.debug({ api, errcode, ms: Date.now() - started }, 'wecom call');
      return { raw, errcode, errmsg: env.data.errmsg ?? '' };
    } catch (err) {
      if (err instanceof WecomApiError) metrics.wecomCalls.inc({ api, errcode: String(err.errcode) });
      log.warn({ api, err, ms: Date.now() - started }, 'wecom call failed');
      throw err;
    } finally {
      stop();
    }
  };

  const fetchToken = async () => {
    const { raw, errcode, errmsg } = await send('gettoken', 'GET', {
      corpid: deps.corpId,
      corpsecret: deps.secret,
    });
    if (errcode !== 0) throw new WecomApiError('gettoken', errcode, errmsg, { retryable: errcode === -1 });
    const parsed = tokenResponse.safeParse(raw);
    if (!parsed.success)
      throw new WecomApiError('gettoken', TRANSPORT.unexpectedResponse, 'unexpected gettoken answer');
    return { token: parsed.data.access_token, expiresInS: parsed.data.expires_in };
  };

  return {
    /** Performs a call: waits for the shared limits, retries what WeCom says is transient, types the answer. */
    async call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.infer<S>> {
      // Fail fast while WeCom is unreachable, before waiting on shared limits or the token lock.
      deps.circuit?.checkOpen(spec.api);
      const maxDelayMs = Math.min(spec.maxDelayMs ?? policy.maxDelayMs, policy.maxDelayMs);
      const deadline = Date.now() + maxDelayMs;
      const limitKey = `corp:${deps.corpId}:${spec.api}`;
      for (const m of spec.members ?? []) {
        await deps.limiter.acquire(
          `member:${deps.corpId}:${m}`,
          policy.memberMessagesPerMinute,
          Math.max(0, deadline - Date.now()),
        );
      }
      let token = await deps.tokens.get(deps.corpId, deps.secret, fetchToken);
      let refreshed = false;
      let busy = 0;
      for (;;) {
        await deps.limiter.acquire(
          limitKey,
          underLimit(policy.apiPerMinute),
          Math.max(0, deadline - Date.now()),
        );
        const { raw, errcode, errmsg } = await send(
          spec.api,
          spec.method,
          { ...spec.query, access_token: token },
          spec.body,
        );
        if (errcode === 0) {
          const parsed = spec.response.safeParse(raw);
          if (!parsed.success) {
            throw new WecomApiError(
              spec.api,
              TRANSPORT.unexpectedResponse,
              `unexpected answer: ${parsed.error.issues[0]?.message}`,
              {
                retryable: false,
              },
            );
          }
          return parsed.data;
        }
        if (TOKEN_ERRCODES.has(errcode) && !refreshed) {
          refreshed = true;
          token = await deps.tokens.refresh(deps.corpId, deps.secret, token, fetchToken);
          continue;
        }
        if (errcode === WECOM_ERRCODES.rateLimited && Date.now() + policy.rateLimitedPauseMs < deadline) {
          // WeCom says we are over its limit: everyone on this API backs off, and this call tries again.
          await deps.limiter.pause(limitKey, policy.rateLimitedPauseMs);
          continue;
        }
        if (
          (errcode === WECOM_ERRCODES.systemBusy || errcode === WECOM_ERRCODES.concurrencyLimited) &&
          ++busy < policy.busyTries
        ) {
          await sleep(policy.busyBackoffMs * 2 ** (busy - 1));
          continue;
        }
        throw new WecomApiError(spec.api, errcode, errmsg);
      }
    },
  };
}
