import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Clock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics, type Metrics } from '../../src/platform/metrics.ts';
import type { ClientPolicy } from '../../src/wecom/client/client-core.ts';
import { WecomApiError } from '../../src/wecom/client/errors.ts';
import { fetchTransport, type Transport } from '../../src/wecom/client/transport.ts';
import { createWecomClient } from '../../src/wecom/client/wecom-client.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';

const CORP = 'wwClientEmuCorp';
const SECRETS = { app: 'app-secret-1', contact: 'contact-secret-1' };
const redis = new Redis(inject('redisUrl'));
const log = createLogger({ level: 'silent' });
afterAll(() => redis.disconnect());

type Running = Awaited<ReturnType<typeof startWecomEmulator>>;
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function setup(
  opts: {
    emulator?: Partial<Parameters<typeof startWecomEmulator>[0]>;
    policy?: Partial<ClientPolicy>;
    secret?: string;
    transport?: Transport;
  } = {},
) {
  running = await startWecomEmulator({ corpId: CORP, secrets: SECRETS, ...opts.emulator });
  const emu = running.emulator;
  emu.seed({
    members: [{ userid: 'rm_zhang', name: '张经理' }],
    contacts: [{ externalUserId: 'wm_1', name: '王先生', followUsers: [{ userid: 'rm_zhang' }] }],
  });
  const metrics = createMetrics();
  const client = createWecomClient({
    baseUrl: running.url,
    corpId: CORP,
    secret: opts.secret ?? SECRETS.app,
    agentId: '1000002',
    redis,
    // A fresh prefix per client: a cold token cache and empty rate-limit buckets.
    prefix: `{c${randomBytes(4).toString('hex')}}`,
    log,
    metrics,
    policy: { busyBackoffMs: 5, rateLimitedPauseMs: 50, ...opts.policy },
    ...(opts.transport ? { transport: opts.transport } : {}),
  });
  const calls = (path: string) => emu.inspect().callCounts[path] ?? 0;
  return { emu, client, metrics, calls };
}

const errcodeCount = async (metrics: Metrics, errcode: string) =>
  (await metrics.wecomCalls.get()).values
    .filter((v) => v.labels.errcode === errcode)
    .reduce((n, v) => n + v.value, 0);

const text = (content: string) => ({ msgtype: 'text' as const, touser: ['rm_zhang'], content: { content } });

