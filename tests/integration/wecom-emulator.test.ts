import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createWecomEmulator,
  startWecomEmulator,
  type WecomEmulator,
} from '../../src/wecom/emulator/emulator.ts';
import { CORP, emulatorCalls, SECRETS, seededEmulator, T0 } from '../helpers/seeded-emulator.ts';

let clock: ReturnType<typeof seededEmulator>['clock'];
let emu: WecomEmulator;

beforeEach(() => {
  ({ clock, emu } = seededEmulator());
});
const { advance, token, post } = emulatorCalls(() => ({ clock, emu }));

describe('gettoken and access tokens', () => {
  it('issues a token for a known secret, and refuses a wrong secret or corp', async () => {
    const okRes = await request(emu.app)
      .get('/cgi-bin/gettoken')
      .query({ corpid: CORP, corpsecret: 'app-secret' });
    expect(okRes.status).toBe(200);
    expect(okRes.body).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(okRes.body.access_token).toMatch(/^[0-9a-f]{64}$/);
    const badSecret = await request(emu.app)
      .get('/cgi-bin/gettoken')
      .query({ corpid: CORP, corpsecret: 'nope' });
    expect(badSecret.status).toBe(200);
    expect(badSecret.body.errcode).toBe(40001);
    const badCorp = await request(emu.app)
      .get('/cgi-bin/gettoken')
      .query({ corpid: 'wwOther', corpsecret: 'app-secret' });
    expect(badCorp.body.errcode).toBe(40013);
  });

  it('answers 42001 once the token outlives tokenTtlS, 40014 for an unknown token, 42001 after expireAllTokens', async () => {
    const tok = await token();
    const get = (t: string) =>
      request(emu.app).get('/cgi-bin/externalcontact/list').query({ access_token: t, userid: 'rm_zhang' });
    expect((await get(tok)).body.errcode).toBe(0);
    advance(7199_000);
    expect((await get(tok)).body.errcode).toBe(0);
    advance(1000);
    expect((await get(tok)).body).toMatchObject({ errcode: 42001, errmsg: 'access_token expired' });
    expect((await get('deadbeef')).body).toMatchObject({ errcode: 40014, errmsg: 'invalid access_token' });
    const fresh = await token();
    emu.expireAllTokens();
    expect((await get(fresh)).body.errcode).toBe(42001);
  });
});

describe('message/send', () => {
  it('delivers to members, lists unknown users in invaliduser with errcode 0, and rejects long text', async () => {
    const tok = await token(emu, SECRETS.app);
    const r = await post('message/send', tok, {
      touser: 'rm_zhang|ghost|rm_li',
      msgtype: 'text',
      agentid: 1000002,
      text: { content: '今日待办：3 位客户' },
    });
    expect(r.body).toMatchObject({ errcode: 0, invaliduser: 'ghost' });
    const state = emu.inspect();
    expect(state.members.find((m) => m.userid === 'rm_zhang')?.appMessages).toHaveLength(1);
    expect(state.members.find((m) => m.userid === 'rm_li')?.appMessages[0]?.payload).toEqual({
      content: '今日待办：3 位客户',
    });

    const long = await post('message/send', tok, {
      touser: 'rm_zhang',
      msgtype: 'text',
      agentid: 1,
      text: { content: '字'.repeat(683) },
    });
    expect(long.body.errcode).toBe(44004);
    const allBad = await post('message/send', tok, {
      touser: 'ghost',
      msgtype: 'text',
      agentid: 1,
      text: { content: 'x' },
    });
    expect(allBad.body.errcode).toBe(81013);
  });

  it("silently drops a member's messages beyond 30 a minute, and delivers again the next minute", async () => {
    const tok = await token(emu, SECRETS.app);
    for (let i = 0; i < 35; i++) {
      const r = await post('message/send', tok, {
        touser: 'rm_li',
        msgtype: 'text',
        agentid: 1,
        text: { content: `#${i}` },
      });
      expect(r.body.errcode).toBe(0);
    }
    let li = emu.inspect().members.find((m) => m.userid === 'rm_li')!;
    expect(li.appMessages).toHaveLength(30);
    expect(li.droppedAppMessages).toBe(5);
    advance(60_001);
    await post('message/send', tok, {
      touser: 'rm_li',
      msgtype: 'markdown',
      agentid: 1,
      markdown: { content: '**hi**' },
    });
    li = emu.inspect().members.find((m) => m.userid === 'rm_li')!;
    expect(li.appMessages).toHaveLength(31);
  });

  it('answers 40058 for malformed JSON and for bad fields, with HTTP 200', async () => {
    const tok = await token(emu, SECRETS.app);
    const raw = await request(emu.app)
      .post(`/cgi-bin/message/send?access_token=${tok}`)
      .set('content-type', 'application/json')
      .send('{"touser":');
    expect(raw.status).toBe(200);
    expect(raw.body.errcode).toBe(40058);
    const bad = await post('message/send', tok, { touser: 'rm_li', msgtype: 'video', agentid: 1 });
    expect(bad.body.errcode).toBe(40058);
    const missing = await post('message/send', tok, { touser: 'rm_li', msgtype: 'text', agentid: 1 });
    expect(missing.body.errcode).toBe(40058);
  });
});

