import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app/services.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { type CampaignWorld, startCampaignWorld } from '../helpers/campaign-world.ts';
import { waitUntil } from '../helpers/infra.ts';

// Monday 2026-12-07, 08:00 in Shanghai.
const T0 = new Date('2026-12-07T00:00:00Z');
const clock = fixedClock(T0);
let w: CampaignWorld;
let services: Services;

const rms = ['rm_1', 'rm_2', 'rm_3', 'rm_4'].map((userid, i) => ({
  userid,
  name: `经理${i + 1}`,
  branch: i < 2 ? '南山支行' : '福田支行',
  persona: 'zhixing-jiejie',
}));
const clients = [
  ...Array.from({ length: 12 }, (_, i) => ({ id: `wm_fu_${i}`, rm: rms[i % 4]!.userid })),
  // Today (2026-12-07) is 李女士's birthday; rm_1 holds her.
  { id: 'wm_bday', rm: 'rm_1', name: '李女士', birthday: '1980-12-07', tier: 'premium' },
  { id: 'wm_td', rm: 'rm_2', name: '周先生' },
];

beforeAll(async () => {
  w = await startCampaignWorld({ clock, rms, clients });
  services = createServices(w.h.ctx);
  // The WeCom clients' connection (tokens, limits) takes no commands before it is ready.
  await waitUntil(() => services.general().status === 'ready', 10_000, 'redis');
}, 60_000);
afterAll(async () => {
  await services?.close();
  await w?.stop();
});

/** Fires an occurrence of `entryId` at the clock's now, as the scheduler would, and waits for its outcome. */
const fire = (entryId: string) => w.fire(services.queues(), entryId);
const appMessagesTo = (userid: string) =>
  (w.h.emu.emulator.inspect().members.find((m) => m.userid === userid)?.appMessages ?? []).map(
    (m) => (m.payload as { content: string }).content,
  );

describe('after the fan-out', () => {
  let occurrenceId = 0;

  it('some RMs confirm: their recipients are delivered and their touch is logged; the others are reminded', async () => {
    const created = await w.ops.post('/calendar/entries', {
      id: 'brief-follow',
      name: '早间财经速递',
      componentId: 'morning-brief-daily',
      channel: 'single',
      audience: { tiers: ['basic'] },
      schedule: { kind: 'cron', cron: '0 8 * * *' },
      owner: 'ops',
    });
    expect(created.status).toBe(201);
    const occ = await fire('brief-follow');
    expect(occ.status).toBe('done');
    occurrenceId = occ.id;
    // Task ids are random, so a rate could pick everyone or no one: name the two RMs who act.
    const sim = w.h.emu.emulator.simulateRms({ confirmRate: 1, senders: ['rm_1', 'rm_3'] });
    const confirmed = new Set(sim.massMessages.flatMap((m) => m.confirmed));
    const waiting = new Set(sim.massMessages.flatMap((m) => m.left));
    expect(confirmed.size).toBeGreaterThan(0);
    expect(waiting.size).toBeGreaterThan(0);

    const round = await services.calendar().followUp.poll(occurrenceId);
    expect(round.confirmed).toBeGreaterThan(0);
    const byRm = await w.rows<{ rm: string; status: string; n: number }>(
      sql`SELECT rm, status, count(*)::int AS n FROM deliveries WHERE occurrence_id = ${occurrenceId}
           GROUP BY rm, status ORDER BY rm, status`,
    );
    // A sender who confirmed every task of theirs has every client delivered; the others' stay pending.
    for (const r of byRm) {
      const tasksOf = sim.massMessages.filter((m) => m.confirmed.includes(r.rm) || m.left.includes(r.rm));
      const allConfirmed = tasksOf.every((m) => m.confirmed.includes(r.rm));
      const noneConfirmed = tasksOf.every((m) => m.left.includes(r.rm));
      if (allConfirmed) expect(r.status).toBe('sent');
      if (noneConfirmed) expect(r.status).toBe('pending');
    }
    const touches = await w.rows<{ rm: string; n: number }>(
      sql`SELECT rm, count(*)::int AS n FROM touches WHERE kind = 'task_confirmed' AND status = 'done' GROUP BY rm`,
    );
    expect(new Set(touches.map((t) => t.rm))).toEqual(confirmed);
    // Everyone still holding a task got one reminder with the link to their task list.
    for (const rm of waiting) {
      const reminders = appMessagesTo(rm).filter((m) => m.includes('群发提醒'));
      expect(reminders).toHaveLength(1);
      expect(reminders[0]).toContain('/api/v1/tasks');
    }
    for (const rm of [...confirmed].filter((r) => !waiting.has(r)))
      expect(appMessagesTo(rm).filter((m) => m.includes('群发提醒'))).toHaveLength(0);
  });

  it('reminders are spaced out and stop at three a day', async () => {
    const waiting = (
      await w.rows<{ sender: string }>(
        sql`SELECT DISTINCT sender FROM send_tasks WHERE occurrence_id = ${occurrenceId} AND status = 'created'`,
      )
    ).map((r) => r.sender);
    const rm = waiting[0]!;
    // At once again: too soon for a second reminder.
    await services.calendar().followUp.poll(occurrenceId);
    expect(appMessagesTo(rm).filter((m) => m.includes('群发提醒'))).toHaveLength(1);
    for (const hours of [2, 4, 6, 8]) {
      clock.set(new Date(T0.getTime() + hours * 3_600_000 + 60_000));
      await services.calendar().followUp.poll(occurrenceId);
    }
    expect(appMessagesTo(rm).filter((m) => m.includes('群发提醒'))).toHaveLength(3);
  });

  it("the RM's task list shows the tasks still to confirm; another RM's list is not theirs to read", async () => {
    const waiting = (
      await w.rows<{ sender: string }>(
        sql`SELECT DISTINCT sender FROM send_tasks WHERE occurrence_id = ${occurrenceId} AND status = 'created'`,
      )
    ).map((r) => r.sender);
    const rm = waiting[0]!;
    const list = await w.rm(rm).get('/tasks');
    expect(list.status).toBe(200);
    expect(list.body.sendTasks.length).toBeGreaterThan(0);
    expect(list.body.sendTasks[0]).toMatchObject({
      kind: 'single',
      entryId: 'brief-follow',
      title: '早间财经速递',
    });
    const other = rms.find((r) => r.userid !== rm)!.userid;
    expect((await w.rm(rm).get(`/tasks?rm=${other}`)).status).toBe(404);
    expect((await w.ops.get(`/tasks?rm=${rm}`)).body.sendTasks.length).toBe(list.body.sendTasks.length);
  });
});

