import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { InboundDispatcher } from './inbound-dispatcher.ts';
import { decodeStoredPayload } from './inbox.classify.ts';
import type { InboxRepository } from './inbox.repository.ts';

/** Process one stored callback: dispatch it to the modules, then mark it processed, in one transaction. */
export const ProcessInbound = defineJob({
  name: 'inbox.process',
  queue: 'inbox',
  version: 1,
  payload: z.object({ inboxId: z.string().regex(/^\d{1,19}$/) }),
  policy: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    keepCompleted: { count: 1000, ageS: 3600 },
    keepFailed: { count: 10_000, ageS: 7 * 24 * 3600 },
  },
  // Prefixed: BullMQ refuses custom ids that look like integers.
  jobId: (p) => `inbox-${p.inboxId}`,
});

/** The job definitions this module owns. */
export const inboxJobDefinitions = [ProcessInbound] as const;

/**
 * Handlers for the inbox jobs. Exactly-once: the row is locked, skipped unless still `received`, and marked
 * `processed` in the same transaction as every effect the dispatcher's handlers write. A worker killed
 * mid-job rolls back, and BullMQ (or the sweeper) runs the job again.
 */
export function registerInboxJobs(deps: {
  db: Db;
  repo: InboxRepository;
  dispatcher: InboundDispatcher;
}): JobRegistration[] {
  const { db, repo, dispatcher } = deps;
  return [
    handle(ProcessInbound, {
      async perform({ inboxId }, ctx) {
        const id = Number(inboxId);
        const afterCommit: (() => Promise<void>)[] = [];
        try {
          await db.transaction(async (tx) => {
            const row = await repo.lockForProcessing(tx, id);
            if (!row) throw new AppError('not_found', { message: `inbox row ${inboxId} does not exist` });
            if (row.status !== 'received') {
              ctx.log.debug({ inboxId, status: row.status }, 'inbox row already handled; skipping');
              return;
            }
            const event = decodeStoredPayload(row.source, row.plaintext);
            await dispatcher.dispatch(event, {
              tx,
              inboxId: id,
              log: ctx.log,
              afterCommit: (fn) => afterCommit.push(fn),
            });
            await repo.markProcessed(tx, id);
          });
        } catch (err) {
          await repo
            .recordFailedAttempt(db, id, err instanceof Error ? err.message : String(err))
            .catch(() => {});
          throw err;
        }
        // Network side effects (enqueues, API calls) only after the commit, never inside the transaction.
        for (const fn of afterCommit) await fn();
      },
      async onGaveUp({ inboxId }, error, ctx) {
        await repo.markFailed(db, Number(inboxId), error.message);
        ctx.log.error({ inboxId, err: error }, 'inbound callback failed permanently; marked failed');
      },
    }),
  ];
}
