import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import type { Log } from '../logger.ts';

/** Counts failed authentications per client IP in Redis and says when an IP must wait. */
export type AuthFailureLimiter = ReturnType<typeof createAuthFailureLimiter>;

/**
 * A fixed window per client IP, counted in Redis so every web replica sees the same count. Fixed windows
 * let a burst straddle a boundary (up to twice the limit); that is fine here: API tokens carry 256 bits, so
 * the limit exists to shed noise and slow scanners, not to make guessing feasible-or-not.
 *
 * Logging is throttled by the same count: one line for the first failure of an IP in a window, one when it
 * reaches the limit, then one at every power of ten, each with the running count. A flood of bad guesses
 * thus costs a handful of lines while still saying how big it was.
 */
export function createAuthFailureLimiter(deps: {
  redis: Pick<Redis, 'get' | 'multi'>;
  prefix: string;
  limit: number;
  windowS: number;
  clock: Clock;
  log: Log;
}) {
  const { redis, prefix, limit, windowS, clock, log } = deps;
  const windowOf = () => {
    const nowS = clock.now().getTime() / 1000;
    const index = Math.floor(nowS / windowS);
    return { index, retryAfterS: Math.max(1, Math.ceil((index + 1) * windowS - nowS)) };
  };
  let uncountedLoggedWindow: number | undefined;
  const keyFor = (index: number, ip: string) => `${prefix}:authfail:${index}:${ip}`;
  const worthLogging = (count: number) =>
    count === 1 || count === limit || (count > limit && /^10+$/.test(String(count)));

  return {
    /**
     * Seconds the IP must wait before trying again, or 0. Fails open when Redis is unreachable: the API
     * must not go down with the limiter, and token entropy alone already defeats guessing.
     */
    async retryAfterS(ip: string): Promise<number> {
      const w = windowOf();
      let count: number;
      try {
        count = Number((await redis.get(keyFor(w.index, ip))) ?? 0);
      } catch {
        return 0;
      }
      return count >= limit ? w.retryAfterS : 0;
    },

    /** Records one failure (a bad token, or a request refused while blocked) and logs it if it is due. */
    async recordFailure(ip: string, reason: string): Promise<void> {
      const w = windowOf();
      const key = keyFor(w.index, ip);
      let count: number;
      try {
        const replies = await redis
          .multi()
          .incr(key)
          .expire(key, windowS + 1)
          .exec();
        count = Number(replies?.[0]?.[1] ?? 0);
      } catch (err) {
        // Redis is away: the limiter fails open, and this process says so once per window, not per guess.
        if (uncountedLoggedWindow !== w.index) {
          uncountedLoggedWindow = w.index;
          log.warn(
            { err, ip, reason },
            'API authentication failed and Redis is unreachable: failures are not being counted',
          );
        }
        return;
      }
      if (!worthLogging(count)) return;
      if (count < limit) log.warn({ ip, reason, failures: count }, 'API authentication failed');
      else
        log.warn(
          { ip, reason, failures: count, limit, windowS },
          'API authentication failures over the limit; answering 429 until the window ends',
        );
    },
  };
}
