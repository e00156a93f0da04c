import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { WecomApiError } from '../../src/wecom/client/errors.ts';
import { createWecomClient } from '../../src/wecom/client/wecom-client.ts';
import type { SeedInput } from '../../src/wecom/emulator/control-routes.ts';
import { startWecomEmulator, type WecomEmulatorOptions } from '../../src/wecom/emulator/emulator.ts';
import { rmActs } from '../../src/wecom/emulator/rm-simulation.ts';

const CORP = 'wwMassEmuCorp';
const SECRETS = { app: 'app-secret-m', contact: 'contact-secret-m' };
const T0 = new Date('2025-03-03T01:00:00Z');
const redis = new Redis(inject('redisUrl'));
const log = createLogger({ level: 'silent' });

type Running = Awaited<ReturnType<typeof startWecomEmulator>>;
const running: Running[] = [];
const tempDirs: string[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
afterAll(() => {
  redis.disconnect();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** Twenty RMs, each with one client; rm_zhang also owns two groups and follows wm_1. */
const SEED: SeedInput = {
  members: [
    { userid: 'rm_zhang', name: '张经理' },
    ...Array.from({ length: 20 }, (_, i) => ({ userid: `rm_${i}` })),
  ],
  contacts: [
    { externalUserId: 'wm_1', name: '王先生', followUsers: [{ userid: 'rm_zhang' }] },
    ...Array.from({ length: 20 }, (_, i) => ({
      externalUserId: `wm_c${i}`,
      followUsers: [{ userid: `rm_${i}` }],
    })),
  ],
  groups: [
    { chatId: 'wr_fund', owner: 'rm_zhang', name: '基金交流群', members: ['wm_1'] },
    { chatId: 'wr_bond', owner: 'rm_zhang', name: '债券交流群' },
  ],
  corpTags: [{ groupId: 'etg_risk', groupName: '风险偏好', tags: [{ id: 'et_steady', name: '稳健' }] }],
};

async function setup(opts: Partial<WecomEmulatorOptions> = {}, seed = true) {
  const clock = fixedClock(T0);
  const r = await startWecomEmulator({ corpId: CORP, secrets: SECRETS, clock, ...opts });
  running.push(r);
  if (seed) r.emulator.seed(SEED);
  const client = createWecomClient({
    baseUrl: r.url,
    corpId: CORP,
    secret: SECRETS.contact,
    redis,
    // A fresh prefix per client: a cold token cache and empty rate-limit buckets.
    prefix: `{m${randomBytes(4).toString('hex')}}`,
    log,
    metrics: createMetrics(),
    policy: { busyBackoffMs: 5, rateLimitedPauseMs: 50 },
  });
  return { r, emu: r.emulator, client, clock };
}

const errcodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (err: unknown) => (err instanceof WecomApiError ? err.errcode : -99),
  );

describe('mass messages through the WeCom client', () => {
  it('sends to single clients, and to the chosen groups with chat_id_list', async () => {
    const { emu, client } = await setup();
    const single = await client.addMsgTemplate({
      chatType: 'single',
      externalUserIds: ['wm_1', 'wm_nobody'],
      sender: 'rm_zhang',
      text: '三月理财早知道',
    });
    expect(single.failList).toEqual(['wm_nobody']);
    const group = await client.addMsgTemplate({
      chatType: 'group',
      sender: 'rm_zhang',
      chatIdList: ['wr_bond'],
      text: '债市周报',
    });
    emu.confirmTask(single.msgId);
    emu.confirmTask(group.msgId);

    const singleResult = await client.getGroupMsgSendResult(single.msgId, 'rm_zhang');
    expect(singleResult.send_list).toMatchObject([{ external_userid: 'wm_1', status: 1 }]);
    const groupResult = await client.getGroupMsgSendResult(group.msgId, 'rm_zhang');
    // Only the listed group, although rm_zhang owns two.
    expect(groupResult.send_list).toMatchObject([{ chat_id: 'wr_bond', userid: 'rm_zhang', status: 1 }]);
    expect(emu.inspect().groups.find((g) => g.chatId === 'wr_fund')?.massMessages).toEqual([]);
  });

  it('gives status 3 to a client over the per-recipient cap', async () => {
    const { emu, client } = await setup({ perRecipientMassMsgCap: 1 });
    const first = await client.addMsgTemplate({ chatType: 'single', externalUserIds: ['wm_1'], text: '一' });
    const second = await client.addMsgTemplate({ chatType: 'single', externalUserIds: ['wm_1'], text: '二' });
    emu.confirmTask(first.msgId);
    emu.confirmTask(second.msgId);
    expect((await client.getGroupMsgSendResult(first.msgId, 'rm_zhang')).send_list[0]?.status).toBe(1);
    expect((await client.getGroupMsgSendResult(second.msgId, 'rm_zhang')).send_list[0]?.status).toBe(3);
  });

  it('reminds pending senders at most 3 times a day per task, then refuses', async () => {
    const { emu, client, clock } = await setup();
    const { msgId } = await client.addMsgTemplate({
      chatType: 'single',
      externalUserIds: ['wm_c0', 'wm_c1'],
      text: '提醒测试',
    });
    emu.confirmTask(msgId, 'rm_0');
    for (let i = 0; i < 3; i++) await client.remindGroupMsgSend(msgId);
    expect(await errcodeOf(client.remindGroupMsgSend(msgId))).toBe(41048);
    const task = emu.state.tasks.get(msgId)!;
    // Only rm_1 had not sent: rm_0 confirmed before the reminders.
    expect(task.reminders.map((r) => r.senders)).toEqual([['rm_1'], ['rm_1'], ['rm_1']]);

    clock.set(new Date(T0.getTime() + 24 * 3600 * 1000 + 1));
    await client.remindGroupMsgSend(msgId);
    expect(emu.state.tasks.get(msgId)!.reminders).toHaveLength(4);
  });

  it('makes the reminder limit an option', async () => {
    const { client } = await setup({ massMsgRemindsPerDay: 1 });
    const { msgId } = await client.addMsgTemplate({
      chatType: 'single',
      externalUserIds: ['wm_1'],
      text: '一',
    });
    await client.remindGroupMsgSend(msgId);
    expect(await errcodeOf(client.remindGroupMsgSend(msgId))).toBe(41048);
  });

  it('refuses to confirm a cancelled task; its unsent recipients stay at status 0', async () => {
    const { r, emu, client } = await setup();
    const { msgId } = await client.addMsgTemplate({
      chatType: 'single',
      externalUserIds: ['wm_c0', 'wm_c1'],
      text: '取消测试',
    });
    emu.confirmTask(msgId, 'rm_0');
    await client.cancelGroupMsgSend(msgId);

    expect(() => emu.confirmTask(msgId, 'rm_1')).toThrow(/cancelled/);
    const viaControl = await request(r.url).post(`/emulator/tasks/${msgId}/confirm`).send({ userid: 'rm_1' });
    expect(viaControl.status).toBe(409);
    expect(await errcodeOf(client.remindGroupMsgSend(msgId))).toBe(40058);

    expect((await client.getGroupMsgSendResult(msgId, 'rm_0')).send_list[0]?.status).toBe(1);
    expect((await client.getGroupMsgSendResult(msgId, 'rm_1')).send_list[0]?.status).toBe(0);
    const tasks = (await client.getGroupMsgTask(msgId)).task_list;
    expect(tasks.find((t) => t.userid === 'rm_1')?.status).toBe(0);
    expect(emu.inspect().pendingTasks).not.toContain(msgId);
  });
});

describe('moments through the WeCom client', () => {
  it('creates a moment per known sender, reports the unknown one, and publishes on the control route', async () => {
    const { r, client } = await setup();
    const { jobId } = await client.addMomentTask({
      text: '春季配置建议',
      visibleRange: {
        senderList: ['rm_zhang', 'rm_0', 'rm_ghost'],
        externalContactTags: ['et_steady', 'et_x'],
      },
    });
    const job = await client.getMomentTaskResult(jobId);
    expect(job.status).toBe(3);
    expect(job.result?.invalid_sender_list.user_list).toEqual(['rm_ghost']);
    expect(job.result?.invalid_external_contact_list.tag_list).toEqual(['et_x']);
    const momentId = job.result!.moment_id!;

    expect((await client.getMomentTask(momentId)).task_list).toEqual([
      { userid: 'rm_zhang', publish_status: 0 },
      { userid: 'rm_0', publish_status: 0 },
    ]);
    const published = await request(r.url)
      .post(`/emulator/moments/${momentId}/publish`)
      .send({ userid: 'rm_0' });
    expect(published.body).toEqual({ momentId, published: ['rm_0'] });
    expect((await client.getMomentTask(momentId)).task_list).toEqual([
      { userid: 'rm_zhang', publish_status: 0 },
      { userid: 'rm_0', publish_status: 1 },
    ]);
  });
});

describe('simulated RMs', () => {
  it('confirms a deterministic share of pending senders and reports who was left', async () => {
    const { r, emu, client } = await setup();
    const { msgId } = await client.addMsgTemplate({
      chatType: 'single',
      externalUserIds: Array.from({ length: 20 }, (_, i) => `wm_c${i}`),
      text: '二十位经理',
    });
    const { jobId } = await client.addMomentTask({ text: '朋友圈', visibleRange: {} });
    const momentId = (await client.getMomentTaskResult(jobId)).result!.moment_id!;

    const res = await request(r.url).post('/emulator/rm/simulate').send({ confirmRate: 0.5, seed: 'demo' });
    expect(res.status).toBe(200);
    const mass = res.body.massMessages.find((m: { msgid: string }) => m.msgid === msgId);
    expect(mass.confirmed.length).toBeGreaterThan(0);
    expect(mass.left.length).toBeGreaterThan(0);
    expect(mass.confirmed.length + mass.left.length).toBe(20);
    // The split is the hash's, so it repeats for the same seed and task.
    for (const s of mass.confirmed) expect(rmActs('demo', msgId, s, 0.5)).toBe(true);
    for (const s of mass.left) expect(rmActs('demo', msgId, s, 0.5)).toBe(false);

    const tasks = (await client.getGroupMsgTask(msgId)).task_list;
    expect(tasks.filter((t) => t.status === 2).map((t) => t.userid)).toEqual(mass.confirmed);
    const moment = res.body.moments.find((m: { momentId: string }) => m.momentId === momentId);
    expect(moment.published.length + moment.left.length).toBe(21);

    // A second run only looks at who is still pending; rate 1 takes them all.
    const rest = emu.simulateRms({ confirmRate: 1 });
    expect(rest.massMessages.find((m) => m.msgid === msgId)?.confirmed).toEqual(mass.left);
    expect(emu.inspect().pendingTasks).toEqual([]);
  });
});

describe('the state file', () => {
  it('keeps contacts, tasks and moments across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'helix-emu-state-'));
    tempDirs.push(dir);
    const stateFile = path.join(dir, 'nested', 'wecom-emulator.json');
    const first = await setup({ stateFile });
    const { msgId } = await first.client.addMsgTemplate({
      chatType: 'single',
      externalUserIds: ['wm_c0', 'wm_c1'],
      text: '重启前',
    });
    first.emu.confirmTask(msgId, 'rm_0');
    await first.client.remindGroupMsgSend(msgId);
    const { jobId } = await first.client.addMomentTask({
      text: '重启前',
      visibleRange: { senderList: ['rm_1'] },
    });
    await first.r.close();
    running.splice(running.indexOf(first.r), 1);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).version).toBe(1);
    // Saved by rename: no temporary file is left behind.
    expect(readdirSync(path.dirname(stateFile))).toEqual(['wecom-emulator.json']);

    const second = await setup({ stateFile }, false);
    expect((await second.client.getExternalContact('wm_1')).external_contact.name).toBe('王先生');
    expect((await second.client.getGroupMsgSendResult(msgId, 'rm_0')).send_list[0]?.status).toBe(1);
    const task = second.emu.state.tasks.get(msgId)!;
    expect(task.senders).toBeInstanceOf(Map);
    expect(task.reminders).toHaveLength(1);
    const momentId = (await second.client.getMomentTaskResult(jobId)).result!.moment_id!;
    expect((await second.client.getMomentTask(momentId)).task_list).toEqual([
      { userid: 'rm_1', publish_status: 0 },
    ]);
    // The restored task still works: the other sender can confirm it now.
    second.emu.confirmTask(msgId, 'rm_1');
    expect((await second.client.getGroupMsgSendResult(msgId, 'rm_1')).send_list[0]?.status).toBe(1);
  });

  it('saves changes made through the API shortly after, without waiting for close', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'helix-emu-state-'));
    tempDirs.push(dir);
    const stateFile = path.join(dir, 'wecom-emulator.json');
    const { r, client } = await setup({ stateFile });
    await client.addMsgTemplate({ chatType: 'single', externalUserIds: ['wm_1'], text: '防抖' });
    await expect
      .poll(() => {
        try {
          return readFileSync(stateFile, 'utf8').includes('防抖');
        } catch {
          return false;
        }
      })
      .toBe(true);
    expect(r.emulator.state.tasks.size).toBe(1);
  });
});
