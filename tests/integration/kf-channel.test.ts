import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireKfBot } from '../../src/app/bot-wiring.ts';
import type { AppContext } from '../../src/app/context.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { createWecomClients } from '../../src/app/wecom-runtime.ts';
import { startWorkerRole, type WorkerRole } from '../../src/app/worker.ts';
import { createKfRepository } from '../../src/modules/kf/kf.repository.ts';
import { createKfSync, type KfBot } from '../../src/modules/kf/kf-sync.service.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { createRedis } from '../../src/platform/redis/connection.ts';
import type { WecomClient } from '../../src/wecom/client/wecom-client.ts';
import { postAppCallback } from '../helpers/callbacks.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { TEST_WECOM, waitUntil } from '../helpers/infra.ts';

// The library's texts (content-library/components), as clients read them.
const HANDOFF_REPLY = '这个问题我已转给您的专属客户经理，稍后会有人工为您解答，请稍候。';
const CLARIFY_PREFIX = '您想问的是下面哪一个？';
const KF = 'wkHelixService01';

let h: HelixWithEmulator;
let emu: HelixWithEmulator['emu'];
let ctx: AppContext;
let restarted: WorkerRole | undefined;

beforeAll(async () => {
  h = await startHelixWithEmulator();
  ({ emu, ctx } = h);
  emu.emulator.seed({ members: [{ userid: 'rm_zhang', name: '张经理' }] });
  emu.emulator.addKfAccount(KF, '招财银行客服');
  await queryRows(ctx.database.db, sql`INSERT INTO rms (userid, name) VALUES ('rm_zhang', '张经理')`);
  await queryRows(
    ctx.database.db,
    sql`INSERT INTO clients (external_userid, owner_rm, tier) VALUES ('wm_kf_a', 'rm_zhang', 'basic'),
          ('wm_kf_c', 'rm_zhang', 'basic'), ('wm_kf_h', 'rm_zhang', 'basic'), ('wm_kf_r', 'rm_zhang', 'basic'),
          ('wm_kf_s', 'rm_zhang', 'basic'), ('wm_kf_t', 'rm_zhang', 'basic')`,
  );
});
afterAll(async () => {
  await restarted?.stopWorkers();
  await restarted?.closeQueues();
  await h?.stop();
});

const kf = () => emu.emulator.inspect().kf;
const sendsTo = (client: string) => kf().sends.filter((s) => s.externalUserid === client);
const session = (client: string) => kf().sessions.find((s) => s.externalUserid === client);
/** The client writes to the account; answers the bot's reply (the next send to that client). */
async function ask(client: string, content: string): Promise<string> {
  const before = sendsTo(client).length;
  const out = await emu.emulator.kfClientSays(KF, client, content);
  expect(out.delivered).toBe(true);
  const reply = await waitUntil(() => sendsTo(client)[before], 15_000, `kf reply to ${client}`);
  return reply?.text ?? '';
}
/** Waits until Helix has handled the message with WeCom msgid `msgid`. */
const handled = (msgid: string) =>
  waitUntil(
    async () => {
      const [r] = await queryRows<{ status: string }>(
        ctx.database.db,
        sql`SELECT status FROM kf_messages WHERE msgid = ${msgid}`,
      );
      return r?.status === 'done';
    },
    15_000,
    `kf message ${msgid} handled`,
  );
const conversation = async (client: string) =>
  (
    await queryRows<{ id: number; chat_id: string; owner_state: string }>(
      ctx.database.db,
      sql`SELECT id::int AS id, chat_id, owner_state FROM conversations WHERE client_userid = ${client}
          ORDER BY id DESC LIMIT 1`,
    )
  )[0];
