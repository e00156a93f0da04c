import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSchedulerRole } from '../../src/app/scheduler.ts';
import { createServices } from '../../src/app/services.ts';
import { ReconcileGroups } from '../../src/modules/communities/communities.jobs.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { type CampaignWorld, startCampaignWorld } from '../helpers/campaign-world.ts';
import { waitUntil } from '../helpers/infra.ts';

// Monday 2026-12-07, 07:00 in Shanghai.
const T0 = new Date('2026-12-06T23:00:00Z');
const clock = fixedClock(T0);
let w: CampaignWorld;

const rms = [
  { userid: 'rm_a', name: '王经理', branch: '南山支行', persona: 'zhixing-jiejie' },
  { userid: 'rm_b', name: '赵经理', branch: '福田支行', persona: 'zhixing-jiejie' },
];
const clients = Array.from({ length: 6 }, (_, i) => ({ id: `wm_sched_${i}`, rm: i % 2 ? 'rm_b' : 'rm_a' }));

beforeAll(async () => {
  w = await startCampaignWorld({ clock, rms, clients });
}, 60_000);
afterAll(async () => w?.stop());

const occurrences = (entryId: string) =>
  w.rows<{ id: number; scheduled_at: string; status: string; reason: string | null }>(
    sql`SELECT id::int AS id, scheduled_at::text, status, reason FROM calendar_occurrences
         WHERE entry_id = ${entryId} ORDER BY scheduled_at`,
  );

describe('scheduling', () => {
  it('three schedulers against one Redis fire each occurrence exactly once, and two at one minute task a client once', async () => {
    const create = await w.ops.post('/calendar/entries', {
      id: 'brief-three',
      name: '早间财经速递',
      componentId: 'morning-brief-daily',
      channel: 'single',
      audience: { tiers: ['basic'] },
      schedule: { kind: 'cron', cron: '0 8 * * *' },
      owner: 'ops',
    });
    expect(create.status, JSON.stringify(create.body)).toBe(201);
    // A second brief at the same minute to the same clients: WeCom would let each client receive only one.
    const twin = await w.ops.post('/calendar/entries', {
      id: 'brief-twin',
      name: '早间财经速递（副本）',
      componentId: 'morning-brief-daily',
      channel: 'single',
      audience: { tiers: ['basic'] },
      schedule: { kind: 'cron', cron: '0 8 * * *' },
      owner: 'ops',
    });
    expect(twin.status, JSON.stringify(twin.body)).toBe(201);
    // 08:00:20 local: the occurrence is due. Three scheduler roles start, each with its own connections.
    clock.set(new Date('2026-12-07T00:00:20Z'));
    const schedulers = await Promise.all([0, 1, 2].map(() => startSchedulerRole(w.h.ctx)));
    try {
      await waitUntil(
        async () => (await occurrences('brief-twin'))[0]?.status === 'done',
        20_000,
        'the twin',
      );
      const done = await waitUntil(
        async () => {
          const o = await occurrences('brief-three');
          return o[0]?.status === 'done' ? o : undefined;
        },
        20_000,
        'the occurrence to be fanned out',
      );
      expect(await occurrences('brief-three')).toHaveLength(1);
      // WeCom holds tasks per RM and variant, and every client is in exactly one of them: nothing twice.
      const tasks = w.h.emu.emulator.inspect().tasks;
      const recipients = tasks.flatMap((t) =>
        t.senders.flatMap((p) => p.results.map((r) => `${p.userid}>${r.recipient}`)),
      );
      expect(recipients.sort()).toEqual(clients.map((c) => `${c.rm}>${c.id}`).sort());
      // Whichever decided second skipped every client for WeCom's cap.
      const decided = await w.rows<{ entry_id: string; status: string; reason: string | null; n: number }>(
        sql`SELECT o.entry_id, d.status, d.reason, count(*)::int AS n FROM deliveries d
              JOIN calendar_occurrences o ON o.id = d.occurrence_id
             WHERE o.entry_id IN ('brief-three', 'brief-twin') GROUP BY 1, 2, 3 ORDER BY 2`,
      );
      expect(decided.map((d) => [d.status, d.reason, d.n])).toEqual([
        ['pending', null, 6],
        ['skipped', 'wecom_cap', 6],
      ]);
      expect(done).toHaveLength(1);
    } finally {
      for (const s of schedulers) await s.stop();
    }
  });

  it('the nightly reconcile is caught up after downtime within the window, and counted as missed beyond it', async () => {
    const services = createServices(w.h.ctx);
    try {
      // 02:50 on the 8th: the 02:30 run is 20 minutes late, within the catch-up window: it runs now.
      clock.set(new Date('2026-12-07T18:50:00Z'));
      await (await startSchedulerRole(w.h.ctx)).stop();
      expect(await services.queues().jobState(ReconcileGroups, { runDate: '2026-12-08' })).not.toBe(
        'unknown',
      );
      // 05:00 on the 9th: that day's 02:30 is 2.5 hours old and never ran: it is counted as missed, once,
      // however many schedulers find it.
      const missed = async () => (await w.h.ctx.metrics.scheduleMissed.get()).values[0]?.value ?? 0;
      const before = await missed();
      clock.set(new Date('2026-12-08T21:00:00Z'));
      const replicas = await Promise.all([0, 1].map(() => startSchedulerRole(w.h.ctx)));
      for (const r of replicas) await r.stop();
      expect(await services.queues().jobState(ReconcileGroups, { runDate: '2026-12-09' })).toBe('unknown');
      expect(await missed()).toBe(before + 1);
    } finally {
      await services.close();
    }
  });
});
