import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { Queues } from '../../platform/queue/queues.ts';
import { ProcessInbound } from './inbox.jobs.ts';
import type { InboxRepository } from './inbox.repository.ts';

/**
 * Another module's safety net run on the sweeper's cadence, after its own work (the wiring in `src/app`
 * passes these in, so inbox imports no feature module). A failure is logged and retried next interval.
 */
export type SweepHook = { name: string; run: () => Promise<unknown> };

/** Re-enqueues stored-but-unprocessed callbacks and prunes old processed ones. */
export type InboxSweeper = ReturnType<typeof createInboxSweeper>;

/**
 * The safety net behind "acknowledged means processed": a row can be committed while Redis is down, or its
 * job can be lost with Redis. Every `intervalMs` the sweeper finds rows still `received` after `minAgeMs`
 * and makes sure each has a live job. Rows that failed far more often than a job retries are dead-lettered
 * so a poison message cannot loop forever. `hooks` run on the same cadence (on start, then every interval).
 */
export function createInboxSweeper(deps: {
  db: Db;
  repo: InboxRepository;
  queues: Pick<Queues, 'ensureQueued'>;
  log: Log;
  metrics: Metrics;
  intervalMs: number;
  minAgeMs: number;
  retentionS: number;
  batch?: number;
  hooks?: readonly SweepHook[];
}) {
  const { db, repo, queues, log, metrics } = deps;
  const maxAttempts = ProcessInbound.policy.attempts * 3;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const sweepOnce = async (): Promise<{ requeued: number; failed: number; pruned: number }> => {
    const pending = await repo.findPending(db, deps.minAgeMs, deps.batch ?? 500);
    const poisoned = pending.filter((r) => r.attempts >= maxAttempts);
    for (const r of poisoned) await repo.markDead(db, r.id, `gave up after ${r.attempts} attempts`);
    const live = pending.filter((r) => r.attempts < maxAttempts).map((r) => String(r.id));
    const requeued = live.length > 0 ? await queues.ensureQueued(ProcessInbound, [{ inboxIds: live }]) : 0;
    if (requeued > 0) {
      metrics.inboxRequeued.inc(live.length);
      log.info({ rows: live.length }, 'inbox sweeper re-enqueued unprocessed callbacks');
    }
    const pruned = await repo.pruneProcessed(db, deps.retentionS);
    for (const hook of deps.hooks ?? []) {
      // One module's failing sweep must not keep the others (or the next interval) from running.
      await hook.run().catch((err: unknown) => log.warn({ err, sweep: hook.name }, 'sweep hook failed'));
    }
    return { requeued: requeued > 0 ? live.length : 0, failed: poisoned.length, pruned };
  };

  const tick = () => {
    if (running) return;
    running = sweepOnce()
      .then(() => undefined)
      .catch((err: unknown) => log.warn({ err }, 'inbox sweep failed; will retry next interval'))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    sweepOnce,
    start() {
      tick();
      timer = setInterval(tick, deps.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