const kfQuestions = async () =>
  (
    await queryRows<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM faq_questions WHERE channel = 'kf'`,
    )
  )[0]?.n ?? 0;

describe('the FAQ bot in WeChat customer service', () => {
  it('answers a standard question with the approved answer, in the kf conversation', async () => {
    expect(await ask('wm_kf_a', '信用卡丢了要怎么挂失')).toContain('临时挂失');
    expect(session('wm_kf_a')?.state).toBe(1);
    expect((await conversation('wm_kf_a'))?.chat_id).toBe(`kf:${KF}:wm_kf_a`);
  });

  it('offers choices when unsure, and answers the choice the client picks by number', async () => {
    const clarify = await ask('wm_kf_c', '信用卡怎么收');
    expect(clarify.startsWith(CLARIFY_PREFIX)).toBe(true);
    const line = clarify.split('\n').find((l) => l.includes('信用卡年费怎么收取'));
    const choice = line?.split('.')[0];
    expect(choice).toMatch(/^[1-5]$/);
    const answer = await ask('wm_kf_c', choice ?? '');
    expect(answer.startsWith(CLARIFY_PREFIX)).toBe(false);
    expect(answer).toContain('年费');
  });

  it('hands a question it cannot answer to the client’s RM: session to that RM, 接手 card sent', async () => {
    expect(await ask('wm_kf_h', '我想咨询一下房贷提前还款的违约金怎么算')).toBe(HANDOFF_REPLY);
    const conv = await conversation('wm_kf_h');
    expect(conv?.owner_state).toBe('pending-human');
    await waitUntil(() => session('wm_kf_h')?.state === 3, 10_000, 'session with the RM');
    expect(session('wm_kf_h')?.servicer).toBe('rm_zhang');
    const card = await waitUntil(
      () =>
        emu.emulator
          .inspect()
          .members.find((m) => m.userid === 'rm_zhang')
          ?.appMessages.find((m) => JSON.stringify(m.payload).includes(`"handoff-${conv?.id}"`)),
      10_000,
      'handoff card',
    );
    expect(JSON.stringify(card?.payload)).toContain('房贷提前还款');
  });

  it('puts a client without an RM in the pending pool', async () => {
    expect(await ask('wm_kf_nobody', '我想咨询一下房贷提前还款的违约金怎么算')).toBe(HANDOFF_REPLY);
    await waitUntil(() => session('wm_kf_nobody')?.state === 2, 10_000, 'session in the pool');
    expect(session('wm_kf_nobody')?.servicer).toBeNull();
    expect((await conversation('wm_kf_nobody'))?.owner_state).toBe('pending-human');
  });

  it('stays silent once the RM has taken the conversation over', async () => {
    const conv = await conversation('wm_kf_h');
    const plaintext = `<xml><ToUserName><![CDATA[${TEST_WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[rm_zhang]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[takeover]]></EventKey><TaskId><![CDATA[handoff-${conv?.id}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><AgentID>1000002</AgentID></xml>`;
    expect((await postAppCallback(h.web.app, plaintext)).status).toBe(200);
    await waitUntil(async () => (await conversation('wm_kf_h'))?.owner_state === 'human');
    const before = sendsTo('wm_kf_h').length;
    const out = await emu.emulator.kfClientSays(KF, 'wm_kf_h', '信用卡丢了要怎么挂失');
    await handled(out.msgid);
    expect(sendsTo('wm_kf_h').length).toBe(before);
    expect(session('wm_kf_h')).toMatchObject({ state: 3, servicer: 'rm_zhang' });
  });

  it('welcomes a client who opens the chat with the library’s welcome, on the event’s code', async () => {
    const out = await emu.emulator.kfClientEnters(KF, 'wm_kf_new');
    expect(out.delivered).toBe(true);
    const welcome = await waitUntil(() => sendsTo('wm_kf_new')[0], 10_000, 'kf welcome');
    expect(welcome?.via).toBe('send_msg_on_event');
    expect(welcome?.text).toContain('欢迎咨询');
  });

  it('resumes from the stored cursor after a restart, and handles no message twice', async () => {
    const questionsBefore = await kfQuestions();
    const sendsBefore = sendsTo('wm_kf_r').length;
    const readsBefore = kf().reads.length;
    const logged = kf().accounts.find((a) => a.openKfid === KF)?.messages ?? 0;
    // Helix's worker goes down; WeCom keeps the messages and calls back (the web role stores the callbacks).
    await h.worker.stopWorkers();
    await h.worker.closeQueues();
    const asked = [
      await emu.emulator.kfClientSays(KF, 'wm_kf_r', '信用卡丢了要怎么挂失'),
      await emu.emulator.kfClientSays(KF, 'wm_kf_r', '跨行转账多久到账'),
    ];
    expect(asked.every((a) => a.delivered)).toBe(true);
    restarted = await startWorkerRole(ctx);
    for (const a of asked) await handled(a.msgid);
    await waitUntil(() => sendsTo('wm_kf_r').length >= sendsBefore + 2, 10_000, 'both replies');
    // The first read after the restart starts where the stored cursor left off, not from the start.
    expect(kf().reads.slice(readsBefore)[0]?.from).toBe(logged);
    // Both callbacks ran a sync; each message got exactly one reply and one question-log row.
    await waitUntil(async () => {
      const [r] = await queryRows<{ n: number }>(
        ctx.database.db,
        sql`SELECT count(*)::int AS n FROM inbox WHERE status = 'received'`,
      );
      return r?.n === 0;
    });
    const replies = sendsTo('wm_kf_r').slice(sendsBefore);
    expect(replies.map((r) => r.text)).toEqual([
      expect.stringContaining('临时挂失'),
      expect.stringContaining('实时到账'),
    ]);
    expect(await kfQuestions()).toBe(questionsBefore + 2);
    const [dupes] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM kf_messages WHERE external_userid = 'wm_kf_r'`,
    );
    expect(dupes?.n).toBe(2);
  });
});

