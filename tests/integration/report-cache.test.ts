import { sql } from 'drizzle-orm';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { startWorkerRole, type WorkerRole } from '../../src/app/worker.ts';
import { AggregateFunnel } from '../../src/modules/funnel/funnel.jobs.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { createReportCache } from '../../src/platform/http/report-cache.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createRedis } from '../../src/platform/redis/connection.ts';
import { createTestContext, waitUntil } from '../helpers/infra.ts';
import { seedTwoBranches } from '../helpers/two-branches.ts';

// The analytics reports' kept answers (platform/http/report-cache.ts): two web roles built on one database
// and one Redis stand for two web processes, each with its own memory. The funnel rows sit in January 2020,
// outside what a recompute for today rewrites, so a test changes them behind Helix's back to see which
// answer is served: the kept one, or a fresh one.
const NOW = new Date('2026-12-02T04:00:00Z');
const clock = fixedClock(NOW);
let ctx: AppContext;
let close: () => Promise<void>;
let webA: WebApp;
let webB: WebApp;
let worker: WorkerRole;
let tokens: Awaited<ReturnType<typeof seedTwoBranches>>['tokens'];

const REPORT = '/api/v1/funnel?from=2020-01-06&to=2020-01-12&by=rm';
type Totals = { items: { key: string; acquired: number }[] };
const acquiredIn = async (web: WebApp, token: string, path = REPORT) => {
  const res = await request(web.app).get(path).set('authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body as Totals).items.map((i) => [i.key, i.acquired]));
};
const setAcquired = (rm: string, n: number) =>
  queryRows(ctx.database.db, sql`UPDATE funnel_weekly SET acquired = ${n} WHERE rm = ${rm}`);

beforeAll(async () => {
  ({ ctx, close } = await createTestContext({}, { clock }));
  ({ tokens } = await seedTwoBranches(ctx.database.db));
  await queryRows(
    ctx.database.db,
    sql`INSERT INTO funnel_weekly (week_start, channel_id, rm, aware, acquired, activated)
        VALUES ('2020-01-06', 'ch-a', 'rm-a', 3, 3, 1), ('2020-01-06', 'ch-b', 'rm-b', 2, 2, 0)`,
  );
  webA = buildWebApp(ctx);
  webB = buildWebApp(ctx);
  worker = await startWorkerRole(ctx);
});

afterAll(async () => {
  await worker?.stopWorkers();
  await worker?.closeQueues();
  await webA?.close();
  await webB?.close();
  await close?.();
});

describe('report cache', () => {
  it('answers a repeated report from memory, and never with another scope’s answer', async () => {
    expect(await acquiredIn(webA, tokens.A.admin)).toEqual({ 'rm-a': 3, 'rm-b': 2 });
    await setAcquired('rm-a', 9);
    // The same caller asking again gets the kept answer …
    expect(await acquiredIn(webA, tokens.A.admin)).toEqual({ 'rm-a': 3, 'rm-b': 2 });
    // … another scope gets its own, read afresh: branch A's ops see only rm-a, with today's rows.
    expect(await acquiredIn(webA, tokens.A.ops)).toEqual({ 'rm-a': 9 });
    expect(await acquiredIn(webA, tokens.B.ops)).toEqual({ 'rm-b': 2 });
    // … and another process has its own memory.
    expect(await acquiredIn(webB, tokens.A.admin)).toEqual({ 'rm-a': 9, 'rm-b': 2 });
  });

  it('keeps a CSV download with its file name and BOM', async () => {
    const csv = () =>
      request(webA.app).get(`${REPORT}&format=csv`).set('authorization', `Bearer ${tokens.A.admin}`);
    const first = await csv();
    await setAcquired('rm-b', 4);
    const second = await csv();
    expect(second.status).toBe(200);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['content-disposition']).toMatch(/^attachment; filename="funnel-/);
    expect(second.text).toBe(first.text);
    expect(second.text.startsWith('\uFEFF')).toBe(true);
    await setAcquired('rm-b', 2);
  });

  it('forgets in every web process when one of them recomputes', async () => {
    expect(await acquiredIn(webA, tokens.A.admin)).toEqual({ 'rm-a': 3, 'rm-b': 2 });
    const recompute = await request(webB.app)
      .post('/api/v1/funnel/recompute')
      .set('authorization', `Bearer ${tokens.A.admin}`)
      .send({});
    expect(recompute.status).toBe(200);
    expect(await acquiredIn(webA, tokens.A.admin)).toEqual({ 'rm-a': 9, 'rm-b': 2 });
  });

  it('forgets when a nightly analytics job completes in the worker', async () => {
    await setAcquired('rm-a', 11);
    expect(await acquiredIn(webA, tokens.A.admin)).toEqual({ 'rm-a': 9, 'rm-b': 2 });
    await webA.queues.enqueue(AggregateFunnel, { runDate: '2026-12-01' });
    await waitUntil(
      async () => (await acquiredIn(webA, tokens.A.admin))['rm-a'] === 11,
      10_000,
      'the kept answer to be forgotten after the nightly job',
    );
  });

  it('keeps an answer no longer than REPORT_CACHE_TTL_S', async () => {
    expect(ctx.config.reportCache.ttlMs).toBe(60_000);
    await setAcquired('rm-a', 13);
    clock.set(new Date(NOW.getTime() + 59_000));
    expect((await acquiredIn(webA, tokens.A.admin))['rm-a']).toBe(11);
    clock.set(new Date(NOW.getTime() + 60_000));
    expect((await acquiredIn(webA, tokens.A.admin))['rm-a']).toBe(13);
  });
});

describe('report cache without Redis', () => {
  it('answers every request afresh, and says why in the log', async () => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'warn',
      name: 'report-cache-test',
      destination: { write: (l: string) => lines.push(l) },
    });
    // Nothing listens on port 9: the fail-fast connection refuses each command at once.
    const redis = createRedis('redis://127.0.0.1:9', 'general');
    const cache = createReportCache({ redis, tokenKey: 'k', ttlMs: 60_000, maxBytes: 1 << 20, clock, log });
    let served = 0;
    const app = express();
    app.use((_req, res, next) => {
      res.locals.principal = { role: 'admin', name: 'admin', branchScope: null };
      next();
    });
    app.get('/report', cache.serve, (_req, res) => {
      res.json({ served: ++served });
    });
    try {
      expect((await request(app).get('/report')).body).toEqual({ served: 1 });
      expect((await request(app).get('/report')).body).toEqual({ served: 2 });
      expect(cache.size().entries).toBe(0);
      expect(lines.some((l) => l.includes('report cache: Redis unreachable'))).toBe(true);
      await cache.invalidate();
    } finally {
      redis.disconnect();
    }
  });
});
