import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { buildUrlVerification } from '../../src/wecom/protocol/callback-builder.ts';
import { deriveKey, openCiphertext, sign } from '../../src/wecom/protocol/crypto.ts';
import {
  appCallback,
  botCallback,
  contactAddedXml,
  createEffectsRecorder,
  inboxCount,
  nextMsgId,
  postSignedCallback,
  type SignedCallback,
  textMessageXml,
} from '../helpers/callbacks.ts';
import { TEST_WECOM, waitUntil } from '../helpers/infra.ts';
import { startWebAndWorker, type WebAndWorker } from '../helpers/web-and-worker.ts';

let helix: WebAndWorker;
let ctx: AppContext;
let web: WebApp;
let effects: Awaited<ReturnType<typeof createEffectsRecorder>>;

beforeAll(async () => {
  helix = await startWebAndWorker({
    env: { CALLBACK_BODY_LIMIT_BYTES: '4096' },
    prepare: async (c) => {
      effects = await createEffectsRecorder(c);
      return [effects.handler];
    },
  });
  ({ ctx, web } = helix);
});

afterAll(async () => helix?.stop());

const post = (path: string, cb: SignedCallback) => postSignedCallback(web.app, path, cb);

const processedOnce = async (inboxId: number) => {
  await waitUntil(async () => (await effects.count(inboxId)) > 0, 10_000, `inbox ${inboxId} processed`);
  return effects.count(inboxId);
};

const latestInboxId = async () => {
  const r = await request(web.app).get('/healthz');
  expect(r.status).toBe(200);
  const rows = await ctx.database.db.query.inbox.findMany({
    orderBy: (t, { desc }) => [desc(t.id)],
    limit: 1,
  });
  return rows[0]?.id ?? 0;
};

