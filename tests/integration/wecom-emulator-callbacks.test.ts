import { createServer, type IncomingMessage, type Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, startWebServer, type WebApp } from '../../src/app/web.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { createCallbackDriver } from '../../src/wecom/emulator/callback-driver.ts';
import { createWecomEmulator, type WecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { createCallbackCodec, parseCallbackQuery } from '../../src/wecom/protocol/callback-codec.ts';
import { createTestContext, TEST_WECOM } from '../helpers/infra.ts';

const creds = {
  corpId: TEST_WECOM.corpId,
  agentId: '1000002',
  app: { token: TEST_WECOM.token, encodingAesKey: TEST_WECOM.encodingAesKey },
  bot: { token: TEST_WECOM.botToken, encodingAesKey: TEST_WECOM.botEncodingAesKey },
};

let ctx: AppContext;
let closeCtx: () => Promise<void>;
let web: WebApp;
let http: Awaited<ReturnType<typeof startWebServer>>;
let emu: WecomEmulator;

beforeAll(async () => {
  ({ ctx, close: closeCtx } = await createTestContext());
  web = buildWebApp(ctx);
  http = await startWebServer(web, { port: 0, host: '127.0.0.1', drainMs: 1000 });
  emu = createWecomEmulator({
    corpId: TEST_WECOM.corpId,
    secrets: { contact: 'contact-secret' },
    callbacks: { helixUrl: http.url, ...creds, retryDelaysMs: [50, 50, 50] },
  });
  emu.seed({ members: [{ userid: 'rm_zhang', name: '张经理' }] });
});

afterAll(async () => {
  await http?.stopHttp();
  await web?.close();
  await emu?.close();
  await closeCtx?.();
});

/** The inbox row Helix stored for a plaintext the driver sent. */
const storedRow = (plaintext: string) =>
  ctx.database.db.query.inbox.findFirst({ where: (t, { eq }) => eq(t.plaintext, plaintext) });

describe('callback driver against the real Helix web role', () => {
  it('clientAddsRm: Helix stores add_external_contact; the emulator knows the contact and the welcome code', async () => {
    const out = await emu.driver!.clientAddsRm({
      externalUserId: 'wm_cb1',
      rmUserId: 'rm_zhang',
      state: 'ch-metro',
    });
    expect(out).toMatchObject({ delivered: true, status: 200, endpoint: 'app', path: '/wecom/callback' });
    expect(out.attempts).toHaveLength(1);
    expect(out.plaintext).toContain('<State><![CDATA[ch-metro]]></State>');
    const row = await storedRow(out.plaintext);
    expect(row).toMatchObject({ source: 'app', kind: 'event:change_external_contact:add_external_contact' });

    const tok = (
      await request(emu.app)
        .get('/cgi-bin/gettoken')
        .query({ corpid: TEST_WECOM.corpId, corpsecret: 'contact-secret' })
    ).body.access_token as string;
    const contact = await request(emu.app)
      .get('/cgi-bin/externalcontact/get')
      .query({ access_token: tok, external_userid: 'wm_cb1' });
    expect(contact.body.follow_user).toMatchObject([{ userid: 'rm_zhang', state: 'ch-metro' }]);
    const welcome = await request(emu.app)
      .post(`/cgi-bin/externalcontact/send_welcome_msg?access_token=${tok}`)
      .send({ welcome_code: out.details.welcomeCode, text: { content: '欢迎' } });
    expect(welcome.body.errcode).toBe(0);
  });

  it('clientJoinsGroup / clientLeavesGroup: change_external_chat with MemChangeList; membership tracked', async () => {
    const joined = await emu.driver!.clientJoinsGroup({ chatId: 'wrChat1', externalUserId: 'wm_cb1' });
    expect(joined.delivered).toBe(true);
    expect(joined.plaintext).toContain('<UpdateDetail><![CDATA[add_member]]></UpdateDetail>');
    expect(joined.plaintext).toContain('<MemChangeList><Item><![CDATA[wm_cb1]]></Item></MemChangeList>');
    expect(await storedRow(joined.plaintext)).toMatchObject({ kind: 'event:change_external_chat' });
    expect(
      emu
        .inspect()
        .groups.find((g) => g.chatId === 'wrChat1')
        ?.members.map((m) => m.userid),
    ).toEqual(['wm_cb1']);

    const left = await emu.driver!.clientLeavesGroup({ chatId: 'wrChat1', externalUserId: 'wm_cb1' });
    expect(left.delivered).toBe(true);
    expect(left.plaintext).toContain('del_member');
    expect(await storedRow(left.plaintext)).toMatchObject({ kind: 'event:change_external_chat' });
    expect(emu.inspect().groups.find((g) => g.chatId === 'wrChat1')?.members).toEqual([]);
  });

  it('rmSendsAppMessage: a text message whose MsgId (> 2^53) Helix keeps as a string', async () => {
    const out = await emu.driver!.rmSendsAppMessage({
      rmUserId: 'rm_zhang',
      content: '客户王先生想了解大额存单',
    });
    expect(out.delivered).toBe(true);
    const msgId = out.details.msgId!;
    expect(BigInt(msgId) > 2n ** 53n).toBe(true);
    expect(await storedRow(out.plaintext)).toMatchObject({ source: 'app', kind: 'text', msgId });
  });

  it('clientMentionsBot: an AI bot JSON text message from a group', async () => {
    const out = await emu.driver!.clientMentionsBot({
      chatId: 'wrChat1',
      userId: 'wm_cb1',
      content: '@小助手 信用卡怎么还款',
    });
    expect(out).toMatchObject({ delivered: true, endpoint: 'bot', path: '/wecom/bot/callback' });
    expect(JSON.parse(out.plaintext)).toMatchObject({
      chattype: 'group',
      msgtype: 'text',
      from: { userid: 'wm_cb1' },
    });
    expect(await storedRow(out.plaintext)).toMatchObject({
      source: 'bot',
      kind: 'text',
      msgId: out.details.msgId,
    });
  });

  it('rmEditsTags, triggered over POST /emulator/callbacks/:scenario', async () => {
    const r = await request(emu.app).post('/emulator/callbacks/rmEditsTags').send({ tagId: 'etTag123' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ delivered: true, status: 200, scenario: 'rmEditsTags' });
    expect(await storedRow(r.body.plaintext)).toMatchObject({ kind: 'event:change_external_tag' });
    expect((await request(emu.app).post('/emulator/callbacks/nope').send({})).status).toBe(404);
    expect((await request(emu.app).post('/emulator/callbacks/rmEditsTags').send({ tagId: 7 })).status).toBe(
      400,
    );
  });
});

describe('callback driver retries like WeCom', () => {
  let server: Server;
  let url: string;
  let answers: ((req: IncomingMessage) => number | 'hang')[] = [];
  const received: { url: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body });
        const answer = answers.shift()?.(req) ?? 200;
        if (answer !== 'hang') res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const codec = createCallbackCodec({
    token: TEST_WECOM.token,
    encodingAesKey: TEST_WECOM.encodingAesKey,
    receiveId: TEST_WECOM.corpId,
    format: 'xml',
    replayWindowS: 0,
    maxMessageBytes: 1 << 20,
    clock: systemClock,
  });

  it('retries after 503 twice, then stops at the 200, sending the same plaintext each time', async () => {
    received.length = 0;
    answers = [() => 503, () => 503];
    const driver = createCallbackDriver({ helixUrl: url, ...creds, retryDelaysMs: [20, 20, 20] });
    const out = await driver.rmSendsAppMessage({ rmUserId: 'rm_zhang', content: '重试测试' });
    expect(out.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(out).toMatchObject({ delivered: true, status: 200 });
    expect(received).toHaveLength(3);
    const plaintexts = received.map((r) => codec.open(parseCallbackQuery(r.url), r.body));
    expect(new Set(plaintexts)).toEqual(new Set([out.plaintext]));
  });

  it('treats no answer within the timeout as a failure, and gives up after 3 retries', async () => {
    received.length = 0;
    answers = [() => 'hang', () => 500, () => 500, () => 500];
    const driver = createCallbackDriver({
      helixUrl: url,
      ...creds,
      retryDelaysMs: [10, 10, 10],
      timeoutMs: 200,
    });
    const out = await driver.rmEditsTags({ tagId: 'etX' });
    expect(out.attempts).toHaveLength(4);
    expect(out.attempts[0]?.error).toBeDefined();
    expect(out.attempts.slice(1).map((a) => a.status)).toEqual([500, 500, 500]);
    expect(out).toMatchObject({ delivered: false, status: 500 });
  });
});
