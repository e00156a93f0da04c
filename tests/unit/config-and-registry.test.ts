import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { dateInZone } from '../../src/platform/calendar/dates.ts';
import { createJobRegistry, defineJob, handle } from '../../src/platform/queue/registry.ts';

describe('loadConfig', () => {
  it('runs on dev defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.wecom.usingDevCredentials).toBe(true);
    expect(c.db.url).toBeUndefined();
    expect(Object.isFrozen(c.wecom)).toBe(true);
  });

  it('reports every invalid variable at once', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        WECOM_ENCODING_AES_KEY: 'short',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const v of ['PORT', 'WECOM_ENCODING_AES_KEY', 'DATABASE_URL', 'LOG_LEVEL'])
        expect(problems).toContain(v);
    }
  });

  it('has no default secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WECOM_TOKEN is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WECOM_ENCODING_AES_KEY is required/);
  });

  it('stands the emulator in for WeCom only when no real WeCom is configured, and never in production', () => {
    expect(loadConfig({}).wecom.emulator.enabled).toBe(true);
    expect(loadConfig({ WECOM_CORP_ID: 'wwreal' }).wecom.emulator.enabled).toBe(false);
    expect(
      loadConfig({ WECOM_API_BASE_URL: 'https://wecom-proxy.bank.example' }).wecom.emulator.enabled,
    ).toBe(false);
    expect(loadConfig({ WECOM_CORP_ID: 'wwreal', WECOM_EMULATOR: 'on' }).wecom.emulator.enabled).toBe(true);
    expect(loadConfig({ WECOM_EMULATOR: 'off' }).wecom.emulator.enabled).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', WECOM_EMULATOR: 'on' })).toThrow(
      /WECOM_EMULATOR cannot be on in production/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WECOM_SECRET is required in production/);
  });

  it('keeps dedup keys longer than the replay window', () => {
    expect(() => loadConfig({ WECOM_REPLAY_WINDOW_S: '86400', INBOX_DEDUP_RETENTION_S: '3600' })).toThrow(
      /INBOX_DEDUP_RETENTION_S/,
    );
    expect(loadConfig({ WECOM_REPLAY_WINDOW_S: '300' }).wecom.replayWindowS).toBe(300);
  });
});

/** A production environment with the bank's own (made-up, unpublished) credentials: it loads. */
const productionEnv = (overrides: Record<string, string | undefined> = {}) => ({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://helix@db.bank.internal/helix',
  REDIS_URL: 'redis://redis.bank.internal:6379',
  WECOM_CORP_ID: 'ww5e1b7c9d2f0a4e83',
  WECOM_AGENT_ID: '1000017',
  WECOM_TOKEN: 'Zq8rT2vYw6nB4mK1pX9s',
  WECOM_ENCODING_AES_KEY: 'R7fN2qLw9XcV4bT1mK8sD3gH6jP0yA5eZuWiOoQrStU',
  WECOM_BOT_TOKEN: 'Lp3mN8qR2tV6wY9zB1cD',
  WECOM_BOT_ENCODING_AES_KEY: 'kS4dF7gH1jK9lZ2xC5vB8nM3qW6eR0tYuIoPaSdFgHj',
  WECOM_SECRET: 'bank-app-secret-7f3a9c',
  WECOM_CONTACT_SECRET: 'bank-contact-secret-2e8d1b',
  FLASH_SALE_LINK_SECRET: 'bank-flash-link-secret-5a4c',
  METRICS_TOKEN: 'prom-scrape-9d7c5b3a1e',
  ...overrides,
});

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  return [];
};

