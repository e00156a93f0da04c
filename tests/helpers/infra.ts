import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { type AppContext, openContext } from '../../src/app/context.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { createScratchDatabase } from './scratch-database.ts';

/** Test credentials: the ones Tencent's WXBizMsgCrypt samples use, so official vectors verify too. */
export const TEST_WECOM = {
  corpId: 'ww1436e0e65a779aee',
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  botToken: 'helixTestBotToken',
  botEncodingAesKey: 'aGVsaXhUZXN0Qm90RW5jb2RpbmdBRVNLZXkwMTIzNDU',
};

const unique = () => randomBytes(5).toString('hex');

/** A database of its own for one test file: a fresh PostgreSQL database when DATABASE_URL is set, else PGlite. */
export async function createTestDatabaseUrl(): Promise<{
  url: string | undefined;
  drop: () => Promise<void>;
}> {
  const admin = process.env.DATABASE_URL;
  if (!admin) return { url: undefined, drop: async () => {} };
  return createScratchDatabase('helix_t', admin);
}

/** The environment a test Helix runs with; `overrides` replace or add variables. */
export function testEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: `{t${unique()}}`,
    HELIX_DATA_DIR: 'memory://',
    PGLITE_SEED_FILE: inject('pgliteSeedFile'),
    WECOM_CORP_ID: TEST_WECOM.corpId,
    WECOM_AGENT_ID: '1000002',
    WECOM_TOKEN: TEST_WECOM.token,
    WECOM_ENCODING_AES_KEY: TEST_WECOM.encodingAesKey,
    WECOM_BOT_TOKEN: TEST_WECOM.botToken,
    WECOM_BOT_ENCODING_AES_KEY: TEST_WECOM.botEncodingAesKey,
    // Tests never reach the internet: WeCom calls fail fast unless a test points them at an emulator.
    WECOM_API_BASE_URL: 'http://127.0.0.1:9',
    JOB_LOCK_DURATION_MS: '2000',
    JOB_STALLED_INTERVAL_MS: '500',
    // The FAQ's hourly refit would change what the bot answers in the middle of a test that crossed the hour.
    FAQ_REFIT_CRON: 'off',
    ...overrides,
  };
}

/** A fully built test context on real infrastructure, plus its teardown; `logTo` receives its log lines. */
export async function createTestContext(
  overrides: Record<string, string | undefined> = {},
  opts: { logTo?: DestinationStream; clock?: Clock } = {},
): Promise<{ ctx: AppContext; config: Config; close: () => Promise<void> }> {
  const database = await createTestDatabaseUrl();
  const config = loadConfig(testEnv({ DATABASE_URL: database.url, ...overrides }));
  // PGlite in memory when there is no DATABASE_URL.
  const cfg = config.db.url
    ? config
    : ({ ...config, db: { ...config.db, pgliteDir: 'memory://' } } as Config);
  const log = createLogger({
    level: cfg.log.level,
    name: 'helix-test',
    ...(opts.logTo ? { destination: opts.logTo } : {}),
  });
  const { ctx, close } = await openContext(cfg, log, {
    metrics: createMetrics(),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    ctx,
    config: cfg,
    close: async () => {
      await close();
      await database.drop();
    },
  };
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitUntil<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
