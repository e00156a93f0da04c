import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { createWecomEmulator, type WecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { CORP, emulatorCalls, SECRETS, seededEmulator, T0 } from '../helpers/seeded-emulator.ts';

let clock: ReturnType<typeof seededEmulator>['clock'];
let emu: WecomEmulator;

beforeEach(() => {
  ({ clock, emu } = seededEmulator());
});
const { advance, token, post } = emulatorCalls(() => ({ clock, emu }));

describe('mass messages (add_msg_template)', () => {
  const template = (text: string, ids = ['wm_client1', 'wm_client2', 'wm_nobody']) => ({
    chat_type: 'single',
    external_userid: ids,
    sender: 'rm_zhang',
    text: { content: text },
  });

  it('stays pending until the RM confirms, then delivers; a second one in the window gets status 3', async () => {
    const tok = await token();
    const created = await post('externalcontact/add_msg_template', tok, template('三月理财早知道'));
    expect(created.body).toMatchObject({ errcode: 0, fail_list: ['wm_nobody'] });
    const msgid = created.body.msgid as string;
    expect(emu.inspect().pendingTasks).toEqual([msgid]);
    expect(emu.inspect().clients.every((c) => c.massMessages.length === 0)).toBe(true);

    const task = await post('externalcontact/get_groupmsg_task', tok, { msgid });
    expect(task.body.task_list).toEqual([{ userid: 'rm_zhang', status: 0 }]);
    const pending = await post('externalcontact/get_groupmsg_send_result', tok, {
      msgid,
      userid: 'rm_zhang',
    });
    expect(pending.body.send_list.map((r: { status: number }) => r.status)).toEqual([0, 0]);

    advance(5_000);
    const confirmed = await request(emu.app).post(`/emulator/tasks/${msgid}/confirm`).send({});
    expect(confirmed.body).toEqual({ msgid, confirmed: ['rm_zhang'] });
    const sent = await post('externalcontact/get_groupmsg_send_result', tok, { msgid, userid: 'rm_zhang' });
    const sendTime = T0.getTime() / 1000 + 5;
    expect(sent.body.send_list).toEqual([
      { external_userid: 'wm_client1', userid: 'rm_zhang', status: 1, send_time: sendTime },
      { external_userid: 'wm_client2', userid: 'rm_zhang', status: 1, send_time: sendTime },
    ]);
    expect((await post('externalcontact/get_groupmsg_task', tok, { msgid })).body.task_list).toEqual([
      { userid: 'rm_zhang', status: 2, send_time: sendTime },
    ]);

    const second = await post('externalcontact/add_msg_template', tok, template('再来一条', ['wm_client1']));
    expect(second.body).toMatchObject({ errcode: 0, fail_list: [] });
    emu.confirmTask(second.body.msgid);
    const capped = await post('externalcontact/get_groupmsg_send_result', tok, { msgid: second.body.msgid });
    expect(capped.body.send_list[0]).toMatchObject({ external_userid: 'wm_client1', status: 3 });
    expect(emu.inspect().clients.find((c) => c.externalUserId === 'wm_client1')?.massMessages).toHaveLength(
      1,
    );

    advance(24 * 3600_000);
    const tomorrowTok = await token();
    const nextDay = await post(
      'externalcontact/add_msg_template',
      tomorrowTok,
      template('第二天', ['wm_client1']),
    );
    expect(nextDay.body.errcode).toBe(0);
    emu.confirmTask(nextDay.body.msgid);
    expect(emu.inspect().clients.find((c) => c.externalUserId === 'wm_client1')?.massMessages).toHaveLength(
      2,
    );

    const list = await post('externalcontact/get_groupmsg_list_v2', tomorrowTok, {
      chat_type: 'single',
      start_time: T0.getTime() / 1000,
      end_time: T0.getTime() / 1000 + 60,
      creator: 'rm_zhang',
    });
    expect(list.body.group_msg_list.map((m: { msgid: string }) => m.msgid)).toEqual([
      msgid,
      second.body.msgid,
    ]);
    expect(list.body.group_msg_list[0]).toMatchObject({
      creator: 'rm_zhang',
      create_type: 0,
      text: { content: '三月理财早知道' },
    });
  });

  it('refuses text over 4000 bytes and more than 9 attachments', async () => {
    const tok = await token();
    expect(
      (await post('externalcontact/add_msg_template', tok, template('字'.repeat(1334)))).body.errcode,
    ).toBe(44004);
    const attachments = Array.from({ length: 10 }, () => ({
      msgtype: 'link',
      link: { title: 't', url: 'https://x' },
    }));
    const r = await post('externalcontact/add_msg_template', tok, { ...template('x'), attachments });
    expect(r.body.errcode).toBe(40058);
  });
});

describe('group robot', () => {
  let e: WecomEmulator;
  beforeAll(() => {
    e = createWecomEmulator({ corpId: CORP, secrets: SECRETS, clock: fixedClock(T0) });
  });
  afterAll(() => e.close());

  it('accepts 20 messages a minute per key, then 45009', async () => {
    const send = (key: string) =>
      request(e.app)
        .post(`/cgi-bin/webhook/send?key=${key}`)
        .send({ msgtype: 'text', text: { content: 'hi' } });
    for (let i = 0; i < 20; i++) expect((await send('k1')).body.errcode).toBe(0);
    expect((await send('k1')).body.errcode).toBe(45009);
    expect((await send('k2')).body.errcode).toBe(0);
    expect(e.inspect().webhookMessages.k1).toHaveLength(20);
  });
});

describe('customer groups', () => {
  beforeEach(() => {
    emu.seed({
      groups: [
        { chatId: 'wrA', owner: 'rm_zhang', name: '理财沙龙', members: ['wm_client1', 'wm_client2'] },
        { chatId: 'wrB', owner: 'rm_zhang' },
        { chatId: 'wrC', owner: 'rm_li' },
      ],
    });
  });

  it('lists groups with owner filter and cursor, and reads one with its members', async () => {
    const tok = await token();
    const page1 = await post('externalcontact/groupchat/list', tok, {
      owner_filter: { userid_list: ['rm_zhang'] },
      limit: 1,
    });
    expect(page1.body).toMatchObject({
      errcode: 0,
      group_chat_list: [{ chat_id: 'wrA', status: 0 }],
      next_cursor: '1',
    });
    const page2 = await post('externalcontact/groupchat/list', tok, {
      owner_filter: { userid_list: ['rm_zhang'] },
      limit: 1,
      cursor: '1',
    });
    expect(page2.body).toMatchObject({ group_chat_list: [{ chat_id: 'wrB' }], next_cursor: '' });
    expect((await post('externalcontact/groupchat/list', tok, {})).body.errcode).toBe(40058);

    const got = await post('externalcontact/groupchat/get', tok, { chat_id: 'wrA', need_name: 1 });
    expect(got.body.group_chat).toMatchObject({ chat_id: 'wrA', name: '理财沙龙', owner: 'rm_zhang' });
    expect(got.body.group_chat.member_list).toMatchObject([
      { userid: 'rm_zhang', type: 1, name: '张经理' },
      { userid: 'wm_client1', type: 2, name: '王先生' },
      { userid: 'wm_client2', type: 2 },
    ]);
    expect((await post('externalcontact/groupchat/get', tok, { chat_id: 'wrNope' })).body.errcode).toBe(
      40050,
    );
  });

  it("sends a group mass message to the sender's groups after confirmation", async () => {
    const tok = await token();
    const created = await post('externalcontact/add_msg_template', tok, {
      chat_type: 'group',
      sender: 'rm_zhang',
      text: { content: '沙龙报名' },
    });
    expect(created.body.errcode).toBe(0);
    expect(
      (await post('externalcontact/add_msg_template', tok, { chat_type: 'group', text: { content: 'x' } }))
        .body.errcode,
    ).toBe(40058);
    emu.confirmTask(created.body.msgid, 'rm_zhang');
    const result = await post('externalcontact/get_groupmsg_send_result', tok, {
      msgid: created.body.msgid,
      userid: 'rm_zhang',
    });
    expect(result.body.send_list).toMatchObject([
      { chat_id: 'wrA', status: 1 },
      { chat_id: 'wrB', status: 1 },
    ]);
    const groups = emu.inspect().groups;
    expect(groups.find((g) => g.chatId === 'wrA')?.massMessages).toMatchObject([
      { text: '沙龙报名', sender: 'rm_zhang' },
    ]);
    expect(groups.find((g) => g.chatId === 'wrC')?.massMessages).toEqual([]);
  });
});