describe('production posture', () => {
  it('refuses every published development or sample credential, naming the variable and never the value', () => {
    const published = {
      WECOM_CORP_ID: 'wwhelixdev00000001', // our dev default
      WECOM_TOKEN: 'QDG6eK', // Tencent's WXBizMsgCrypt sample
      WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', // our test credentials
      WECOM_BOT_TOKEN: 'helixDevBotToken',
      WECOM_BOT_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
      WECOM_SECRET: 'helixDevAppSecret',
      WECOM_CONTACT_SECRET: 'helixDevContactSecret',
    };
    // The bank's own credentials load; each published one is refused on its own line.
    expect(problemsOf(productionEnv())).toEqual([]);
    const problems = problemsOf(productionEnv(published));
    for (const [key, value] of Object.entries(published)) {
      expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${key} is a published`)));
      expect(problems.join('\n')).not.toContain(value);
    }
    expect(problems).toHaveLength(Object.keys(published).length);
    // The same values are the normal thing in development.
    expect(problemsOf({ ...published })).toEqual([]);
  });

  it('reports format, production and cross-field problems together in one round', () => {
    const problems = problemsOf(
      productionEnv({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        WECOM_SECRET: undefined,
        METRICS_TOKEN: undefined,
        WECOM_TOKEN: 'helixDevToken',
        WECOM_REPLAY_WINDOW_S: '7200',
        INBOX_DEDUP_RETENTION_S: '3600',
      }),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/^PORT /m);
    expect(text).toMatch(/^LOG_LEVEL /m);
    expect(text).toMatch(/^WECOM_SECRET is required in production/m);
    expect(text).toMatch(/^METRICS_TOKEN is required in production/m);
    expect(text).toMatch(/^WECOM_TOKEN is a published/m);
    expect(text).toMatch(/^INBOX_DEDUP_RETENTION_S must be longer than the replay window \(7200 s\)/m);
  });

  it('turns the replay window on in production, keeps it configurable, and keeps dedup longer', () => {
    expect(loadConfig(productionEnv()).wecom.replayWindowS).toBe(600);
    expect(loadConfig(productionEnv({ WECOM_REPLAY_WINDOW_S: '120' })).wecom.replayWindowS).toBe(120);
    expect(loadConfig(productionEnv({ WECOM_REPLAY_WINDOW_S: '0' })).wecom.replayWindowS).toBe(0);
    expect(loadConfig({}).wecom.replayWindowS).toBe(0);
    expect(loadConfig({ WECOM_REPLAY_WINDOW_S: '300' }).wecom.replayWindowS).toBe(300);
    expect(
      problemsOf(productionEnv({ WECOM_REPLAY_WINDOW_S: '3600', INBOX_DEDUP_RETENTION_S: '3600' })),
    ).toEqual(['INBOX_DEDUP_RETENTION_S must be longer than the replay window (3600 s)']);
  });

  it('requires a metrics token in production and bounds its format everywhere', () => {
    expect(problemsOf(productionEnv({ METRICS_TOKEN: undefined }))).toEqual([
      expect.stringMatching(/^METRICS_TOKEN is required in production/),
    ]);
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN must be 16/),
    ]);
    expect(loadConfig({}).metrics.token).toBeUndefined();
  });
});

describe('createJobRegistry', () => {
  const policy = {
    attempts: 1,
    backoff: { type: 'fixed' as const, delay: 1 },
    keepCompleted: { count: 1, ageS: 1 },
    keepFailed: { count: 1, ageS: 1 },
  };
  const A = defineJob({
    name: 'a',
    queue: 'q',
    version: 1,
    payload: z.object({ n: z.number() }),
    policy,
    jobId: (p) => `a-${p.n}`,
  });
  const B = defineJob({
    name: 'b',
    queue: 'q',
    version: 1,
    payload: z.object({}),
    policy,
    jobId: () => 'b-1',
  });
  const noop = { perform: async () => {} };

  it('fails at boot when a job has no handler', () => {
    expect(() => createJobRegistry({ A, B }, [handle(A, noop)])).toThrow(/"b" has no handler/);
  });

  it('fails at boot when a job has two handlers', () => {
    expect(() => createJobRegistry({ A }, [handle(A, noop), handle(A, noop)])).toThrow(/two handlers/);
  });

  it('accepts one handler per job', () => {
    const r = createJobRegistry({ A, B }, [handle(A, noop), handle(B, noop)]);
    expect(r.queueNames()).toEqual(['q']);
  });
});

describe('scheduler settings', () => {
  it('rejects a bad time zone and a bad cron expression, and dates jobs in the business time zone', () => {
    expect(() =>
      loadConfig({ SCHEDULER_TIMEZONE: 'Mars/Olympus', GROUP_RECONCILE_CRON: 'every night' }),
    ).toThrow(/SCHEDULER_TIMEZONE[\s\S]*GROUP_RECONCILE_CRON/);
    // 2026-11-22 17:30 UTC is already 2026-11-23 in Shanghai.
    expect(dateInZone(new Date('2026-11-22T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(dateInZone(new Date('2026-11-22T17:30:00Z'), 'UTC')).toBe('2026-11-22');
  });
});

describe('market-data settings', () => {
  it('takes a feed or a file, never both, and needs a valid field map with the feed', () => {
    const fields = '{"csi300":"data.indices.CSI300.close","usdCny":"data.fx.0.mid"}';
    const feed = loadConfig({
      MARKET_DATA_URL: 'https://md.bank.internal/v1/snapshot',
      MARKET_DATA_FIELDS: fields,
    });
    expect(feed.marketData).toEqual({
      feed: {
        url: 'https://md.bank.internal/v1/snapshot',
        fields: { csi300: 'data.indices.CSI300.close', usdCny: 'data.fx.0.mid' },
        asOfField: 'asOf',
        timeoutMs: 3000,
      },
      file: null,
      maxAgeMinutes: 24 * 60,
    });
    expect(loadConfig({}).marketData).toMatchObject({ feed: null, file: null });
    expect(
      problemsOf({ MARKET_DATA_URL: 'https://md/x', MARKET_DATA_FILE: 'm.json', MARKET_DATA_FIELDS: fields }),
    ).toEqual(['MARKET_DATA_URL and MARKET_DATA_FILE are mutually exclusive: set one market-data source']);
    expect(problemsOf({ MARKET_DATA_URL: 'https://md/x' })).toEqual([
      'MARKET_DATA_FIELDS is required with MARKET_DATA_URL (variable name → path in the answer)',
    ]);
    expect(problemsOf({ MARKET_DATA_URL: 'ftp://md/x', MARKET_DATA_FIELDS: '{"csi 300":"a..b"}' })).toEqual([
      'MARKET_DATA_URL must be a http: or https: URL',
      'MARKET_DATA_FIELDS "csi 300" is not a variable name such as csi300',
      'MARKET_DATA_FIELDS.csi 300 must be a dotted path such as data.csi300',
    ]);
    expect(problemsOf({ MARKET_DATA_URL: 'https://md/x', MARKET_DATA_FIELDS: '{oops' })).toEqual([
      'MARKET_DATA_FIELDS must be a JSON object such as {"csi300":"data.csi300"}',
    ]);
  });
});
