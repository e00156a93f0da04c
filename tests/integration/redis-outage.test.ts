import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { startWorkerRole, type WorkerRole } from '../../src/app/worker.ts';
import { type LocalRedisServer, startLocalRedisServer } from '../../src/platform/redis/local-redis-server.ts';
import { appCallback, createEffectsRecorder, inboxCount, textMessageXml } from '../helpers/callbacks.ts';
import { createTestContext, waitUntil } from '../helpers/infra.ts';

// This file owns a Redis of its own, so stopping it disturbs no other test.
describe('Redis stopped during intake', () => {
  let redis: LocalRedisServer;
  let redisDir: string;
  let ctx: AppContext;
  let close: () => Promise<void>;
  let web: WebApp;
  let worker: WorkerRole;
  let effects: Awaited<ReturnType<typeof createEffectsRecorder>>;

  beforeAll(async () => {
    redisDir = mkdtempSync(path.join(tmpdir(), 'helix-redis-outage-'));
    redis = await startLocalRedisServer({ bin: 'redis-server', dir: redisDir });
    ({ ctx, close } = await createTestContext({
      REDIS_URL: redis.url,
      INBOX_SWEEP_INTERVAL_MS: '200',
      INBOX_SWEEP_MIN_AGE_MS: '0',
      INTAKE_ENQUEUE_TIMEOUT_MS: '300',
    }));
    effects = await createEffectsRecorder(ctx);
    web = buildWebApp(ctx);
    worker = await startWorkerRole(ctx, { inboundHandlers: [effects.handler] });
  });

  afterAll(async () => {
    await worker?.stopWorkers();
    await worker?.closeQueues();
    await web?.close();
    await close?.();
    await redis?.stop();
  });

  it('still acknowledges callbacks, and processes each once when Redis is back', async () => {
    await redis.stop();

    const callbacks = Array.from({ length: 5 }, (_, i) =>
      appCallback(textMessageXml(`Redis 停机期间的消息 ${i}`)),
    );
    for (const cb of callbacks) {
      const res = await request(web.app).post(`/wecom/callback?${cb.query}`).send(cb.body);
      expect(res.status).toBe(200);
    }
    expect(await inboxCount(ctx, 'received')).toBe(5);
    const ready = await request(web.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ db: 'ok', redis: 'unavailable' });

    // Same port, empty data: every queued job is gone, only PostgreSQL remembers the callbacks.
    redis = await startLocalRedisServer({ bin: 'redis-server', dir: redisDir, port: redis.port });

    await waitUntil(
      async () => (await inboxCount(ctx, 'processed')) === 5,
      20_000,
      'all callbacks processed',
    );
    expect(await effects.count()).toBe(5);
    expect(await inboxCount(ctx, 'received')).toBe(0);
  }, 60_000);
});
