import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { WebApp } from '../../src/app/web.ts';
import { type LocalRedisServer, startLocalRedisServer } from '../../src/platform/redis/local-redis-server.ts';
import { appCallback, createEffectsRecorder, inboxCount, textMessageXml } from '../helpers/callbacks.ts';
import { waitUntil } from '../helpers/infra.ts';
import { startWebAndWorker, type WebAndWorker } from '../helpers/web-and-worker.ts';

// This file owns a Redis of its own, so stopping it disturbs no other test.
describe('Redis stopped during intake', () => {
  let redis: LocalRedisServer;
  let redisDir: string;
  let helix: WebAndWorker;
  let ctx: AppContext;
  let web: WebApp;
  let effects: Awaited<ReturnType<typeof createEffectsRecorder>>;

  beforeAll(async () => {
    redisDir = mkdtempSync(path.join(tmpdir(), 'helix-redis-outage-'));
    redis = await startLocalRedisServer({ bin: 'redis-server', dir: redisDir });
    helix = await startWebAndWorker({
      env: {
        REDIS_URL: redis.url,
        INBOX_SWEEP_INTERVAL_MS: '200',
        INBOX_SWEEP_MIN_AGE_MS: '0',
        INTAKE_ENQUEUE_TIMEOUT_MS: '300',
      },
      prepare: async (c) => {
        effects = await createEffectsRecorder(c);
        return [effects.handler];
      },
    });
    ({ ctx, web } = helix);
  });

  afterAll(async () => {
    await helix?.stop();
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