describe('external contacts', () => {
  it('creates contact ways, refusing a state over 30 characters', async () => {
    const tok = await token();
    const r = await post('externalcontact/add_contact_way', tok, {
      type: 1,
      scene: 2,
      state: 'ch-metro',
      user: ['rm_zhang'],
    });
    expect(r.body.errcode).toBe(0);
    expect(r.body.config_id).toBeTruthy();
    expect(r.body.qr_code).toMatch(/^https?:\/\/.+\/emulator\/qr\/contact\/[0-9a-f]+\.png$/);
    // The code's image is served by the emulator itself, as WeCom's CDN serves it.
    const image = await request(emu.app).get(new URL(r.body.qr_code).pathname);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect((image.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    expect(emu.inspect().contactWays[0]).toMatchObject({ state: 'ch-metro', users: ['rm_zhang'] });
    const long = await post('externalcontact/add_contact_way', tok, {
      type: 1,
      scene: 2,
      state: 'x'.repeat(31),
      user: ['rm_zhang'],
    });
    expect(long.body.errcode).toBe(40058);
  });

  it("reads a contact with its follow users, lists an RM's clients, and answers 84061 for a stranger", async () => {
    const tok = await token();
    const r = await request(emu.app)
      .get('/cgi-bin/externalcontact/get')
      .query({ access_token: tok, external_userid: 'wm_client1' });
    expect(r.body).toMatchObject({
      errcode: 0,
      external_contact: { external_userid: 'wm_client1', name: '王先生', type: 1 },
      follow_user: [{ userid: 'rm_zhang', state: 'ch-metro', createtime: T0.getTime() / 1000 }],
    });
    const unknown = await request(emu.app)
      .get('/cgi-bin/externalcontact/get')
      .query({ access_token: tok, external_userid: 'wm_x' });
    expect(unknown.body.errcode).toBe(84061);
    const list = await request(emu.app)
      .get('/cgi-bin/externalcontact/list')
      .query({ access_token: tok, userid: 'rm_zhang' });
    expect(list.body.external_userid).toEqual(['wm_client1', 'wm_client2']);
    const posted = await request(emu.app).post(
      `/cgi-bin/externalcontact/list?access_token=${tok}&userid=rm_li`,
    );
    expect(posted.body).toMatchObject({ errcode: 0, external_userid: [] });
  });

  it('accepts a welcome code once, within 20 s; otherwise 41051', async () => {
    const tok = await token();
    const send = (code: string) =>
      post('externalcontact/send_welcome_msg', tok, {
        welcome_code: code,
        text: { content: '您好，我是张经理' },
      });
    const first = emu.issueWelcomeCode('wm_client1', 'rm_zhang');
    advance(19_000);
    expect((await send(first)).body.errcode).toBe(0);
    expect((await send(first)).body.errcode).toBe(41051);
    const late = emu.issueWelcomeCode('wm_client2', 'rm_zhang');
    advance(20_001);
    expect((await send(late)).body.errcode).toBe(41051);
    expect((await send('WCunknown')).body.errcode).toBe(41051);
    const clients = emu.inspect().clients;
    expect(clients.find((c) => c.externalUserId === 'wm_client1')?.welcomes).toMatchObject([
      { rmUserId: 'rm_zhang', text: '您好，我是张经理' },
    ]);
    expect(clients.find((c) => c.externalUserId === 'wm_client2')?.welcomes).toEqual([]);
  });
});

describe('limits, faults and the inspector', () => {
  it('answers 45009 beyond the per-path limit in a minute, and recovers in the next minute', async () => {
    const e = createWecomEmulator({ corpId: CORP, secrets: SECRETS, clock, rateLimitPerMinute: 3 });
    e.seed({ members: [{ userid: 'rm_li' }] });
    const tok = await token(e);
    const list = () =>
      request(e.app).get('/cgi-bin/externalcontact/list').query({ access_token: tok, userid: 'rm_li' });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await list()).body.errcode);
    expect(codes).toEqual([0, 0, 0, 45009]);
    expect((await list()).body.errmsg).toBe('api freq out of limit');
    advance(60_000);
    expect((await list()).body.errcode).toBe(0);
  });

  it('injects system busy (-1) at rate 1, every Nth call, and via POST /emulator/faults', async () => {
    const tok = await token();
    const list = () =>
      request(emu.app).get('/cgi-bin/externalcontact/list').query({ access_token: tok, userid: 'rm_li' });
    emu.setFaults('externalcontact/list', [{ kind: 'busy', rate: 1 }]);
    expect((await list()).body).toEqual({ errcode: -1, errmsg: 'system busy' });
    emu.clearFaults();
    expect((await list()).body.errcode).toBe(0);

    const set = await request(emu.app)
      .post('/emulator/faults')
      .send({ path: '/cgi-bin/externalcontact/list', rules: [{ kind: 'busy', everyNth: 2 }] });
    expect(set.status).toBe(200);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await list()).body.errcode);
    expect(codes).toEqual([0, -1, 0, -1]); // every 2nd call since the rule was set
    expect(
      (
        await request(emu.app)
          .post('/emulator/faults')
          .send({ path: 'x', rules: [{ kind: 'nope' }] })
      ).status,
    ).toBe(400);
  });

  it('injects a WeCom business error (errcode required) on every Nth call', async () => {
    const tok = await token();
    const list = () =>
      request(emu.app).get('/cgi-bin/externalcontact/list').query({ access_token: tok, userid: 'rm_li' });
    emu.setFaults('externalcontact/list', [
      { kind: 'error', errcode: 48002, errmsg: 'api forbidden', everyNth: 2 },
    ]);
    const answers = [];
    for (let i = 0; i < 2; i++) {
      const r = await list();
      answers.push([r.status, r.body.errcode]);
    }
    expect(answers).toEqual([
      [200, 0],
      [200, 48002],
    ]);
    emu.clearFaults();
    const bad = (rules: unknown[]) =>
      request(emu.app).post('/emulator/faults').send({ path: 'externalcontact/list', rules });
    expect((await bad([{ kind: 'error' }])).status).toBe(400);
    expect((await bad([{ kind: 'error', errcode: 0 }])).status).toBe(400);
    expect((await bad([{ kind: 'busy', errcode: 48002 }])).status).toBe(400);
    expect((await bad([{ kind: 'error', errcode: 48002 }])).body.faults).toEqual({
      'externalcontact/list': [{ kind: 'error', errcode: 48002, errmsg: 'emulated fault', rate: 1 }],
    });
    emu.clearFaults();
  });

  it('adds latency and drops connections on a real socket', async () => {
    const server = await startWecomEmulator({ corpId: CORP, secrets: SECRETS, port: 0 });
    try {
      const { access_token } = (await (
        await fetch(`${server.url}/cgi-bin/gettoken?corpid=${CORP}&corpsecret=app-secret`)
      ).json()) as { access_token: string };
      server.emulator.setFaults('message/send', [{ kind: 'drop' }]);
      await expect(
        fetch(`${server.url}/cgi-bin/message/send?access_token=${access_token}`, {
          method: 'POST',
          body: '{}',
        }),
      ).rejects.toThrow();
      server.emulator.setFaults('externalcontact/list', [{ kind: 'latency', latencyMs: 150 }]);
      const started = performance.now();
      const r = await fetch(
        `${server.url}/cgi-bin/externalcontact/list?access_token=${access_token}&userid=x`,
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(((await r.json()) as { errcode: number }).errcode).toBe(60111);
    } finally {
      await server.close();
    }
  });

  it('seeds over HTTP and shows deliveries and call counts in GET /emulator/state', async () => {
    const seeded = await request(emu.app)
      .post('/emulator/seed')
      .send({
        members: [{ userid: 'rm_wu', name: '吴经理' }],
        contacts: [{ externalUserId: 'wm_new', followUsers: [{ userid: 'rm_wu' }] }],
      });
    expect(seeded.status).toBe(200);
    expect((await request(emu.app).post('/emulator/seed').send({ members: 'no' })).status).toBe(400);
    const tok = await token(emu, SECRETS.app);
    await post('message/send', tok, {
      touser: 'rm_wu',
      msgtype: 'text',
      agentid: 1,
      text: { content: '新客户 wm_new' },
    });
    const state = (await request(emu.app).get('/emulator/state')).body;
    expect(state.members.find((m: { userid: string }) => m.userid === 'rm_wu')).toMatchObject({
      name: '吴经理',
      appMessages: [{ msgtype: 'text', payload: { content: '新客户 wm_new' } }],
    });
    expect(state.clients.map((c: { externalUserId: string }) => c.externalUserId)).toContain('wm_new');
    expect(state.callCounts).toMatchObject({ gettoken: 1, 'message/send': 1 });
  });
});
