import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../src/config.ts';
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
    expect(() => createJobRegistry([A, B], [handle(A, noop)])).toThrow(/"b" has no handler/);
  });

  it('fails at boot when a job has two handlers', () => {
    expect(() => createJobRegistry([A], [handle(A, noop), handle(A, noop)])).toThrow(/two handlers/);
  });

  it('accepts one handler per job', () => {
    const r = createJobRegistry([A, B], [handle(A, noop), handle(B, noop)]);
    expect(r.queueNames()).toEqual(['q']);
  });
});

describe('scheduler settings', () => {
  it('rejects a bad time zone and a bad cron expression, and dates jobs in the business time zone', async () => {
    expect(() =>
      loadConfig({ SCHEDULER_TIMEZONE: 'Mars/Olympus', GROUP_RECONCILE_CRON: 'every night' }),
    ).toThrow(/SCHEDULER_TIMEZONE[\s\S]*GROUP_RECONCILE_CRON/);
    const { businessDate } = await import('../../src/app/scheduler.ts');
    // 2026-11-22 17:30 UTC is already 2026-11-23 in Shanghai.
    expect(businessDate(new Date('2026-11-22T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(businessDate(new Date('2026-11-22T17:30:00Z'), 'UTC')).toBe('2026-11-22');
  });
});
