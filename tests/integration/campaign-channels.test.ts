import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app/services.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { robotKeyId } from '../../src/wecom/client/group-robot.ts';
import { type CampaignWorld, startCampaignWorld } from '../helpers/campaign-world.ts';
import { waitUntil } from '../helpers/infra.ts';

// Monday 2026-12-07, 08:00 in Shanghai.
const T0 = new Date('2026-12-07T00:00:00Z');
const clock = fixedClock(T0);
let w: CampaignWorld;
let services: Services;

const rms = [
  { userid: 'rm_a', name: '王经理', branch: '南山支行', persona: 'zhixing-jiejie' },
  { userid: 'rm_b', name: '赵经理', branch: '福田支行', persona: 'zhixing-jiejie' },
  { userid: 'rm_c', name: '钱经理', branch: '福田支行', persona: 'zhixing-jiejie' },
];
const nameOf = (userid: string) => rms.find((r) => r.userid === userid)!.name;
// Basic clients are held by rm_a and rm_b only: rm_c holds none, so rm_c is nobody's reader on the app channel.
const basic = Array.from({ length: 6 }, (_, i) => ({ id: `wm_b${i}`, rm: i % 2 ? 'rm_b' : 'rm_a' }));
const premium = [
  { id: 'wm_p1', rm: 'rm_a', tier: 'premium' },
  { id: 'wm_p2', rm: 'rm_b', tier: 'premium' },
  { id: 'wm_p_out', rm: 'rm_a', tier: 'premium', optedOut: true },
];
// Helix's registry of customer groups; grp_orphan was registered before anyone owned it.
const groups = [
  { chatId: 'grp_a1', name: '南山理财一群', owner: 'rm_a' },
  { chatId: 'grp_a2', name: '南山理财二群', owner: 'rm_a' },
  { chatId: 'grp_b1', name: '福田理财群', owner: 'rm_b' },
  { chatId: 'grp_orphan', name: '无主群', owner: null },
];
const ROBOT_KEY = 'robot-key-7d1f3c9a';

beforeAll(async () => {
  w = await startCampaignWorld({ clock, rms, clients: [...basic, ...premium] });
  services = createServices(w.h.ctx);
  // The WeCom clients' connection (tokens, limits) takes no commands before it is ready.
  await waitUntil(() => services.general().status === 'ready', 10_000, 'redis');
  for (const g of groups)
    await w.db.execute(
      sql`INSERT INTO community_groups (chat_id, name, group_key, owner_rm, status)
          VALUES (${g.chatId}, ${g.name}, 'basic', ${g.owner}, 'active')`,
    );
  w.h.emu.emulator.seed({
    groups: groups.flatMap((g) => (g.owner ? [{ chatId: g.chatId, owner: g.owner, name: g.name }] : [])),
  });
}, 60_000);
afterAll(async () => {
  await services?.close();
  await w?.stop();
});

