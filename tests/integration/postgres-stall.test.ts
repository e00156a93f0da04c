import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppContext, openContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, queryRows } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import {
  appCallback,
  postSignedCallback,
  type SignedCallback,
  textMessageXml,
} from '../helpers/callbacks.ts';
import { type FreezingProxy, startFreezingProxy } from '../helpers/freezing-proxy.ts';
import { createTestDatabaseUrl, testEnv, waitUntil } from '../helpers/infra.ts';

// A PostgreSQL that stops answering without closing its connections. Only a networked database can stall
// this way, so this file needs DATABASE_URL; vitest.config.ts runs it in the PostgreSQL pass only.
const BOUND_MS = 3000;

let proxy: FreezingProxy;
let ctx: AppContext;
let closeCtx: () => Promise<void>;
let web: WebApp;
let direct: Awaited<ReturnType<typeof openDatabase>>;
let dropDb: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabaseUrl();
  if (!database.url) throw new Error('this test needs DATABASE_URL (a real PostgreSQL)');
  dropDb = database.drop;
  const target = new URL(database.url);
  proxy = await startFreezingProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const viaProxy = new URL(database.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const config = loadConfig(
    testEnv({
      DATABASE_URL: viaProxy.toString(),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_QUERY_TIMEOUT_MS: '1500',
      INTAKE_STORE_TIMEOUT_MS: '1500',
      INTAKE_MAX_PENDING: '200',
    }),
  );
  ({ ctx, close: closeCtx } = await openContext(config, createLogger({ level: 'silent' }), {
    metrics: createMetrics(),
  }));
  web = buildWebApp(ctx);
  direct = await openDatabase({ url: database.url, pgliteDir: '' });
});

afterAll(async () => {
  proxy?.thaw();
  await web?.close();
  await closeCtx?.();
  await direct?.close();
  await proxy?.close();
  await dropDb?.();
});

const post = (cb: SignedCallback) => postSignedCallback(web.app, '/wecom/callback', cb);

describe('PostgreSQL stops answering on open connections', () => {
  it('answers 503 within the bound, loses nothing acknowledged, and recovers by itself', async () => {
    const before = Array.from({ length: 10 }, (_, i) => appCallback(textMessageXml(`冻结前的消息${i}`)));
    for (const cb of before) expect((await post(cb)).status).toBe(200);

    proxy.freeze();
    const during = Array.from({ length: 40 }, (_, i) => appCallback(textMessageXml(`冻结时的消息${i}`)));
    const started = Date.now();
    const answers = await Promise.all(
      during.map(async (cb) => {
        const res = await post(cb);
        return {
          status: res.status,
          code: res.body?.error?.code as string | undefined,
          ms: Date.now() - started,
        };
      }),
    );
    // Every callback gets an answer, and the answer is "try again later", within the bound.
    expect(answers.map((a) => a.status)).toEqual(during.map(() => 503));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(BOUND_MS);
    const ready = await request(web.app).get('/readyz');
    expect(ready.status).toBe(503);

    proxy.thaw();
    await waitUntil(
      async () => (await request(web.app).get('/readyz')).status === 200,
      20_000,
      'ready again',
    );
    // WeCom retries what got 503; new callbacks flow again.
    for (const cb of during) expect((await post(cb)).status).toBe(200);
    const after = Array.from({ length: 10 }, (_, i) => appCallback(textMessageXml(`恢复后的消息${i}`)));
    for (const cb of after) expect((await post(cb)).status).toBe(200);

    // Every acknowledged callback is stored exactly once.
    const rows = await queryRows<{ n: number; distinct: number }>(
      direct.db,
      sql`SELECT count(*)::int AS n, count(DISTINCT msg_id)::int AS distinct FROM inbox`,
    );
    expect(rows[0]).toEqual({ n: 60, distinct: 60 });
  }, 60_000);

  it('bounds the callbacks waiting for the database: past the bound, 503 at once', async () => {
    proxy.freeze();
    try {
      const flood = Array.from({ length: 300 }, (_, i) => appCallback(textMessageXml(`排队的消息${i}`)));
      const started = Date.now();
      const answers = await Promise.all(flood.map((cb) => post(cb).then((r) => r.status)));
      expect(new Set(answers)).toEqual(new Set([503]));
      expect(Date.now() - started).toBeLessThan(BOUND_MS * 2);
    } finally {
      proxy.thaw();
    }
    await waitUntil(
      async () => (await request(web.app).get('/readyz')).status === 200,
      20_000,
      'ready again',
    );
  }, 60_000);
});
