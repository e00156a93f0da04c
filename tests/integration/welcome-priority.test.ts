import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { Jobs } from '../../src/app/jobs.ts';
import { createWecomClients } from '../../src/app/wecom-runtime.ts';
import { startWorkerRole } from '../../src/app/worker.ts';
import { loadConfig } from '../../src/config.ts';
import { createCommunitiesRepository } from '../../src/modules/communities/communities.repository.ts';
import { SweepWelcomes, welcomeSweepSlot } from '../../src/modules/contacts/contacts.jobs.ts';
import { createContactsRepository } from '../../src/modules/contacts/contacts.repository.ts';
import { createWelcomeSender } from '../../src/modules/contacts/welcome.service.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { createQueues } from '../../src/platform/queue/queues.ts';
import { TIME_CRITICAL_QUEUE } from '../../src/platform/queue/registry.ts';
import { createRedis } from '../../src/platform/redis/connection.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { type Child, spawnTs } from '../helpers/child-process.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { createTestDatabaseUrl, TEST_WECOM, testEnv, waitUntil } from '../helpers/infra.ts';
import { type OpenAiStub, startOpenAiStub } from '../helpers/openai-stub.ts';

const WINDOW_MS = 20_000;
const FIXTURE = path.resolve('tests/fixtures/helix-process.ts');

type WelcomeRow = { id: number; status: string; reason: string | null };
const welcomeOf = async (db: Db, externalUserid: string) =>
  (
    await queryRows<WelcomeRow>(
      db,
      sql`SELECT id::int AS id, status, reason FROM welcomes WHERE external_userid = ${externalUserid}`,
    )
  )[0];

/** When (if ever) the emulator received the client's welcome, through send_welcome_msg. */
const welcomeTiming = (emu: HelixWithEmulator['emu'], externalUserId: string) => {
  const received = emu.emulator.inspect().clients.find((c) => c.externalUserId === externalUserId)
    ?.welcomes[0];
  return { receivedAt: received?.at };
};

