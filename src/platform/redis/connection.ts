import { Redis, type RedisOptions } from 'ioredis';

/** What a connection is for; it decides how commands behave while Redis is away. */
export type RedisPurpose = 'worker' | 'producer' | 'general';

/**
 * Opens an ioredis connection for `purpose`.
 * - worker: blocking commands, retried forever (`maxRetriesPerRequest: null`, as BullMQ requires).
 * - producer: fails fast while disconnected, so an HTTP request never hangs on a Redis outage;
 *   the inbox sweeper enqueues whatever could not be enqueued then.
 * - general: caches, health checks; fails fast too.
 */
export function createRedis(url: string, purpose: RedisPurpose, extra: RedisOptions = {}): Redis {
  const failFast = purpose !== 'worker';
  const redis = new Redis(url, {
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    // Reconnect forever with a capped backoff; Redis outages are expected and recovered from.
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...extra,
  });
  // Without a listener ioredis prints unhandled errors; the callers observe failures on their commands.
  redis.on('error', () => {});
  return redis;
}

/**
 * Whether `err` is ioredis reporting that Redis cannot be reached: a fail-fast connection refuses commands
 * while disconnected, gives up after its retries, or loses the connection mid-command.
 */
export function isRedisUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  return /enableOfflineQueue|Connection is closed|ECONNREFUSED|ECONNRESET/.test(err.message);
}