describe('emotional touches', () => {
  it("a birthday greeting appears on the RM's task list and the RM marks it done", async () => {
    clock.set(new Date('2026-12-07T01:00:00Z')); // 09:00 local, still the 7th.
    const created = await w.ops.post('/calendar/entries', {
      id: 'birthdays',
      name: '生日祝福',
      componentId: 'greeting-birthday',
      channel: 'single',
      audience: { birthdayToday: true },
      schedule: { kind: 'cron', cron: '0 9 * * *' },
      owner: 'ops',
    });
    expect(created.status).toBe(201);
    await fire('birthdays');
    const task = w.h.emu.emulator.inspect().tasks.find((t) => t.text?.includes('生日快乐'));
    // A greeting names its client: a task of its own, addressed to her alone.
    expect(task?.text).toContain('李女士生日快乐');
    expect(task?.senders.map((s) => s.results.map((r) => r.recipient))).toEqual([['wm_bday']]);
    const list = await w.rm('rm_1').get('/tasks');
    const touch = list.body.touchesDue.find((t: { kind: string }) => t.kind === 'birthday');
    expect(touch).toMatchObject({ emotional: true, title: '生日祝福：李女士', externalUserid: 'wm_bday' });
    expect((await w.rm('rm_2').post(`/tasks/touches/${touch.id}/done`)).status).toBe(404);
    const done = await w.rm('rm_1').post(`/tasks/touches/${touch.id}/done`);
    expect(done.status).toBe(200);
    expect((await w.rm('rm_1').post(`/tasks/touches/${touch.id}/done`)).status).toBe(409);
    const after = await w.rm('rm_1').get('/tasks');
    expect(after.body.touchesDue.find((t: { id: number }) => t.id === touch.id)).toBeUndefined();
    const logged = await w.rows<{ status: string; emotional: boolean }>(
      sql`SELECT status, emotional FROM touches WHERE id = ${touch.id}`,
    );
    expect(logged).toEqual([{ status: 'done', emotional: true }]);
  });

  it('a client who replies 退订 is opted out, told so, and the RM sees it; the next brief skips them', async () => {
    const driver = w.h.emu.emulator.driver!;
    const out = await driver.clientMessagesBot({ userId: 'wm_td', content: '退订' });
    expect(out.status).toBe(200);
    await waitUntil(
      async () =>
        (
          await w.rows<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM clients WHERE external_userid = 'wm_td' AND opted_out_at IS NOT NULL`,
          )
        )[0]?.n === 1,
      10_000,
      'the opt-out',
    );
    await waitUntil(() => appMessagesTo('rm_2').some((m) => m.includes('退订')), 10_000, 'the RM notice');
    const replies = () =>
      Object.values(w.h.emu.emulator.inspect().botReplies)
        .flat()
        .map((r) => (r.payload as { markdown: { content: string } }).markdown.content);
    // The bot confirms from the library's approved text, and does not treat 退订 as a question.
    await waitUntil(() => replies().some((t) => t.includes('已为您退订')), 10_000, 'the confirmation');
    expect(replies()).toHaveLength(1);
    clock.set(new Date('2026-12-08T00:00:00Z')); // Tuesday 08:00.
    w.writeMarket(clock.now());
    const occ = await fire('brief-follow');
    const d = await w.rows<{ reason: string | null }>(
      sql`SELECT reason FROM deliveries WHERE occurrence_id = ${occ.id} AND recipient = 'wm_td'`,
    );
    expect(d).toEqual([{ reason: 'opted_out' }]);
  });
});
