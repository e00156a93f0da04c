import type { Config } from '../config.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import { type Database, openDatabase } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import { createMetrics, type Metrics } from '../platform/metrics.ts';
import { type LocalRedisServer, startLocalRedisServer } from '../platform/redis/local-redis-server.ts';
import type { WecomCircuits } from '../wecom/client/circuit-breaker.ts';
import { createConfiguredWecomCircuits } from './wecom-runtime.ts';

/** What every role is built from: config, the open database, where Redis is, logging, metrics, the clock. */
export type AppContext = {
  config: Config;
  database: Database;
  redisUrl: string;
  log: Log;
  metrics: Metrics;
  clock: Clock;
  /** Where the WeCom server API is: WeCom itself, or the built-in emulator standing in for it. */
  wecomBaseUrl: string;
  /** One circuit breaker per WeCom base URL for the whole process, so web and worker clients share it. */
  wecomCircuits: WecomCircuits;
};

/**
 * Opens the shared infrastructure: PostgreSQL (or PGlite) with migrations applied, and Redis (REDIS_URL, or a
 * local redis-server Helix starts itself). `close` releases both.
 */
export async function openContext(
  config: Config,
  log: Log,
  opts: { clock?: Clock; metrics?: Metrics; migrate?: boolean; wecomBaseUrl?: string } = {},
): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  const database = await openDatabase({
    url: config.db.url,
    poolMax: config.db.poolMax,
    pgliteDir: config.db.pgliteDir,
    pgliteSeedFile: config.db.pgliteSeedFile,
    timeouts: config.db.timeouts,
  });
  let localRedis: LocalRedisServer | undefined;
  try {
    if (opts.migrate !== false) await database.migrate();
    await database.warm();
    log.info(
      { db: database.kind, dir: database.kind === 'pglite' ? config.db.pgliteDir : undefined },
      'database ready',
    );
    let redisUrl = config.redis.url;
    if (!redisUrl) {
      localRedis = await startLocalRedisServer({ bin: config.redis.serverBin, dir: config.redis.dataDir });
      redisUrl = localRedis.url;
      if (localRedis.orphansStopped.length > 0) {
        log.warn(
          { pids: localRedis.orphansStopped },
          'stopped a local redis-server left running by a Helix process that did not shut down',
        );
      }
      log.info({ redisUrl }, 'REDIS_URL is unset: started a local redis-server (no persistence)');
    }
    const metrics = opts.metrics ?? createMetrics({ defaultMetrics: true });
    const clock = opts.clock ?? systemClock;
    const ctx: AppContext = {
      config,
      database,
      redisUrl,
      log,
      metrics,
      clock,
      wecomBaseUrl: opts.wecomBaseUrl ?? config.wecom.api.baseUrl,
      wecomCircuits: createConfiguredWecomCircuits({ config, clock, log, metrics }),
    };
    return {
      ctx,
      async close() {
        await database.close();
        await localRedis?.stop();
      },
    };
  } catch (err) {
    await database.close().catch(() => {});
    await localRedis?.stop().catch(() => {});
    throw err;
  }
}