describe('kf messages left pending', () => {
  let services: Services;
  let redis: Redis;
  let app: WecomClient;
  beforeAll(async () => {
    services = createServices(ctx);
    // The WeCom client's token cache connection fails fast while it connects: wait for it to be ready.
    redis = createRedis(ctx.redisUrl, 'general');
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    app = createWecomClients({
      config: ctx.config,
      baseUrl: ctx.wecomBaseUrl,
      redis,
      log: ctx.log,
      metrics: ctx.metrics,
      circuits: ctx.wecomCircuits,
    }).app;
  });
  afterAll(async () => {
    redis?.disconnect();
    await services?.close();
  });

  /** The client writes while WeCom's kf_msg_or_event never reaches Helix (lost, or its enqueue refused). */
  async function saysUnannounced(client: string, questions: readonly string[]) {
    emu.emulator.connectCallbacks({
      helixUrl: 'http://127.0.0.1:1',
      corpId: TEST_WECOM.corpId,
      agentId: '1000002',
      app: { token: TEST_WECOM.token, encodingAesKey: TEST_WECOM.encodingAesKey },
      bot: { token: TEST_WECOM.botToken, encodingAesKey: TEST_WECOM.botEncodingAesKey },
      retryDelaysMs: [],
    });
    try {
      const out = [];
      for (const q of questions) out.push(await emu.emulator.kfClientSays(KF, client, q));
      expect(out.some((o) => o.delivered)).toBe(false);
      return out;
    } finally {
      h.connectDriver();
    }
  }
  /** A sync as the worker builds it, with the given bot. */
  const syncWith = (bot: KfBot) =>
    createKfSync({
      db: ctx.database.db,
      repo: createKfRepository(),
      api: app,
      bot,
      mask: (t) => services.checker().check(t).masked,
      log: ctx.log,
    });
  const realBot = () =>
    wireKfBot({
      db: ctx.database.db,
      smart: services.smart(),
      clients: services.contactsRepo(),
      conversations: services.conversations(),
      content: services.rendering(),
      cards: services.cards(),
      app,
      mask: (t) => services.checker().check(t).masked,
      log: ctx.log,
    });
  const statuses = async (msgids: readonly string[]) =>
    (
      await queryRows<{ status: string }>(
        ctx.database.db,
        sql`SELECT status FROM kf_messages WHERE msgid IN (${sql.join(
          msgids.map((m) => sql`${m}`),
          sql`, `,
        )}) ORDER BY id`,
      )
    ).map((r) => r.status);

  it('answers messages a dead worker stored but never handled, once each, when the worker starts again', async () => {
    const questionsBefore = await kfQuestions();
    const sendsBefore = sendsTo('wm_kf_s').length;
    const asked = await saysUnannounced('wm_kf_s', ['信用卡丢了要怎么挂失', '跨行转账多久到账']);
    const msgids = asked.map((a) => a.msgid);
    // A run stores the page, then the worker dies before the bot handles anything.
    const dying = syncWith({
      prepare: () => Promise.reject(new Error('worker died')),
    });
    await expect(dying.sync(KF, undefined)).rejects.toThrow('worker died');
    expect(await statuses(msgids)).toEqual(['pending', 'pending']);
    // The crash was a while ago: older than the sweep's age threshold.
    await queryRows(
      ctx.database.db,
      sql`UPDATE kf_messages SET received_at = received_at - interval '1 hour' WHERE external_userid = 'wm_kf_s'`,
    );
    // No callback comes for this account; the worker's start-up sweep finds the messages.
    await restarted?.stopWorkers();
    await restarted?.closeQueues();
    restarted = await startWorkerRole(ctx);
    for (const m of msgids) await handled(m);
    await waitUntil(() => sendsTo('wm_kf_s').length >= sendsBefore + 2, 10_000, 'both replies');
    expect(
      sendsTo('wm_kf_s')
        .slice(sendsBefore)
        .map((r) => r.text),
    ).toEqual([expect.stringContaining('临时挂失'), expect.stringContaining('实时到账')]);
    expect(await kfQuestions()).toBe(questionsBefore + 2);
    // A later sweep has nothing left to do for the account.
    await restarted.sweeper.sweepOnce();
    expect(await statuses(msgids)).toEqual(['done', 'done']);
    expect(sendsTo('wm_kf_s').length).toBe(sendsBefore + 2);
  });

  it('two runs for one account started at the same moment answer every message exactly once', async () => {
    const questionsBefore = await kfQuestions();
    const sendsBefore = sendsTo('wm_kf_t').length;
    const asked = await saysUnannounced('wm_kf_t', [
      '信用卡丢了要怎么挂失',
      '跨行转账多久到账',
      '信用卡年费怎么收取',
    ]);
    const runs = await Promise.all([
      syncWith(realBot()).sync(KF, undefined),
      syncWith(realBot()).sync(KF, undefined),
    ]);
    // The page is stored once, whichever run got the cursor first.
    expect(runs[0].stored + runs[1].stored).toBe(3);
    expect(await statuses(asked.map((a) => a.msgid))).toEqual(['done', 'done', 'done']);
    const replies = sendsTo('wm_kf_t')
      .slice(sendsBefore)
      .map((r) => r.text);
    expect(replies).toHaveLength(3);
    expect(replies).toEqual(
      expect.arrayContaining([
        expect.stringContaining('临时挂失'),
        expect.stringContaining('实时到账'),
        expect.stringContaining('年费'),
      ]),
    );
    expect(await kfQuestions()).toBe(questionsBefore + 3);
  });
});
