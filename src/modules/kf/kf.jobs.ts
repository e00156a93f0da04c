import { z } from 'zod';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { KfSync } from './kf-sync.service.ts';

/** An open_kfid as it may appear in a job id (BullMQ ids must not contain ':'). */
export const openKfidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

/** A sync a kf_msg_or_event callback asked for; the id names the callback, so a retried callback is one job. */
const callbackSync = z.object({
  openKfid: openKfidSchema,
  token: z.string().max(512).optional(),
  inboxId: z.number().int().positive(),
});

/**
 * A sync the sweep asked for: the account has messages stored but never handled. `bucket` is the sweep's
 * time slot, so sweeps within one slot are one job and a later slot can run the account again.
 */
const sweepSync = z.object({
  openKfid: openKfidSchema,
  reason: z.literal('sweep'),
  bucket: z.number().int().nonnegative(),
});

/**
 * One sync run for a customer-service account, enqueued after a kf_msg_or_event callback commits, or by the
 * worker's sweep. Two jobs for one account may run at once: the cursor row's lock and each message's status
 * keep them from storing or answering anything twice. (Version 1 payloads, all callback syncs, still parse.)
 */
export const SyncKfMessages = defineJob({
  name: 'kf.sync',
  queue: 'inbox',
  version: 1,
  payload: z.union([callbackSync, sweepSync]),
  policy: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    keepCompleted: { count: 1000, ageS: 3600 },
    keepFailed: { count: 10_000, ageS: 7 * 24 * 3600 },
  },
  jobId: (p) => ('reason' in p ? `kf-sweep-${p.openKfid}-${p.bucket}` : `kf-sync-${p.openKfid}-${p.inboxId}`),
});

/** Binds the module's job to the sync. */
export function registerKfJobs(deps: { sync: Pick<KfSync, 'sync'> }): JobRegistration[] {
  return [
    handle(SyncKfMessages, {
      async perform(p, ctx) {
        await deps.sync.sync(p.openKfid, 'token' in p ? p.token : undefined, ctx.log);
      },
    }),
  ];
}
