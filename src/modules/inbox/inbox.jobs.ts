import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import { describeError } from '../../platform/pii/log-scrubber.ts';
import {
  defineJob,
  handle,
  type JobHandler,
  type JobPolicy,
  type JobRegistration,
  TIME_CRITICAL_QUEUE,
} from '../../platform/queue/registry.ts';
import type { InboundDispatcher } from './inbound-dispatcher.ts';
import { decodeStoredPayload } from './inbox.classify.ts';
import type { InboxRepository } from './inbox.repository.ts';

const inboxId = z.string().regex(/^\d{1,15}$/);

const inboxPayload = z.object({ inboxIds: z.array(inboxId).min(1).max(1000) });

const inboxPolicy: JobPolicy = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  keepCompleted: { count: 1000, ageS: 3600 },
  keepFailed: { count: 10_000, ageS: 7 * 24 * 3600 },
};

/**
 * Process stored callbacks. One job carries the ids of one intake batch, so the web role pays one Redis
 * round trip per batch rather than per callback; each row is still processed in its own transaction.
 */
export const ProcessInbound = defineJob({
  name: 'inbox.process',
  queue: 'inbox',
  version: 2,
  payload: inboxPayload,
  policy: inboxPolicy,
  // Deterministic, and prefixed: BullMQ refuses custom ids that look like integers.
  jobId: (p) => `inbox-${p.inboxIds[0]}-${p.inboxIds.at(-1)}-${p.inboxIds.length}`,
});

/**
 * The same processing for a batch's time-critical rows (kinds the intake is told are urgent: a client's
 * add event, whose welcome code lives 20 s), on the time-critical queue: they never wait behind bot
 * questions in their batch or in the inbox queue.
 */
export const ProcessUrgentInbound = defineJob({
  name: 'inbox.process-urgent',
  queue: TIME_CRITICAL_QUEUE,
  version: 1,
  payload: inboxPayload,
  policy: inboxPolicy,
  jobId: (p) => `inbox-urgent-${p.inboxIds[0]}-${p.inboxIds.at(-1)}-${p.inboxIds.length}`,
});

/**
 * Why a row failed, as `last_error` and the log keep it. A query error's own text lists the query's
 * parameters (client text, perhaps the very character that failed it), so only the database's message is
 * kept; the repository makes whatever remains storable.
 */
function failureReason(err: unknown): string {
  // A failed query's own message says what went wrong; its parameters are client data and never kept, and
  // what remains is scrubbed of PII (PostgreSQL repeats a bad value in its message).
  if (err instanceof Error && 'params' in err && err.cause instanceof Error) {
    return `database error: ${describeError(err.cause)}`;
  }
  return describeError(err);
}

/** Processes one row exactly once; returns false (and records the error) when its handlers failed. */
async function processRow(
  deps: { db: Db; repo: InboxRepository; dispatcher: InboundDispatcher },
  id: number,
  log: Log,
): Promise<boolean> {
  const { db, repo, dispatcher } = deps;
  const afterCommit: (() => Promise<void>)[] = [];
  try {
    // Reading and network work the handlers need (an LLM call, say) happen before the transaction opens.
    const stored = await repo.findById(db, id);
    if (stored?.status !== 'received') return true;
    // A stored payload never changes, so it is decoded once; only the status is re-read under the lock.
    const event = decodeStoredPayload(stored.source, stored.plaintext);
    const prepared = await dispatcher.prepare(event, log);
    await db.transaction(async (tx) => {
      // The row lock serialises concurrent processors of the same row; the status makes it exactly-once.
      const row = await repo.lockForProcessing(tx, id);
      if (row?.status !== 'received') return;
      await dispatcher.dispatch(prepared, {
        tx,
        inboxId: id,
        log,
        afterCommit: (fn) => afterCommit.push(fn),
      });
      await repo.markProcessed(tx, id);
    });
  } catch (err) {
    const reason = failureReason(err);
    log.warn({ inboxId: id, reason }, 'processing an inbound callback failed');
    await repo
      .recordFailedAttempt(db, id, reason)
      .catch((e: unknown) =>
        log.error({ inboxId: id, reason: failureReason(e) }, 'could not record a failure'),
      );
    return false;
  }
  // Network side effects (enqueues, API calls) only after the commit, never inside the transaction.
  for (const fn of afterCommit) await fn();
  return true;
}

/**
 * Handlers for the inbox jobs. Exactly-once: each row is locked, skipped unless still `received`, and marked
 * `processed` in the same transaction as every effect the dispatcher's handlers write. A worker killed
 * mid-job rolls that row back, and BullMQ (or the sweeper) runs the job again; rows it had finished are
 * skipped. A failing row does not hold up the others in its batch.
 */
export function registerInboxJobs(deps: {
  db: Db;
  repo: InboxRepository;
  dispatcher: InboundDispatcher;
}): JobRegistration[] {
  const { db, repo } = deps;
  const processBatch: JobHandler<z.output<typeof inboxPayload>> = {
    async perform({ inboxIds }, ctx) {
      const pending = await repo.filterPending(db, inboxIds.map(Number));
      let failed = 0;
      for (const id of pending) if (!(await processRow(deps, id, ctx.log))) failed++;
      if (failed > 0) throw new Error(`${failed} of ${pending.length} inbound callbacks failed; will retry`);
    },
    async onGaveUp({ inboxIds }, error, ctx) {
      const pending = await repo.filterPending(db, inboxIds.map(Number));
      // Dead letters keep the reason their own last attempt recorded, not the batch's summary.
      for (const id of pending) await repo.markDead(db, id, describeError(error));
      ctx.log.error(
        { inboxIds: pending, err: error },
        'inbound callbacks failed permanently; dead-lettered (GET /api/v1/inbox?status=dead)',
      );
    },
  };
  return [handle(ProcessInbound, processBatch), handle(ProcessUrgentInbound, processBatch)];
}