const entry = async (id: string, body: Record<string, unknown>) => {
  const r = await w.ops.post('/calendar/entries', {
    id,
    name: id,
    schedule: { kind: 'cron', cron: '0 8 * * *' },
    owner: 'ops',
    ...body,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};

/** Fires an occurrence of `entryId` at the clock's now, as the scheduler would, and waits for its outcome. */
const fire = (entryId: string) => w.fire(services.queues(), entryId);

type Delivery = { recipient: string; rm: string | null; status: string; reason: string | null };
const deliveriesOf = (occurrenceId: number) =>
  w.rows<Delivery>(
    sql`SELECT recipient, rm, status, reason FROM deliveries WHERE occurrence_id = ${occurrenceId} ORDER BY recipient`,
  );
type Task = {
  id: number;
  kind: string;
  sender: string;
  status: string;
  msgid: string | null;
  errcode: number | null;
};
const tasksOf = (occurrenceId: number) =>
  w.rows<Task>(
    sql`SELECT id::int AS id, kind, sender, status, msgid, errcode FROM send_tasks
         WHERE occurrence_id = ${occurrenceId} ORDER BY sender, id`,
  );
const appMessagesTo = (userid: string) =>
  (w.h.emu.emulator.inspect().members.find((m) => m.userid === userid)?.appMessages ?? []).map(
    (m) => (m.payload as { content: string }).content,
  );

describe('group channel', () => {
  let occurrenceId = 0;

  it('tasks each owner with exactly their groups, and skips a group nobody owns', async () => {
    // The product card has one variant: with A/B variants an owner gets one task per variant chosen.
    await entry('groups-card', {
      componentId: 'product-card-steady-income',
      channel: 'group',
      audience: { tiers: ['basic'] },
      context: { productName: '稳健理财30天', benchmark: 2.5, termDays: 30 },
    });
    const occ = await fire('groups-card');
    expect(occ.status, occ.reason ?? '').toBe('done');
    occurrenceId = occ.id;
    const d = await deliveriesOf(occ.id);
    expect(d).toEqual([
      { recipient: 'grp_a1', rm: 'rm_a', status: 'pending', reason: null },
      { recipient: 'grp_a2', rm: 'rm_a', status: 'pending', reason: null },
      { recipient: 'grp_b1', rm: 'rm_b', status: 'pending', reason: null },
      { recipient: 'grp_orphan', rm: null, status: 'skipped', reason: 'no_owner_rm' },
    ]);
    // In WeCom: one group task per owner, naming exactly that owner's groups, the product card's text.
    const tasks = w.h.emu.emulator.inspect().tasks.filter((t) => t.chatType === 'group');
    expect(
      tasks
        .map((t) => ({
          creator: t.creator,
          chats: t.senders.flatMap((s) => s.results.map((r) => r.recipient)).sort(),
        }))
        .sort((a, b) => a.creator.localeCompare(b.creator)),
    ).toEqual([
      { creator: 'rm_a', chats: ['grp_a1', 'grp_a2'] },
      { creator: 'rm_b', chats: ['grp_b1'] },
    ]);
    for (const t of tasks) expect(t.text).toContain('稳健理财30天');
    expect((await tasksOf(occ.id)).map((t) => [t.kind, t.sender, t.status])).toEqual([
      ['group', 'rm_a', 'created'],
      ['group', 'rm_b', 'created'],
    ]);
  });

  it('once the owners confirm, the next poll records every group as sent', async () => {
    const before = await services.calendar().followUp.poll(occurrenceId);
    expect(before).toMatchObject({ open: 2, confirmed: 0 });
    w.h.emu.emulator.simulateRms({ confirmRate: 1, seed: 'groups' });
    const round = await services.calendar().followUp.poll(occurrenceId);
    expect(round).toMatchObject({ open: 0, confirmed: 2 });
    const d = await deliveriesOf(occurrenceId);
    expect(d.filter((x) => x.rm).map((x) => [x.recipient, x.status])).toEqual([
      ['grp_a1', 'sent'],
      ['grp_a2', 'sent'],
      ['grp_b1', 'sent'],
    ]);
    expect((await tasksOf(occurrenceId)).map((t) => t.status)).toEqual(['confirmed', 'confirmed']);
  });

  it("a second group message the same day is WeCom's one too many: every group is skipped", async () => {
    clock.set(new Date(T0.getTime() + 3_600_000)); // 09:00, the same day.
    await entry('groups-brief', {
      componentId: 'morning-brief-daily',
      channel: 'group',
      audience: { tiers: ['basic'] },
      schedule: { kind: 'cron', cron: '0 9 * * *' },
    });
    const before = w.h.emu.emulator.inspect().tasks.length;
    const occ = await fire('groups-brief');
    const d = await deliveriesOf(occ.id);
    expect(Object.fromEntries(d.map((x) => [x.recipient, x.reason]))).toEqual({
      grp_a1: 'wecom_cap',
      grp_a2: 'wecom_cap',
      grp_b1: 'wecom_cap',
      grp_orphan: 'no_owner_rm',
    });
    expect(await tasksOf(occ.id)).toEqual([]);
    expect(w.h.emu.emulator.inspect().tasks.length).toBe(before);
  });
});

describe('moment channel', () => {
  it('each RM gets a Moments task in their own name; a delivery is sent when that RM publishes', async () => {
    clock.set(new Date('2026-12-08T00:00:00Z')); // Tuesday 08:00.
    w.writeMarket(clock.now());
    await entry('moment-brief', {
      componentId: 'morning-brief-daily',
      channel: 'moment',
      audience: { rms: ['rm_a', 'rm_b'] },
    });
    const occ = await fire('moment-brief');
    expect(occ.status, occ.reason ?? '').toBe('done');
    // The text is signed by the RM who publishes it, so each RM's moment is a task of its own
    // (planTasks groups by sender), whose visible range names that RM alone.
    const moments = w.h.emu.emulator.inspect().moments;
    expect(moments.map((m) => m.senders.map((s) => s.userid)).sort()).toEqual([['rm_a'], ['rm_b']]);
    const momentOf = (rm: string) => moments.find((m) => m.senders[0]?.userid === rm)!;
    for (const rm of ['rm_a', 'rm_b']) expect(momentOf(rm).text).toContain(`我是${nameOf(rm)}`);
    const tasks = await tasksOf(occ.id);
    expect(tasks.map((t) => [t.kind, t.sender, t.status])).toEqual([
      ['moment', 'rm_a', 'created'],
      ['moment', 'rm_b', 'created'],
    ]);
    const state = async () =>
      Object.fromEntries((await deliveriesOf(occ.id)).map((d) => [d.recipient, d.status]));

    // Nobody has published: the poll records nothing (but learns each job's moment id).
    expect(await services.calendar().followUp.poll(occ.id)).toMatchObject({ open: 2, confirmed: 0 });
    expect(await state()).toEqual({ rm_a: 'pending', rm_b: 'pending' });
    const stored = (await tasksOf(occ.id)).map((t) => t.msgid);
    expect(stored).toEqual([`moment:${momentOf('rm_a').momentId}`, `moment:${momentOf('rm_b').momentId}`]);

    w.h.emu.emulator.publishMoment(momentOf('rm_a').momentId, 'rm_a');
    expect(await services.calendar().followUp.poll(occ.id)).toMatchObject({ open: 1, confirmed: 1 });
    expect(await state()).toEqual({ rm_a: 'sent', rm_b: 'pending' });

    w.h.emu.emulator.publishMoment(momentOf('rm_b').momentId, 'rm_b');
    expect(await services.calendar().followUp.poll(occ.id)).toMatchObject({ open: 0, confirmed: 1 });
    expect(await state()).toEqual({ rm_a: 'sent', rm_b: 'sent' });
    expect((await tasksOf(occ.id)).map((t) => t.status)).toEqual(['confirmed', 'confirmed']);
  });
});

describe('app channel', () => {
  it('each RM holding the audience gets one app message in their own name, delivered at once', async () => {
    clock.set(new Date('2026-12-08T00:30:00Z')); // Tuesday 08:30.
    w.writeMarket(clock.now());
    await entry('app-brief', {
      componentId: 'morning-brief-daily',
      channel: 'app',
      audience: { tiers: ['basic'] },
      schedule: { kind: 'cron', cron: '30 8 * * *' },
    });
    // Earlier polls reminded these RMs of their group tasks: count only what this occurrence sends.
    const before = new Map(rms.map((r) => [r.userid, appMessagesTo(r.userid).length]));
    const occ = await fire('app-brief');
    expect(occ.status, occ.reason ?? '').toBe('done');
    for (const rm of ['rm_a', 'rm_b']) {
      const received = appMessagesTo(rm).slice(before.get(rm));
      expect(received).toHaveLength(1);
      expect(received[0]).toContain('早间财经速递');
      expect(received[0]).toContain('沪深300收于3912.5点');
      expect(received[0]).toContain(`我是${nameOf(rm)}`);
    }
    // rm_c holds none of the audience's clients.
    expect(appMessagesTo('rm_c')).toHaveLength(before.get('rm_c')!);
    expect((await deliveriesOf(occ.id)).map((d) => [d.recipient, d.status])).toEqual([
      ['rm_a', 'sent'],
      ['rm_b', 'sent'],
    ]);
    expect((await tasksOf(occ.id)).map((t) => [t.kind, t.status])).toEqual([
      ['app', 'confirmed'],
      ['app', 'confirmed'],
    ]);
  });
});

describe('robot channel', () => {
  it("posts to the robot's webhook and stores only a hash of its key", async () => {
    await entry('robot-card', {
      componentId: 'product-card-steady-income',
      channel: 'robot',
      robotKeys: [ROBOT_KEY],
      audience: {},
      schedule: { kind: 'cron', cron: '30 8 * * *' },
      // Percent variables are in percent points: 2.5 reads 2.50%.
      context: { productName: '稳健理财30天', benchmark: 2.5, termDays: 30 },
    });
    const occ = await fire('robot-card');
    expect(occ.status, occ.reason ?? '').toBe('done');
    const posts = w.h.emu.emulator.inspect().webhookMessages[ROBOT_KEY] ?? [];
    expect(posts).toHaveLength(1);
    expect(posts[0]!.msgtype).toBe('text');
    expect((posts[0]!.payload as { content: string }).content).toContain(
      '【稳健理财30天】期限30天，业绩比较基准2.50%（年化）',
    );
    const d = await deliveriesOf(occ.id);
    expect(d).toEqual([
      { recipient: `robot:${robotKeyId(ROBOT_KEY)}`, rm: '', status: 'sent', reason: null },
    ]);
    expect(d[0]!.recipient).toMatch(/^robot:[0-9a-f]{12}$/);
    const stored = await w.rows<{ row: string }>(
      sql`SELECT row_to_json(d)::text AS row FROM deliveries d WHERE occurrence_id = ${occ.id}
          UNION ALL
          SELECT row_to_json(t)::text FROM send_tasks t WHERE occurrence_id = ${occ.id}`,
    );
    expect(stored).toHaveLength(2);
    for (const r of stored) expect(r.row).not.toContain(ROBOT_KEY);
    // The API never shows the key: it is masked, and an edit that sends the masked key back keeps it.
    const read = await w.ops.get('/calendar/entries/robot-card');
    expect(JSON.stringify(read.body)).not.toContain(ROBOT_KEY);
    expect(read.body.robotKeys).toEqual([`robot:${robotKeyId(ROBOT_KEY)}`]);
    const { id: _id, status: _s, version, createdBy: _c, createdAt: _a, updatedAt: _u, ...body } = read.body;
    const edited = await w.ops.put('/calendar/entries/robot-card', {
      ...body,
      version,
      name: '产品卡（改）',
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const kept = await w.rows<{ keys: string[] }>(
      sql`SELECT body->'robotKeys' AS keys FROM calendar_entries WHERE id = 'robot-card'`,
    );
    expect(kept[0]?.keys).toEqual([ROBOT_KEY]);
    const unknown = await w.ops.put('/calendar/entries/robot-card', {
      ...body,
      version: version + 1,
      robotKeys: ['robot:000000000000'],
    });
    expect(unknown.status).toBe(400);
  });
});

describe('a task WeCom rejects', () => {
  it('fails with its code, its clients fail with the reason, and the other RM is tasked as usual', async () => {
    clock.set(new Date('2026-12-09T00:00:00Z')); // Wednesday 08:00.
    await entry('card-48002', {
      componentId: 'product-card-steady-income',
      channel: 'single',
      audience: { tiers: ['basic'] },
      context: { productName: '稳健理财30天', benchmark: 2.5, termDays: 30 },
    });
    const before = w.h.emu.emulator.inspect().tasks.length;
    // WeCom refuses every second add_msg_template: one of the two RMs' tasks (which one depends on whether
    // the client first had to renew its token, a call the rule counts too).
    w.h.emu.emulator.setFaults('externalcontact/add_msg_template', [
      { kind: 'error', errcode: 48002, errmsg: 'api forbidden', everyNth: 2 },
    ]);
    let occ: Awaited<ReturnType<typeof fire>>;
    try {
      occ = await fire('card-48002');
    } finally {
      w.h.emu.emulator.setFaults('externalcontact/add_msg_template', []);
    }
    expect(occ.status, occ.reason ?? '').toBe('done');
    const tasks = await tasksOf(occ.id);
    expect(tasks.map((t) => t.sender)).toEqual(['rm_a', 'rm_b']);
    const failed = tasks.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.errcode)).toEqual([48002]);
    const refused = failed[0]!.sender;
    const other = tasks.find((t) => t.sender !== refused)!;
    expect(other).toMatchObject({ status: 'created', errcode: null });
    const d = await deliveriesOf(occ.id);
    const ofRm = (rm: string) => d.filter((x) => x.rm === rm);
    expect(ofRm(refused)).toHaveLength(3);
    for (const x of ofRm(refused)) {
      expect(x.status).toBe('failed');
      expect(x.reason).toMatch(/^wecom_48002/);
    }
    expect(ofRm(other.sender).map((x) => x.status)).toEqual(['pending', 'pending', 'pending']);
    // WeCom holds the other RM's task only.
    expect(
      w.h.emu.emulator
        .inspect()
        .tasks.slice(before)
        .map((t) => t.creator),
    ).toEqual([other.sender]);
    const stats = await w.ops.get(`/calendar/occurrences/${occ.id}`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ status: 'done' });
    expect(stats.body.stats).toMatchObject({
      targeted: 6,
      pending: 3,
      failed: 3,
      failedReasons: { wecom_48002: 3 },
    });
  });
});

describe('preview and saved segments', () => {
  it('previews a segment: whom it targets, who is skipped and why, and sample texts; records nothing', async () => {
    clock.set(new Date('2026-12-10T00:00:00Z')); // Thursday 08:00.
    w.writeMarket(clock.now());
    const seg = await w.ops.post('/calendar/segments', {
      id: 'premium-clients',
      name: '私行客户',
      filter: { tiers: ['premium'] },
    });
    expect(seg.status, JSON.stringify(seg.body)).toBe(201);
    await entry('premium-brief', {
      componentId: 'morning-brief-daily',
      channel: 'single',
      audience: { segment: 'premium-clients' },
    });
    const count = async () =>
      (
        await w.rows<{ occurrences: number; deliveries: number }>(
          sql`SELECT (SELECT count(*)::int FROM calendar_occurrences) AS occurrences,
                     (SELECT count(*)::int FROM deliveries) AS deliveries`,
        )
      )[0];
    const recorded = await count();
    const preview = await w.ops.post('/calendar/entries/premium-brief/preview');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ targeted: premium.length, eligible: 2, skipped: { opted_out: 1 } });
    const samples = preview.body.samples as { persona: string; variantId: string; text?: string }[];
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) {
      expect(s).toMatchObject({ persona: 'zhixing-jiejie', variantId: expect.any(String) });
      expect(s.text).toMatch(/王经理|赵经理/);
    }
    expect(await count()).toEqual(recorded);
    expect(await w.rows(sql`SELECT id FROM calendar_occurrences WHERE entry_id = 'premium-brief'`)).toEqual(
      [],
    );
  });

  it('an entry naming a segment that does not exist is refused', async () => {
    const r = await w.ops.post('/calendar/entries', {
      id: 'ghost-segment',
      name: 'ghost',
      componentId: 'morning-brief-daily',
      channel: 'single',
      audience: { segment: 'no-such-segment' },
      schedule: { kind: 'cron', cron: '0 8 * * *' },
      owner: 'ops',
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('no-such-segment');
  });
});