describe('welcomes on the time-critical queue', () => {
  let h: HelixWithEmulator | undefined;
  let stub: OpenAiStub | undefined;
  afterEach(async () => {
    // Let the bot questions still queued finish at once, so the workers can close.
    stub?.setResponder(() => ({ status: 500 }));
    await h?.stop();
    await stub?.close();
    h = undefined;
    stub = undefined;
  });

  it('sends a new client’s welcome within its 20 s while 256 bot questions wait on a hanging LLM', async () => {
    stub = await startOpenAiStub(() => ({ hang: true }));
    h = await startHelixWithEmulator({
      env: {
        LLM_BASE_URL: stub.url,
        LLM_API_KEY: 'stub-key',
        LLM_MODEL: 'stub-model',
        LLM_FEATURES: 'rewrite,compose',
        // One inbox slot: every bot question waits its turn, as in a busy hour.
        WORKER_CONCURRENCY: '1',
      },
    });
    const { emu } = h;
    emu.emulator.seed({ members: [{ userid: 'rm_zhang', name: '张经理' }] });
    const driver = emu.emulator.driver;
    if (!driver) throw new Error('no callback driver');
    const questions = Array.from({ length: 256 }, (_, i) =>
      driver.clientMentionsBot({
        chatId: 'wr_busy',
        userId: `wm_asker_${i}`,
        content: `请问第${i}个问题：房贷提前还款的违约金怎么算`,
      }),
    );
    // The add event arrives with the questions, in the same intake batches.
    const added = driver.clientAddsRm({ externalUserId: 'wm_newcomer', rmUserId: 'rm_zhang' });
    const [outcome] = await Promise.all([added, ...questions]);
    expect(outcome.status).toBe(200);
    const issuedAt = Date.now();

    const welcome = await waitUntil(
      async () => {
        const w = await welcomeOf(h!.ctx.database.db, 'wm_newcomer');
        return w && w.status !== 'pending' ? w : undefined;
      },
      WINDOW_MS,
      'the welcome outcome',
    );
    expect(welcome).toMatchObject({ status: 'sent', reason: null });
    // WeCom itself took the code: the emulator refuses one older than 20 s or used before.
    const { receivedAt } = welcomeTiming(emu, 'wm_newcomer');
    expect(receivedAt).toBeDefined();
    expect((receivedAt ?? Number.POSITIVE_INFINITY) - issuedAt).toBeLessThan(WINDOW_MS);
    // The bot questions really were stuck on the LLM meanwhile.
    expect(stub.requests.length).toBeGreaterThan(0);
    const answered = await queryRows<{ n: number }>(
      h.ctx.database.db,
      sql`SELECT count(*)::int AS n FROM inbox WHERE source = 'bot' AND status = 'processed'`,
    );
    expect(answered[0]?.n).toBeLessThan(256);
  }, 60_000);

  it('records a rate-limit timeout as rate_limited, not as an expired code', async () => {
    h = await startHelixWithEmulator();
    const { emu, ctx } = h;
    emu.emulator.seed({ members: [{ userid: 'rm_li', name: '李经理' }] });
    // Every caller of send_welcome_msg is paused for a minute (as after WeCom's 45009): no slot comes
    // within the code's life, so the send gives up on the limiter, not on WeCom.
    const redis = createRedis(ctx.redisUrl, 'worker');
    await redis.set(
      `${ctx.config.queue.prefix}:wecom:rl:corp:${TEST_WECOM.corpId}:externalcontact/send_welcome_msg`,
      String(Date.now() + 60_000),
      'PX',
      120_000,
    );
    redis.disconnect();
    await emu.emulator.driver?.clientAddsRm({ externalUserId: 'wm_throttled', rmUserId: 'rm_li' });
    const welcome = await waitUntil(
      async () => {
        const w = await welcomeOf(ctx.database.db, 'wm_throttled');
        return w && w.status !== 'pending' ? w : undefined;
      },
      WINDOW_MS,
      'the welcome outcome',
    );
    expect(welcome).toMatchObject({ status: 'failed', reason: 'rate_limited' });
  }, 40_000);

  it('records Redis being away as redis_unavailable', async () => {
    h = await startHelixWithEmulator();
    const { emu, ctx } = h;
    const db = ctx.database.db;
    const code = emu.emulator.issueWelcomeCode('wm_no_redis', 'rm_li');
    const repo = createContactsRepository();
    const welcomeId = await db.transaction((tx) =>
      repo.insertWelcome(tx, {
        inboxId: 990_001,
        externalUserid: 'wm_no_redis',
        rmUserid: 'rm_li',
        status: 'pending',
        reason: null,
        tier: 'basic',
        templateId: 't',
        text: '欢迎',
        joinLink: null,
        welcomeCode: code,
        eventAt: new Date(),
      }),
    );
    // The WeCom client keeps its tokens and limits in Redis; here that Redis cannot be reached.
    const deadRedis = createRedis('redis://127.0.0.1:9', 'general');
    const wecom = createWecomClients({
      config: ctx.config,
      baseUrl: emu.url,
      redis: deadRedis,
      log: ctx.log,
      metrics: ctx.metrics,
      circuits: ctx.wecomCircuits,
    });
    const sender = createWelcomeSender({
      db,
      repo,
      groups: createCommunitiesRepository(),
      // The welcome was decided above; sending reads its text from the row, so nothing is composed here.
      compose: async () => {
        throw new Error('not used by send');
      },
      contact: wecom.contact,
      clock: ctx.clock,
      log: ctx.log,
      metrics: ctx.metrics,
    });
    try {
      await sender.send(welcomeId);
    } finally {
      deadRedis.disconnect();
    }
    expect(await welcomeOf(db, 'wm_no_redis')).toMatchObject({
      status: 'failed',
      reason: 'redis_unavailable',
    });
    expect(welcomeTiming(emu, 'wm_no_redis').receivedAt).toBeUndefined();
  });
});

