import type { Redis } from 'ioredis';

// GCRA (generic cell rate algorithm): calls take slots `interval` ms apart on Redis' clock, so every
// process shares one schedule. A caller that wakes a little late still takes its own slot and the next slot
// stays on schedule (timer jitter does not erode throughput); after an idle spell the schedule restarts at
// "now", so there is no burst. Any 60-second window holds at most `limit + 1` calls, which callers cover by
// asking for slightly less than WeCom's published limit. Returns 0 when the caller may go now, else how
// many ms to wait before asking again.
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now then return math.ceil(tat - now) end
local base = tat
if base < now - interval then base = now end
local new_tat = base + interval
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now + interval))
return 0
`;

/** A caller would have waited longer for its slot than it may (`maxWaitMs`): the call was not made. */
export class RateLimitWaitError extends Error {
  constructor(
    readonly key: string,
    readonly maxWaitMs: number,
  ) {
    super(`rate limit ${key}: would wait longer than ${maxWaitMs} ms`);
    this.name = 'RateLimitWaitError';
  }
}

/** Shared rate limits in Redis: every process draws from one budget per key. */
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Creates a limiter whose keys live under `prefix`. */
export function createRateLimiter(opts: {
  redis: Redis;
  prefix: string;
  sleep?: (ms: number) => Promise<void>;
}) {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    /**
     * Waits until one more call under `key` fits in `limitPerMinute`, then takes it. Calls are delayed,
     * never dropped; `maxWaitMs` bounds the wait (then it throws).
     */
    async acquire(key: string, limitPerMinute: number, maxWaitMs = 120_000): Promise<void> {
      const interval = 60_000 / limitPerMinute;
      const deadline = Date.now() + maxWaitMs;
      for (;;) {
        const wait = Number(await opts.redis.eval(GCRA, 1, `${opts.prefix}:rl:${key}`, String(interval)));
        if (wait <= 0) return;
        if (Date.now() + wait > deadline) throw new RateLimitWaitError(key, maxWaitMs);
        await sleep(wait);
      }
    },
    /** Blocks every caller of `key` for `ms` (after WeCom itself answered 45009). */
    async pause(key: string, ms: number): Promise<void> {
      await opts.redis.set(`${opts.prefix}:rl:${key}`, String(Date.now() + ms), 'PX', ms + 60_000);
    },
  };
}
