import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarWiring } from '../../src/app/calendar-wiring.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { AppError } from '../../src/platform/errors.ts';
import type { WecomClient } from '../../src/wecom/client/wecom-client.ts';
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
const plain = Array.from({ length: 9 }, (_, i) => ({
  id: `wm_ok_${i}`,
  rm: rms[i % 3]!.userid,
  riskLevel: 'C3',
}));
// Who may receive content without a product risk: everyone but the opted-out client and the one without an RM.
const briefable = () => [...plain.map((c) => c.id), 'wm_c1', 'wm_norisk'].sort();
const clients = [
  ...plain,
  { id: 'wm_optout', rm: 'rm_a', optedOut: true },
  { id: 'wm_noowner', rm: null },
  { id: 'wm_c1', rm: 'rm_a', riskLevel: 'C1' },
  { id: 'wm_norisk', rm: 'rm_b', riskLevel: null },
];

beforeAll(async () => {
  w = await startCampaignWorld({ clock, rms, clients });
  services = createServices(w.h.ctx);
  // The WeCom clients' connection (tokens, limits) takes no commands before it is ready; the direct runs
  // below use it at once (without this wait, a slow start failed them with "Stream isn't writeable").
  await waitUntil(() => services.general().status === 'ready', 10_000, 'redis');
}, 60_000);
afterAll(async () => {
  await services?.close();
  await w?.stop();
});

