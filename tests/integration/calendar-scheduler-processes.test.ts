import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/platform/clock.ts';
import { type CampaignWorld, startCampaignWorld } from '../helpers/campaign-world.ts';
import { type Child, spawnTs } from '../helpers/child-process.ts';
import { testEnv, waitUntil } from '../helpers/infra.ts';

// Three scheduler processes (separate OS processes, as three replicas would be) against one Redis and one
// PostgreSQL. Needs a networked PostgreSQL: the embedded PGlite admits one process (vitest.config.ts).
let w: CampaignWorld;
const rms = [
  { userid: 'rm_p1', name: '周经理', branch: '南山支行', persona: 'zhixing-jiejie' },
  { userid: 'rm_p2', name: '吴经理', branch: '福田支行', persona: 'zhixing-jiejie' },
];
const clients = Array.from({ length: 4 }, (_, i) => ({ id: `wm_proc_${i}`, rm: rms[i % 2]!.userid }));
const children: Child[] = [];

beforeAll(async () => {
  w = await startCampaignWorld({ clock: systemClock, rms, clients });
}, 60_000);
afterAll(async () => {
  for (const c of children) c.proc.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  await w?.stop();
});

describe('three scheduler processes', () => {
  it('fire every occurrence of an entry exactly once', async () => {
    // Every two seconds, an app message to the RMs holding the audience: each fire reaches each RM once.
    const created = await w.ops.post('/calendar/entries', {
      id: 'every-two-seconds',
      name: '每两秒的内部提醒',
      componentId: 'morning-brief-daily',
      channel: 'app',
      audience: { tiers: ['basic'] },
      schedule: { kind: 'cron', cron: '*/2 * * * * *' },
      owner: 'ops',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const config = w.h.ctx.config;
    const env = testEnv({
      DATABASE_URL: config.db.url,
      QUEUE_PREFIX: config.queue.prefix,
      WECOM_API_BASE_URL: w.h.emu.url,
      CALENDAR_TICK_CRON: '* * * * * *',
      LOG_LEVEL: 'info',
    });
    for (let i = 0; i < 3; i++) children.push(spawnTs('bin/helix.js', env, ['scheduler']));
    await Promise.all(children.map((c) => c.waitForLine('scheduler role started')));
    const done = await waitUntil(
      async () => {
        const rows = await w.rows<{ scheduled_at: string; status: string }>(
          sql`SELECT scheduled_at::text, status FROM calendar_occurrences WHERE entry_id = 'every-two-seconds'`,
        );
        return rows.filter((r) => r.status === 'done').length >= 3 ? rows : undefined;
      },
      30_000,
      'three occurrences',
    );
    for (const c of children) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    // Let anything still queued run, then count: one row per instant, and per RM one message per fire.
    const settled = await waitUntil(async () => {
      const rows = await w.rows<{ n: number; running: number }>(
        sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'running')::int AS running
              FROM calendar_occurrences WHERE entry_id = 'every-two-seconds'`,
      );
      return rows[0]?.running === 0 ? rows[0] : undefined;
    });
    expect(settled?.n).toBeGreaterThanOrEqual(done?.length ?? 0);
    const instants = await w.rows<{ at: string; n: number }>(
      sql`SELECT scheduled_at::text AS at, count(*)::int AS n FROM calendar_occurrences
           WHERE entry_id = 'every-two-seconds' GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(instants).toEqual([]);
    const fired = settled?.n ?? 0;
    for (const rm of rms) {
      const messages = (
        w.h.emu.emulator.inspect().members.find((m) => m.userid === rm.userid)?.appMessages ?? []
      ).filter((m) => JSON.stringify(m.payload).includes('早间财经速递'));
      expect(messages.length, rm.userid).toBe(fired);
    }
  });
});