describe('GET URL verification', () => {
  it('echoes the decrypted echostr exactly, with "+" in the signature parameters intact', async () => {
    const echo = '5923187746351262432';
    const q = buildUrlVerification({ ...TEST_WECOM, receiveId: TEST_WECOM.corpId, echo });
    const res = await request(web.app).get(`/wecom/callback?${q}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(echo);
    expect(res.headers['content-length']).toBe(String(echo.length));
  });

  it('verifies the AI bot endpoint with an empty receive id', async () => {
    const q = buildUrlVerification({
      token: TEST_WECOM.botToken,
      encodingAesKey: TEST_WECOM.botEncodingAesKey,
      receiveId: '',
      echo: 'bot-echo-123',
    });
    const res = await request(web.app).get(`/wecom/bot/callback?${q}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('bot-echo-123');
  });

  it('rejects a forged URL check with 401', async () => {
    const q = buildUrlVerification({
      ...TEST_WECOM,
      token: 'forged',
      receiveId: TEST_WECOM.corpId,
      echo: '1',
    });
    const res = await request(web.app).get(`/wecom/callback?${q}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_signature');
  });
});

describe('POST app callback', () => {
  it('stores, acknowledges with an empty 200, and processes a message exactly once', async () => {
    const before = await inboxCount(ctx);
    const res = await post('/wecom/callback', appCallback(textMessageXml('请问信用卡额度怎么提升')));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(await inboxCount(ctx)).toBe(before + 1);
    const id = await latestInboxId();
    expect(await processedOnce(id)).toBe(1);
    const row = await ctx.database.db.query.inbox.findFirst({ where: (t, { eq }) => eq(t.id, id) });
    expect(row).toMatchObject({ status: 'processed', kind: 'text', source: 'app' });
  });

  it('acknowledges a retried message (same MsgId) and processes it once', async () => {
    const msgId = nextMsgId();
    const first = appCallback(textMessageXml('重复的问题', msgId));
    // WeCom retries with a new timestamp/nonce/ciphertext, but the same MsgId.
    const retry = appCallback(textMessageXml('重复的问题', msgId));
    const before = await inboxCount(ctx);
    const [a, b, c] = await Promise.all([
      post('/wecom/callback', first),
      post('/wecom/callback', retry),
      post('/wecom/callback', first),
    ]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(await inboxCount(ctx)).toBe(before + 1);
    const row = await ctx.database.db.query.inbox.findFirst({ where: (t, { eq }) => eq(t.msgId, msgId) });
    expect(row).toBeDefined();
    expect(await processedOnce(row!.id)).toBe(1);
  });

  it('dedups events on their plaintext, keeping distinct same-second events apart', async () => {
    const before = await inboxCount(ctx);
    const evtA = contactAddedXml('wmAAA');
    const responses = await Promise.all([
      post('/wecom/callback', appCallback(evtA)),
      post('/wecom/callback', appCallback(evtA)),
      post('/wecom/callback', appCallback(contactAddedXml('wmBBB'))),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await inboxCount(ctx)).toBe(before + 2);
  });

  it('stores and acknowledges unknown event types, and processes them', async () => {
    const xml = `<xml><ToUserName>${TEST_WECOM.corpId}</ToUserName><FromUserName>sys</FromUserName><CreateTime>1700000001</CreateTime><MsgType>event</MsgType><Event>some_future_event</Event><Foo>bar</Foo></xml>`;
    const res = await post('/wecom/callback', appCallback(xml));
    expect(res.status).toBe(200);
    const id = await latestInboxId();
    expect(await processedOnce(id)).toBe(1);
    expect(await effects.kinds()).toContain('unknown:event:some_future_event');
  });
});

describe('POST bad input: each rejected, nothing stored', () => {
  const expectRejected = async (res: request.Response, status: number, before: number) => {
    expect(res.status).toBe(status);
    expect(res.body.error).toBeDefined();
    expect(await inboxCount(ctx)).toBe(before);
  };

  it('forged signature → 401', async () => {
    const before = await inboxCount(ctx);
    const cb = appCallback(textMessageXml('x'), { token: 'notTheToken' });
    await expectRejected(await post('/wecom/callback', cb), 401, before);
  });

  it('missing signature → 401', async () => {
    const before = await inboxCount(ctx);
    const cb = appCallback(textMessageXml('x'));
    const res = await request(web.app).post('/wecom/callback?timestamp=1&nonce=2').send(cb.body);
    await expectRejected(res, 401, before);
  });

  it('wrong receive id → 400', async () => {
    const before = await inboxCount(ctx);
    const cb = appCallback(textMessageXml('x'), { receiveId: 'wwAnotherCorp' });
    await expectRejected(await post('/wecom/callback', cb), 400, before);
  });

  it('corrupt ciphertext (validly signed) → 400', async () => {
    const before = await inboxCount(ctx);
    const cb = appCallback(textMessageXml('x'));
    const bytes = Buffer.from(cb.encrypt, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x5a;
    const corrupt = bytes.toString('base64');
    const sig = sign(TEST_WECOM.token, cb.timestamp, cb.nonce, corrupt);
    const res = await request(web.app)
      .post(`/wecom/callback?msg_signature=${sig}&timestamp=${cb.timestamp}&nonce=${cb.nonce}`)
      .send(`<xml><Encrypt><![CDATA[${corrupt}]]></Encrypt></xml>`);
    await expectRejected(res, 400, before);
  });

  it('body over the limit → 413', async () => {
    const before = await inboxCount(ctx);
    const cb = appCallback(textMessageXml('长'.repeat(3000)));
    await expectRejected(await post('/wecom/callback', cb), 413, before);
  });

  it('malformed envelope XML → 400', async () => {
    const before = await inboxCount(ctx);
    const res = await request(web.app)
      .post('/wecom/callback?msg_signature=a&timestamp=1&nonce=2')
      .send('<xml><Encrypt>abc</xml>');
    await expectRejected(res, 400, before);
  });

  it('malformed XML inside a validly signed envelope → 400', async () => {
    const before = await inboxCount(ctx);
    await expectRejected(
      await post('/wecom/callback', appCallback('<xml><MsgType>text</Content></xml>')),
      400,
      before,
    );
  });

  it('XXE and billion-laughs payloads → 400, nothing expanded', async () => {
    const before = await inboxCount(ctx);
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>`;
    const lol = `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>`;
    await expectRejected(await post('/wecom/callback', appCallback(xxe)), 400, before);
    await expectRejected(await post('/wecom/callback', appCallback(lol)), 400, before);
    // The outer envelope is checked the same way.
    const res = await request(web.app).post('/wecom/callback?msg_signature=a&timestamp=1&nonce=2').send(xxe);
    await expectRejected(res, 400, before);
  });
});

describe('POST AI bot callback', () => {
  const botMessage = (msgid: string) => ({
    msgid,
    aibotid: 'aib_helix',
    chatid: 'wrkSFfCgAAxxx',
    chattype: 'group',
    from: { userid: 'client_li' },
    response_url: 'https://example.invalid/resp',
    msgtype: 'text',
    text: { content: '@小助手 基金定投怎么设置?' },
  });

  it('stores and processes a JSON @-message once, even when retried', async () => {
    const before = await inboxCount(ctx);
    const msg = botMessage(`bot-${nextMsgId()}`);
    const [a, b] = await Promise.all([
      post('/wecom/bot/callback', botCallback(msg)),
      post('/wecom/bot/callback', botCallback(msg)),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await inboxCount(ctx)).toBe(before + 1);
    const row = await ctx.database.db.query.inbox.findFirst({ where: (t, { eq }) => eq(t.msgId, msg.msgid) });
    expect(row).toMatchObject({ source: 'bot', kind: 'text' });
    expect(await processedOnce(row!.id)).toBe(1);
  });

  it('rejects a bot callback encrypted for a non-empty receive id (400)', async () => {
    const before = await inboxCount(ctx);
    const res = await post(
      '/wecom/bot/callback',
      botCallback(botMessage('x1'), { receiveId: TEST_WECOM.corpId }),
    );
    expect(res.status).toBe(400);
    expect(await inboxCount(ctx)).toBe(before);
  });

  it('rejects malformed JSON envelopes and payloads (400)', async () => {
    const before = await inboxCount(ctx);
    const env = await request(web.app)
      .post('/wecom/bot/callback?msg_signature=a&timestamp=1&nonce=2')
      .send('{"encrypt":');
    expect(env.status).toBe(400);
    const payload = await post('/wecom/bot/callback', botCallback('{"msgid": "m", '));
    expect(payload.status).toBe(400);
    expect(await inboxCount(ctx)).toBe(before);
  });
});

describe('passive replies', () => {
  it('returns an encrypted, signed reply that WeCom can open, after storing the callback', async () => {
    const replying = buildWebApp(ctx, {
      passiveReply: (source, result) =>
        source === 'bot' && result.outcome === 'stored'
          ? JSON.stringify({ msgtype: 'text', text: { content: '您好，已收到您的问题。' } })
          : undefined,
    });
    try {
      const msg = {
        msgid: `bot-${nextMsgId()}`,
        aibotid: 'aib_helix',
        chattype: 'single',
        from: { userid: 'client_wu' },
        msgtype: 'text',
        text: { content: '信用卡年费怎么免?' },
      };
      const cb = botCallback(msg);
      const res = await request(replying.app).post(`/wecom/bot/callback?${cb.query}`).send(cb.body);
      expect(res.status).toBe(200);
      const reply = JSON.parse(res.text) as {
        encrypt: string;
        msgsignature: string;
        timestamp: number;
        nonce: string;
      };
      expect(sign(TEST_WECOM.botToken, String(reply.timestamp), reply.nonce, reply.encrypt)).toBe(
        reply.msgsignature,
      );
      const opened = openCiphertext(deriveKey(TEST_WECOM.botEncodingAesKey), reply.encrypt, '', 1 << 20);
      expect(JSON.parse(opened)).toEqual({ msgtype: 'text', text: { content: '您好，已收到您的问题。' } });
      const row = await ctx.database.db.query.inbox.findFirst({
        where: (t, { eq }) => eq(t.msgId, msg.msgid),
      });
      expect(row?.source).toBe('bot');
    } finally {
      await replying.close();
    }
  });
});