const entry = async (id: string, body: Record<string, unknown>) => {
  const r = await w.ops.post('/calendar/entries', {
    id,
    name: id,
    channel: 'single',
    audience: { tiers: ['basic'] },
    schedule: { kind: 'cron', cron: '0 8 * * *' },
    owner: 'ops',
    ...body,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};

/** Fires an occurrence of `entryId` at the clock's now, as the scheduler would, and waits for its outcome. */
const fire = (entryId: string) => w.fire(services.queues(), entryId);

/** The calendar wiring on this world's services, with some of its parts replaced (a dying worker's). */
const wiringWith = (parts: {
  rendering?: ReturnType<Services['rendering']>;
  wecom?: ReturnType<Services['wecom']>;
}) =>
  createCalendarWiring({
    config: w.h.ctx.config,
    db: w.db,
    log: w.h.ctx.log,
    metrics: w.h.ctx.metrics,
    clock,
    audit: services.audit(),
    rendering: parts.rendering ?? services.rendering(),
    checker: services.checker(),
    wecom: parts.wecom ?? services.wecom(),
    wecomBaseUrl: w.h.emu.url,
    redis: services.general(),
    holidays: services.holidays(),
  });

/** A morning-brief entry at `at` and its occurrence, recorded running as the fire job would, for a direct run. */
const runningBrief = async (entryId: string, at: Date) => {
  w.writeMarket(at);
  await entry(entryId, { componentId: 'morning-brief-daily' });
  const cal = services.calendar();
  const { row } = await w.db.transaction((tx) =>
    cal.calendarRepo.recordOccurrence(tx, { entryId, scheduledAt: at, version: 1, status: 'running', at }),
  );
  return { cal, occurrence: { id: row.id, entryId }, body: (await cal.calendar.get(entryId)).body };
};

const decisions = async (occurrenceId: number) =>
  Object.fromEntries(
    (
      await w.rows<{ recipient: string; status: string; reason: string | null }>(
        sql`SELECT recipient, status, reason FROM deliveries WHERE occurrence_id = ${occurrenceId}`,
      )
    ).map((d) => [d.recipient, d.reason ?? d.status]),
  );

describe('one occurrence', () => {
  it('skips the right clients with the right reasons and tasks every other one once', async () => {
    // A product rated R2: a C1 client may not receive it, a client without a rating neither.
    await entry('steady-income', {
      componentId: 'product-card-steady-income',
      context: { productName: '稳健理财30天', benchmark: 2.5, termDays: 30 },
    });
    const occ = await fire('steady-income');
    expect(occ.status, occ.reason ?? '').toBe('done');
    const d = await decisions(occ.id);
    expect(d).toMatchObject({
      wm_optout: 'opted_out',
      wm_noowner: 'no_owner_rm',
      wm_c1: 'unsuitable_risk',
      wm_norisk: 'no_risk_level',
    });
    for (const c of plain) expect(d[c.id]).toBe('pending');
    const tasks = w.h.emu.emulator.inspect().tasks;
    const tasked = tasks.flatMap((t) => t.senders.flatMap((p) => p.results.map((r) => r.recipient)));
    expect(tasked.sort()).toEqual(plain.map((c) => c.id).sort());
    // The stats say the same, by reason.
    const stats = await w.ops.get(`/calendar/occurrences/${occ.id}`);
    expect(stats.body.stats).toMatchObject({
      targeted: 13,
      skipped: { opted_out: 1, no_owner_rm: 1, unsuitable_risk: 1, no_risk_level: 1 },
      tasksCreated: 3,
      pending: 9,
    });
  });

  it("WeCom's per-client cap: a second mass message the same day is not tasked", async () => {
    await entry('brief-cap', { componentId: 'morning-brief-daily' });
    const occ = await fire('brief-cap');
    const d = await decisions(occ.id);
    // Each plain client already has today's mass message (the product card): WeCom would refuse it.
    for (const c of plain) expect(d[c.id]).toBe('wecom_cap');
    expect(occ.status).toBe('done');
    const stats = await w.ops.get(`/calendar/occurrences/${occ.id}`);
    // The two the product card skipped have had no mass message today: they get this one.
    expect(stats.body.stats).toMatchObject({
      pending: 2,
      skipped: { wecom_cap: 9, opted_out: 1, no_owner_rm: 1 },
    });
  });

  it('quiet hours: a 1:1 message fired at 23:00 reaches nobody, and says why', async () => {
    clock.set(new Date('2026-12-08T15:00:00Z')); // Tuesday 23:00 local; yesterday's caps are over.
    await entry('late-note', {
      componentId: 'morning-brief-daily',
      schedule: { kind: 'cron', cron: '0 23 * * *' },
    });
    const occ = await fire('late-note');
    const d = await decisions(occ.id);
    for (const c of plain) expect(d[c.id]).toBe('quiet_hours');
  });

  it('content whose market data is stale is not sent, and the occurrence says why', async () => {
    clock.set(new Date('2026-12-09T00:00:00Z')); // Wednesday 08:00.
    w.writeMarket(new Date('2026-12-01T00:00:00Z'));
    await entry('brief-stale', { componentId: 'morning-brief-daily' });
    const before = w.h.emu.emulator.inspect().tasks.length;
    const occ = await fire('brief-stale');
    expect(occ.status).toBe('skipped');
    expect(occ.reason).toMatch(/stale/);
    expect(w.h.emu.emulator.inspect().tasks.length).toBe(before);
    const d = await decisions(occ.id);
    for (const c of plain) expect(d[c.id]).toBe('content_unsendable');
  });
});

describe('faults', () => {
  it('45009 mid-fan-out is waited out and retried: every client is tasked, none twice', async () => {
    clock.set(new Date('2026-12-10T00:00:00Z')); // Thursday 08:00.
    w.writeMarket(clock.now());
    // WeCom answers every third add_msg_template with 45009.
    w.h.emu.emulator.setFaults('externalcontact/add_msg_template', [{ kind: 'rateLimited', everyNth: 3 }]);
    try {
      await entry('brief-45009', { componentId: 'morning-brief-daily' });
      const before = w.h.emu.emulator.inspect().tasks.length;
      const occ = await fire('brief-45009');
      expect(occ.status, occ.reason ?? '').toBe('done');
      const tasks = w.h.emu.emulator.inspect().tasks.slice(before);
      const tasked = tasks.flatMap((t) => t.senders.flatMap((p) => p.results.map((r) => r.recipient)));
      expect(tasked.sort()).toEqual(briefable());
      const states = await w.rows<{ status: string; n: number }>(
        sql`SELECT status, count(*)::int AS n FROM send_tasks WHERE occurrence_id = ${occ.id} GROUP BY status`,
      );
      expect(states).toEqual([{ status: 'created', n: tasks.length }]);
    } finally {
      w.h.emu.emulator.setFaults('externalcontact/add_msg_template', []);
    }
  });

  it('a worker killed mid-fan-out: after restart no task is created twice and no client is lost', async () => {
    clock.set(new Date('2026-12-11T00:00:00Z')); // Friday 08:00.
    const at = clock.now();
    const { cal, occurrence, body } = await runningBrief('brief-kill', at);
    // The first worker dies right after WeCom accepted its second task, before recording it.
    const real = services.wecom();
    let calls = 0;
    const dying: WecomClient = Object.create(real.contact);
    dying.addMsgTemplate = async (m) => {
      const r = await real.contact.addMsgTemplate(m);
      if (++calls === 2) throw new Error('worker killed');
      return r;
    };
    const first = wiringWith({ wecom: { app: real.app, contact: dying } });
    const before = w.h.emu.emulator.inspect().tasks.length;
    await expect(first.fanOut.execute(occurrence, body)).rejects.toThrow('worker killed');
    // BullMQ gives the job to another worker once the dead one's lock expired.
    clock.set(new Date(at.getTime() + w.h.ctx.config.queue.lockDurationMs + 1000));
    const result = await cal.fanOut.execute(occurrence, body);
    expect(result.status).toBe('done');
    const tasks = w.h.emu.emulator.inspect().tasks.slice(before);
    const tasked = tasks.flatMap((t) => t.senders.flatMap((p) => p.results.map((r) => r.recipient)));
    expect(tasked.sort()).toEqual(briefable());
    const open = await w.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM send_tasks WHERE occurrence_id = ${occurrence.id} AND (status <> 'created' OR msgid IS NULL)`,
    );
    expect(open[0]!.n).toBe(0);
  });

  it('content that becomes unsendable mid-fan-out: the retry sends the rest, none twice', async () => {
    clock.set(new Date('2026-12-12T00:00:00Z')); // Saturday 08:00.
    const at = clock.now();
    const { cal, occurrence, body } = await runningBrief('brief-stale-mid', at);
    // The market feed goes stale after the first task was rendered.
    const real = services.rendering();
    let renders = 0;
    const flaky: typeof real = Object.create(real);
    flaky.renderApproved = async (...args) => {
      if (++renders === 2) throw new AppError('conflict', { message: 'market data is stale: test' });
      return real.renderApproved(...args);
    };
    const first = wiringWith({ rendering: flaky });
    const before = w.h.emu.emulator.inspect().tasks.length;
    await expect(first.fanOut.execute(occurrence, body)).rejects.toThrow('market data is stale');
    // The job's retry, with the feed fresh again.
    const result = await cal.fanOut.execute(occurrence, body);
    expect(result.status).toBe('done');
    const tasks = w.h.emu.emulator.inspect().tasks.slice(before);
    const tasked = tasks.flatMap((t) => t.senders.flatMap((p) => p.results.map((r) => r.recipient)));
    expect(tasked.sort()).toEqual(briefable());
  });
});
