import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { Queues } from '../../platform/queue/queues.ts';
import { openKfidSchema, SyncKfMessages } from './kf.jobs.ts';
import type { KfRepository } from './kf.repository.ts';

/** Finds accounts with messages left pending and enqueues a sync for each. */
export type KfSweep = ReturnType<typeof createKfSweep>;

/**
 * The kf channel's safety net: a page is stored in one transaction and its messages handled in later ones,
 * so a worker that dies in between (or a Redis that refuses the enqueue after the callback commits) leaves
 * messages pending until the account's next callback, which may never come. Each sweep enqueues one
 * `kf.sync` per account with a message pending longer than `minAgeMs`; the job id carries the account and
 * the sweep's time slot (`bucketMs` wide), so repeated sweeps do not pile up jobs, and the sync's row locks
 * keep a sweep's run and a callback's run from answering anything twice.
 */
export function createKfSweep(deps: {
  db: Db;
  repo: Pick<KfRepository, 'accountsWithPending'>;
  queues: Pick<Queues, 'enqueueBulk'>;
  clock: { now: () => Date };
  minAgeMs: number;
  bucketMs: number;
  log: Log;
}) {
  return {
    /** One sweep; answers the accounts it enqueued a sync for. */
    async sweepOnce(): Promise<string[]> {
      const accounts = (await deps.repo.accountsWithPending(deps.db, deps.minAgeMs)).filter(
        (a) => openKfidSchema.safeParse(a).success,
      );
      if (accounts.length === 0) return [];
      const bucket = Math.floor(deps.clock.now().getTime() / Math.max(1, deps.bucketMs));
      await deps.queues.enqueueBulk(
        SyncKfMessages,
        accounts.map((openKfid) => ({ openKfid, reason: 'sweep' as const, bucket })),
      );
      deps.log.info({ accounts: accounts.length }, 'kf sweep enqueued syncs for pending messages');
      return accounts;
    },
  };
}
