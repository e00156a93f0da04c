import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { loadConfig } from '../../src/config.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService, type TokenService } from '../../src/platform/auth/tokens.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { buildSignedCallback, buildUrlVerification } from '../../src/wecom/protocol/callback-builder.ts';
import { textMessageXml } from '../helpers/callbacks.ts';
import { runHelixCli } from '../helpers/child-process.ts';
import {
  createTestContext,
  createTestDatabaseUrl,
  TEST_WECOM,
  testEnv,
  waitUntil,
} from '../helpers/infra.ts';

const LIMIT = 3;
const WINDOW_S = 60;
const METRICS_TOKEN = 'scrape-token-for-tests-0123';

let ctx: AppContext;
let close: () => Promise<void>;
let web: WebApp;
let tokens: TokenService;
// Fixed: the rate-limit window, token expiry and last-used throttling all follow this clock.
const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
const logLines: { level: number; msg: string; failures?: number; ip?: string }[] = [];

beforeAll(async () => {
  ({ ctx, close } = await createTestContext({
    AUTH_FAILURE_LIMIT: String(LIMIT),
    AUTH_FAILURE_WINDOW_S: String(WINDOW_S),
    METRICS_TOKEN,
    // One proxy in front: tests play clients at different addresses through X-Forwarded-For.
    TRUST_PROXY_HOPS: '1',
  }));
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line));
      cb();
    },
  });
  const log = createLogger({ level: 'info', destination: sink });
  web = buildWebApp({ ...ctx, clock, log });
  tokens = createTokenService({ db: ctx.database.db, audit: createAuditRepository(), clock });
  // Failures are counted only once Redis is connected (the limiter fails open); ready means connected.
  await waitUntil(async () => (await request(web.app).get('/readyz')).status === 200, 10_000, 'ready');
});

afterAll(async () => {
  await web?.close();
  await close?.();
});

const whoami = (ip: string, token: string) =>
  request(web.app).get('/api/v1/whoami').set('x-forwarded-for', ip).set('authorization', `Bearer ${token}`);
const badToken = (i: number) => `hx_${String(i).padStart(43, 'A')}`;
const advance = (seconds: number) => clock.set(new Date(clock.now().getTime() + seconds * 1000));
/** A callback timestamp `ageS` seconds before Helix's (fixed) clock. */
const stampedAgo = (ageS: number) => String(Math.floor(clock.now().getTime() / 1000) - ageS);
const postCallback = (
  timestamp: string,
  target = {
    app: web.app,
    token: TEST_WECOM.token,
    encodingAesKey: TEST_WECOM.encodingAesKey,
    corpId: TEST_WECOM.corpId,
  },
) => {
  const cb = buildSignedCallback({
    format: 'xml',
    token: target.token,
    encodingAesKey: target.encodingAesKey,
    receiveId: target.corpId,
    plaintext: textMessageXml('你好'),
    timestamp,
  });
  return request(target.app)
    .post(`/wecom/callback?${cb.query}`)
    .set('content-type', 'text/xml')
    .send(cb.body);
};

