import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A fetched access token and how long WeCom says it lives. */
export type FetchedToken = { token: string; expiresInS: number };

/** Shared access-token cache: one token per secret for all processes, one refresh at a time. */
export type TokenCache = ReturnType<typeof createTokenCache>;

/**
 * Tokens live in Redis under a key derived from the corp and a hash of the secret (never the secret).
 * A refresh happens `refreshMarginS` before expiry. Within a process concurrent callers share one
 * in-flight refresh; across processes a Redis lock lets one refresh while the others wait for its result.
 */
export function createTokenCache(opts: {
  redis: Redis;
  prefix: string;
  refreshMarginS?: number;
  lockTtlMs?: number;
  waitForOtherMs?: number;
}) {
  const margin = opts.refreshMarginS ?? 300;
  const lockTtl = opts.lockTtlMs ?? 10_000;
  const inFlight = new Map<string, Promise<string>>();
  const keyFor = (corpId: string, secret: string) =>
    `${opts.prefix}:wecom:token:${corpId}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;

  const refresh = async (
    key: string,
    fetchToken: () => Promise<FetchedToken>,
    stale?: string,
  ): Promise<string> => {
    const lockKey = `${key}:lock`;
    const owner = randomUUID();
    const deadline = Date.now() + (opts.waitForOtherMs ?? lockTtl + 2000);
    for (;;) {
      const cached = await opts.redis.get(key);
      if (cached && cached !== stale) return cached;
      if (await opts.redis.set(lockKey, owner, 'PX', lockTtl, 'NX')) {
        try {
          const fresh = await fetchToken();
          const ttlS = Math.max(1, fresh.expiresInS - margin);
          await opts.redis.set(key, fresh.token, 'EX', ttlS);
          return fresh.token;
        } finally {
          // Release only our own lock (it may have expired and been taken by another process).
          await opts.redis.eval(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
            1,
            lockKey,
            owner,
          );
        }
      }
      if (Date.now() > deadline)
        throw new Error('timed out waiting for another process to refresh the token');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  return {
    /** The cached token for this corp and secret, fetching one (once, for everyone) when there is none. */
    async get(corpId: string, secret: string, fetchToken: () => Promise<FetchedToken>): Promise<string> {
      const key = keyFor(corpId, secret);
      const cached = await opts.redis.get(key);
      if (cached) return cached;
      return singleFlight(key, () => refresh(key, fetchToken));
    },
    /** Replaces a token WeCom rejected; concurrent callers that saw the same stale token share one refresh. */
    async refresh(corpId: string, secret: string, stale: string, fetchToken: () => Promise<FetchedToken>) {
      const key = keyFor(corpId, secret);
      // Drop the stale token unless someone already replaced it.
      await opts.redis.eval(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
        1,
        key,
        stale,
      );
      return singleFlight(key, () => refresh(key, fetchToken, stale));
    },
  };

  function singleFlight(key: string, fn: () => Promise<string>): Promise<string> {
    const existing = inFlight.get(key);
    if (existing) return existing;
    const p = fn().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }
}