describe('WeCom client against the emulator: tokens', () => {
  it('makes exactly one gettoken for 100 concurrent calls on a cold cache', async () => {
    const { client, calls } = await setup();
    const results = await Promise.all(Array.from({ length: 100 }, () => client.getExternalContact('wm_1')));
    expect(results.every((r) => r.external_contact.name === '王先生')).toBe(true);
    expect(calls('gettoken')).toBe(1);
    expect(calls('externalcontact/get')).toBe(100);
  });

  it('refreshes a token that expired mid-flight and sends the message once', async () => {
    const { emu, client, calls } = await setup();
    await client.sendAppMessage(text('早上好'));
    emu.expireAllTokens();
    await client.sendAppMessage(text('午间快讯'));
    expect(calls('gettoken')).toBe(2);
    // The second message was refused once (42001) and then delivered exactly once.
    expect(calls('message/send')).toBe(3);
    const received = emu.inspect().members.find((m) => m.userid === 'rm_zhang')?.appMessages ?? [];
    expect(received.map((m) => (m.payload as { content: string }).content)).toEqual(['早上好', '午间快讯']);
  });

  it('surfaces a wrong secret as a non-retryable typed error', async () => {
    const { client } = await setup({ secret: 'not-the-secret' });
    const err = await client.getExternalContact('wm_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect((err as WecomApiError).errcode).toBe(40001);
    expect((err as WecomApiError).retryable).toBe(false);
  });

  it('is refused with WeCom codes for a forged token, a missing token and a wrong corp', async () => {
    const { emu } = await setup();
    const url = running?.url;
    const get = async (path: string) => (await fetch(`${url}${path}`)).json() as Promise<{ errcode: number }>;
    expect((await get('/cgi-bin/externalcontact/get?access_token=forged&external_userid=wm_1')).errcode).toBe(
      40014,
    );
    expect((await get('/cgi-bin/externalcontact/get?external_userid=wm_1')).errcode).toBe(41001);
    expect((await get(`/cgi-bin/gettoken?corpid=wwOther&corpsecret=${SECRETS.app}`)).errcode).toBe(40013);
    expect(emu.inspect().clients.find((c) => c.externalUserId === 'wm_1')?.welcomes).toEqual([]);
  });
});

describe('WeCom client against the emulator: faults', () => {
  it('retries injected -1 errors and then fails with a retryable typed error', async () => {
    const { emu, client, calls } = await setup();
    emu.setFaults('externalcontact/get', [{ kind: 'busy', rate: 1 }]);
    const err = await client.getExternalContact('wm_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect((err as WecomApiError).errcode).toBe(-1);
    expect((err as WecomApiError).retryable).toBe(true);
    expect(calls('externalcontact/get')).toBe(3);
  });

  it('gets through when only some tries are busy', async () => {
    const { emu, client, calls } = await setup();
    emu.setFaults('externalcontact/get', [{ kind: 'busy', everyNth: 2 }]);
    // Call 1 succeeds; call 2 is busy, its retry (call 3) succeeds.
    await client.getExternalContact('wm_1');
    const r = await client.getExternalContact('wm_1');
    expect(r.follow_user.map((f) => f.userid)).toEqual(['rm_zhang']);
    expect(calls('externalcontact/get')).toBe(3);
  });

  it('turns a dropped connection into a typed network error', async () => {
    const { emu, client } = await setup();
    emu.setFaults('externalcontact/get', [{ kind: 'drop', rate: 1 }]);
    const err = await client.getExternalContact('wm_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect((err as WecomApiError).errcode).toBe(-1000);
    expect((err as WecomApiError).retryable).toBe(true);
  });

  it('turns an answer of an unexpected shape into a typed error, not a crash', async () => {
    // WeCom itself is outside our control: this transport stands for a WeCom that changed its answer.
    const changedShape: Transport = async (req) => {
      const body = (await fetchTransport(req)) as Record<string, unknown>;
      return req.api === 'externalcontact/list' ? { ...body, external_userid: 'wm_1' } : body;
    };
    const { client } = await setup({ transport: changedShape });
    const err = await client.listExternalContacts('rm_zhang').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect((err as WecomApiError).errcode).toBe(-1002);
    expect((err as WecomApiError).retryable).toBe(false);
  });
});

describe('WeCom client against the emulator: a 45009 storm', () => {
  let acceleratedClock: Clock;
  beforeAll(() => {
    // One emulated minute passes every 100 real milliseconds, so per-minute windows roll over quickly.
    const t0 = Date.now();
    acceleratedClock = { now: () => new Date(t0 + (Date.now() - t0) * 600) };
  });

  it('delays every call through the storm, drops none and backs off instead of hammering', async () => {
    const { client, metrics, calls } = await setup({
      emulator: { clock: acceleratedClock, rateLimitPerMinute: 5 },
      policy: { rateLimitedPauseMs: 40, maxDelayMs: 30_000 },
    });
    const n = 30;
    const results = await Promise.all(Array.from({ length: n }, () => client.getExternalContact('wm_1')));
    expect(results.filter((r) => r.external_contact.external_userid === 'wm_1')).toHaveLength(n);
    const refused = await errcodeCount(metrics, '45009');
    expect(refused).toBeGreaterThan(0);
    expect(calls('externalcontact/get')).toBe(n + refused);
    // Every refusal pauses all callers of the API, so refusals stay a small multiple of the calls.
    expect(refused).toBeLessThan(n * 4);
  });
});

describe('WeCom client against the emulator: join ways and tags', () => {
  it('overflows a full group into a new one created by the join way', async () => {
    const { emu, client } = await setup({ emulator: { groupCapacity: 3 } });
    emu.seed({ groups: [{ chatId: 'wr_basic_1', owner: 'rm_zhang', name: '初级群', members: ['wm_a'] }] });
    const { configId } = await client.addGroupJoinWay({
      scene: 2,
      chatIds: ['wr_basic_1'],
      state: 'tier-basic',
      autoCreateRoom: true,
      roomBaseName: '初级群',
    });
    const first = await emu.joinViaJoinWay(configId, 'wm_b');
    expect(first).toEqual({ chatId: 'wr_basic_1', createdGroup: false });
    const second = await emu.joinViaJoinWay(configId, 'wm_c');
    expect(second).toMatchObject({ createdGroup: true });
    const chatId = 'chatId' in second ? second.chatId : '';
    const created = await client.getGroupChat(chatId);
    expect(created.group_chat.name).toBe('初级群1');
    expect(created.group_chat.member_list.map((m) => m.userid)).toEqual(['rm_zhang', 'wm_c']);
    const listed = await client.listGroupChats({ limit: 100 });
    expect(listed.group_chat_list.map((g) => g.chat_id).sort()).toEqual([chatId, 'wr_basic_1'].sort());
  });

  it('refuses a join way for an unknown group and a full group without auto-create', async () => {
    const { emu, client } = await setup({ emulator: { groupCapacity: 2 } });
    emu.seed({ groups: [{ chatId: 'wr_full', owner: 'rm_zhang', members: ['wm_a'] }] });
    const unknown = await client.addGroupJoinWay({ scene: 2, chatIds: ['wr_nope'] }).catch((e: unknown) => e);
    expect((unknown as WecomApiError).errcode).toBe(40050);
    const { configId } = await client.addGroupJoinWay({ scene: 2, chatIds: ['wr_full'] });
    expect(await emu.joinViaJoinWay(configId, 'wm_b')).toEqual({ error: 'full' });
  });

  it('tags a client with corp tags and rejects an unknown tag id', async () => {
    const { emu, client } = await setup({ secret: SECRETS.contact });
    emu.seed({
      corpTags: [{ groupId: 'etg_interest', groupName: '兴趣', tags: [{ id: 'et_fund', name: '基金' }] }],
    });
    const library = await client.getCorpTagList();
    expect(library.tag_group[0]?.tag.map((t) => t.name)).toEqual(['基金']);
    await client.markTag({ userId: 'rm_zhang', externalUserId: 'wm_1', addTag: ['et_fund'] });
    const contact = await client.getExternalContact('wm_1');
    expect(JSON.stringify(contact.follow_user[0])).toContain('et_fund');
    const err = await client
      .markTag({ userId: 'rm_zhang', externalUserId: 'wm_1', addTag: ['et_missing'] })
      .catch((e: unknown) => e);
    expect((err as WecomApiError).errcode).toBe(40068);
  });
});