describe('authentication failures on /api/v1', () => {
  it('answers 429 with Retry-After after too many bad tokens from one address, and not to others', async () => {
    const { secret } = await tokens.create({ name: 'ops', role: 'ops', actor: 'test' });
    for (let i = 0; i < LIMIT; i++) {
      const res = await whoami('203.0.113.7', badToken(i));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    const blocked = await whoami('203.0.113.7', badToken(99));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_S);
    // A blocked address cannot use the API at all, so it cannot keep testing guesses.
    expect((await whoami('203.0.113.7', secret)).status).toBe(429);
    // Another client with a valid token is unaffected.
    const other = await whoami('203.0.113.8', secret);
    expect(other.status).toBe(200);
    expect(other.body.name).toBe('ops');
    // Once the window has passed, the address may try again.
    advance(retryAfter);
    expect((await whoami('203.0.113.7', secret)).status).toBe(200);
  });

  it('does not count requests that present no credential at all (signed-out browsers behind one address)', async () => {
    const { secret } = await tokens.create({ name: 'ops', role: 'ops', actor: 'test' });
    const ip = '192.0.2.44';
    for (let i = 0; i < LIMIT * 3; i++) {
      const res = await request(web.app).get('/api/v1/whoami').set('x-forwarded-for', ip);
      expect(res.status).toBe(401);
    }
    expect((await whoami(ip, secret)).status).toBe(200);
  });

  it('logs a flood of bad guesses in a handful of lines that still say how many there were', async () => {
    const ip = '198.51.100.23';
    const before = logLines.length;
    for (let i = 0; i < 500; i++) {
      const res = await whoami(ip, badToken(i));
      expect(res.status).toBe(i < LIMIT ? 401 : 429);
    }
    const lines = logLines.slice(before).filter((l) => l.level >= 40);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines.every((l) => l.ip === ip)).toBe(true);
    expect(Math.max(...lines.map((l) => l.failures ?? 0))).toBeGreaterThanOrEqual(100);
  });
});

describe('API token expiry and last use', () => {
  it('refuses an expired token with 401 token_expired', async () => {
    const { secret } = await tokens.create({
      name: 'contractor',
      role: 'ops',
      expiresAt: new Date(clock.now().getTime() + 3600_000),
      actor: 'test',
    });
    expect((await whoami('192.0.2.10', secret)).status).toBe(200);
    advance(3600);
    const res = await whoami('192.0.2.10', secret);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { id, secret } = await tokens.create({ name: 'dashboard', role: 'ops', actor: 'test' });
    const lastUsed = async () => (await tokens.list()).find((t) => t.id === id)?.lastUsedAt?.getTime();
    expect(await lastUsed()).toBeUndefined();
    const first = clock.now().getTime();
    expect((await whoami('192.0.2.11', secret)).status).toBe(200);
    expect(await lastUsed()).toBe(first);
    advance(30);
    expect((await whoami('192.0.2.11', secret)).status).toBe(200);
    expect(await lastUsed()).toBe(first);
    advance(31);
    expect((await whoami('192.0.2.11', secret)).status).toBe(200);
    expect(await lastUsed()).toBe(clock.now().getTime());
  });
});

describe('/metrics', () => {
  it('refuses an anonymous or wrong scraper and serves the one with the configured token', async () => {
    const anonymous = await request(web.app).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('helix_callbacks_total');
    const wrong = await request(web.app).get('/metrics').set('authorization', 'Bearer not-the-metrics-token');
    expect(wrong.status).toBe(401);
    const scrape = await request(web.app).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    expect(scrape.status).toBe(200);
    expect(scrape.text).toContain('helix_callbacks_total');
  });
});

