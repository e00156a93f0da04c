import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSchedulerRole } from '../../src/app/scheduler.ts';
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
  it('three schedulers against one Redis fire an occurrence exactly once', async () => {
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
    // 08:00:20 local: the occurrence is due. Three scheduler roles start, each with its own connections.
    clock.set(new Date('2026-12-07T00:00:20Z'));
    const schedulers = await Promise.all([0, 1, 2].map(() => startSchedulerRole(w.h.ctx)));
    try {
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
      const deliveries = await w.rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM deliveries WHERE occurrence_id = ${done?.[0]?.id ?? 0} AND status = 'pending'`,
      );
      expect(deliveries[0]!.n).toBe(6);
    } finally {
      for (const s of schedulers) await s.stop();
    }
  });
});