describe('a worker killed between the add event’s commit and its welcome', () => {
  let env: Record<string, string | undefined>;
  let drop: (() => Promise<void>) | undefined;
  let emu: Awaited<ReturnType<typeof startWecomEmulator>> | undefined;
  const children: Child[] = [];

  afterAll(async () => {
    for (const c of children) c.proc.kill('SIGKILL');
    await emu?.close();
    await drop?.();
  });

  /** Runs Helix in a child that dies right after an add event commits; returns its pending welcome's id. */
  const crashAfterAdd = async (externalUserId: string) => {
    const child = spawnTs(FIXTURE, { ...env, KILL_AFTER_ADD_COMMIT: '1' });
    children.push(child);
    const url = (await child.waitForLine('READY ')).slice('READY '.length);
    const driver = emu!.emulator.connectCallbacks({
      helixUrl: url,
      corpId: TEST_WECOM.corpId,
      agentId: '1000002',
      app: { token: TEST_WECOM.token, encodingAesKey: TEST_WECOM.encodingAesKey },
      bot: { token: TEST_WECOM.botToken, encodingAesKey: TEST_WECOM.botEncodingAesKey },
      responseBaseUrl: emu!.url,
    });
    const out = await driver.clientAddsRm({ externalUserId, rmUserId: 'rm_wu' });
    expect(out.status).toBe(200);
    expect(await child.exited).toBe('SIGKILL');
    // The send job may have reached Redis; drop it, as a crash just before the enqueue (or a lost Redis)
    // would have: only the welcome sweeper stands between this welcome and "pending forever".
    const connection = createRedis(env.REDIS_URL ?? '', 'worker');
    const queue = new Queue(TIME_CRITICAL_QUEUE, { connection, prefix: env.QUEUE_PREFIX ?? '' });
    const database = await openContextFor(env);
    try {
      const w = await welcomeOf(database.ctx.database.db, externalUserId);
      expect(w).toMatchObject({ status: 'pending' });
      // Forced: the dead worker may hold the job's lock. Obliterating pauses the queue; the deploy's isn't.
      await queue.obliterate({ force: true });
      await queue.resume();
      expect(await queue.getJobState(`welcome-${w?.id}`)).toBe('unknown');
      return w?.id;
    } finally {
      await database.close();
      await queue.close();
      connection.disconnect();
    }
  };

  it('sends it in time after a restart while the code is still good, or fails it as not_sent_in_time', async () => {
    emu = await startWecomEmulator({
      corpId: TEST_WECOM.corpId,
      secrets: { app: 'helixDevAppSecret', contact: 'helixDevContactSecret' },
    });
    const database = await createTestDatabaseUrl();
    drop = database.drop;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'helix-welcome-'));
    env = testEnv({ DATABASE_URL: database.url, HELIX_DATA_DIR: dataDir, WECOM_API_BASE_URL: emu.url });

    // 1. Restarted in time: the scheduler's 5-second sweep gives the welcome its job back, and it goes out.
    await crashAfterAdd('wm_crash_early');
    const issuedAt = Date.now();
    const restarted = spawnTs(FIXTURE, { ...env, WITH_SCHEDULER: '1' });
    children.push(restarted);
    await restarted.waitForLine('READY ');
    const sent = await waitUntil(
      () => emu!.emulator.inspect().clients.find((c) => c.externalUserId === 'wm_crash_early')?.welcomes[0],
      WINDOW_MS,
      'the welcome at the emulator',
    );
    expect((sent?.at ?? Number.POSITIVE_INFINITY) - issuedAt).toBeLessThan(WINDOW_MS);
    restarted.proc.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);

    // 2. Back only after the code's 20 s: the sweep fails it with the real reason, and sends nothing.
    await crashAfterAdd('wm_crash_late');
    const late = await openContextFor(env, { now: () => new Date(Date.now() + WINDOW_MS + 5_000) });
    const worker = await startWorkerRole(late.ctx);
    const producer = createRedis(late.ctx.redisUrl, 'producer');
    const queues = createQueues({ connection: producer, prefix: late.ctx.config.queue.prefix, jobs: Jobs });
    try {
      const db = late.ctx.database.db;
      expect(await welcomeOf(db, 'wm_crash_early')).toMatchObject({ status: 'sent' });
      // The scheduler's tick, as it would fire on the restarted deploy.
      await queues.enqueue(SweepWelcomes, { slot: welcomeSweepSlot(late.ctx.clock.now()) });
      const failed = await waitUntil(
        async () => {
          const w = await welcomeOf(db, 'wm_crash_late');
          return w?.status === 'failed' ? w : undefined;
        },
        10_000,
        'the sweep',
      );
      expect(failed).toMatchObject({ status: 'failed', reason: 'not_sent_in_time' });
      expect(
        emu.emulator.inspect().clients.find((c) => c.externalUserId === 'wm_crash_late')?.welcomes ?? [],
      ).toEqual([]);
    } finally {
      await queues.close();
      producer.disconnect();
      await worker.stopWorkers();
      await worker.closeQueues();
      await late.close();
    }
  }, 120_000);
});

/** Opens Helix's context on the crash test's database and Redis, optionally with its own clock. */
async function openContextFor(env: Record<string, string | undefined>, clock?: { now: () => Date }) {
  const config = loadConfig(env);
  return openContext(config, createLogger({ level: 'silent' }), {
    metrics: createMetrics(),
    ...(clock ? { clock } : {}),
  });
}