describe('security headers', () => {
  it('sends nosniff and friends everywhere, and no-store on every /api/v1 answer', async () => {
    const health = await request(web.app).get('/healthz');
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(health.headers['content-security-policy']).toContain("default-src 'none'");
    const { secret } = await tokens.create({ name: 'headers', role: 'ops', actor: 'test' });
    const ok = await whoami('192.0.2.12', secret);
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    const refused = await request(web.app).get('/api/v1/whoami').set('x-forwarded-for', '192.0.2.12');
    expect(refused.status).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('leaves the callback answers exactly as WeCom expects them', async () => {
    const echo = '3814591742380715231';
    const q = buildUrlVerification({
      ...TEST_WECOM,
      receiveId: TEST_WECOM.corpId,
      echo,
      timestamp: stampedAgo(0),
    });
    const verify = await request(web.app).get(`/wecom/callback?${q}`);
    expect(verify.status).toBe(200);
    expect(verify.text).toBe(echo);
    expect(verify.headers['x-content-type-options']).toBe('nosniff');
    const post = await postCallback(stampedAgo(0));
    expect(post.status).toBe(200);
    expect(post.text).toBe('');
  });
});

describe('callback replay window', () => {
  it("is on in production by default: a callback signed over ten minutes before Helix's clock is refused", async () => {
    // Production refuses published credentials, so this bank gets fresh random ones.
    const alnum = (n: number) =>
      randomBytes(n)
        .toString('base64')
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, n);
    const bank = {
      token: alnum(24),
      encodingAesKey: randomBytes(32).toString('base64').slice(0, 43),
      corpId: `ww${randomBytes(8).toString('hex')}`,
    };
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://helix@db.bank.internal/helix',
      REDIS_URL: 'redis://redis.bank.internal:6379',
      QUEUE_PREFIX: ctx.config.queue.prefix,
      WECOM_CORP_ID: bank.corpId,
      WECOM_AGENT_ID: '1000002',
      WECOM_TOKEN: bank.token,
      WECOM_ENCODING_AES_KEY: bank.encodingAesKey,
      WECOM_BOT_TOKEN: alnum(24),
      WECOM_BOT_ENCODING_AES_KEY: randomBytes(32).toString('base64').slice(0, 43),
      WECOM_SECRET: alnum(24),
      WECOM_CONTACT_SECRET: alnum(24),
      FLASH_SALE_LINK_SECRET: alnum(32),
      METRICS_TOKEN,
    });
    const production = buildWebApp({ ...ctx, config, clock, log: createLogger({ level: 'silent' }) });
    try {
      const target = { app: production.app, ...bank };
      // WeCom's retries come within ~20 s; a delivery delayed close to the edge still gets in.
      expect((await postCallback(stampedAgo(590), target)).status).toBe(200);
      const replayed = await postCallback(stampedAgo(610), target);
      expect(replayed.status).toBe(401);
      expect(replayed.text).not.toContain('你好');
    } finally {
      await production.close();
    }
  });
});

/** Runs the helix CLI with `env` only (no inherited variables) and collects its output. */
const helix = (args: string[], env: Record<string, string | undefined>) => runHelixCli(args, { env });

describe('the helix command', () => {
  it('refuses to start in production on published credentials, naming each variable but no value', async () => {
    const env = testEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://helix@127.0.0.1:9/helix',
      METRICS_TOKEN,
      WECOM_SECRET: 'helixDevAppSecret',
      WECOM_CONTACT_SECRET: 'helixDevContactSecret',
      PORT: 'eighty',
    });
    const r = await helix(['web'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refusing to start');
    for (const key of ['WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY', 'WECOM_CORP_ID', 'WECOM_SECRET', 'PORT']) {
      expect(r.stderr).toContain(key);
    }
    for (const value of [TEST_WECOM.token, TEST_WECOM.encodingAesKey, 'helixDevAppSecret']) {
      expect(r.stderr).not.toContain(value);
    }
  });

  it('creates a token with an expiry, lists it, and rejects a malformed duration', async () => {
    // The CLI is its own process: on PGlite it needs a data directory on disk rather than memory.
    const database = await createTestDatabaseUrl();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'helix-cli-'));
    const env = { DATABASE_URL: database.url, HELIX_DATA_DIR: dataDir };
    try {
      const before = Date.now();
      const created = await helix(['token', 'create', '--role', 'ops', '--expires-in', '90d'], env);
      expect(created.code).toBe(0);
      const out = JSON.parse(created.stdout);
      const expiresAt = new Date(out.expiresAt).getTime();
      expect(expiresAt - before).toBeGreaterThanOrEqual(90 * 86_400_000);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(90 * 86_400_000);
      const listed = await helix(['token', 'list'], env);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout.trim())).toMatchObject({ id: out.id, expiresAt: out.expiresAt });
      const bad = await helix(['token', 'create', '--role', 'ops', '--expires-in', '90 days'], env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--expires-in');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  }, 90_000); // three CLI processes, each starting TypeScript through tsx
});
