import { z } from 'zod';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { KfSync } from './kf-sync.service.ts';

/** An open_kfid as it may appear in a job id (BullMQ ids must not contain ':'). */
export const openKfidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

/**
 * One sync run for a customer-service account, enqueued after a kf_msg_or_event callback commits. The id
 * names the callback, so a retried callback is one job; two jobs for one account may run at once, and the
 * cursor row's lock and each message's status keep them from storing or answering anything twice.
 */
export const SyncKfMessages = defineJob({
  name: 'kf.sync',
  queue: 'inbox',
  version: 1,
  payload: z.object({
    openKfid: openKfidSchema,
    token: z.string().max(512).optional(),
    inboxId: z.number().int().positive(),
  }),
  policy: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    keepCompleted: { count: 1000, ageS: 3600 },
    keepFailed: { count: 10_000, ageS: 7 * 24 * 3600 },
  },
  jobId: (p) => `kf-sync-${p.openKfid}-${p.inboxId}`,
});

/** Binds the module's job to the sync. */
export function registerKfJobs(deps: { sync: Pick<KfSync, 'sync'> }): JobRegistration[] {
  return [
    handle(SyncKfMessages, {
      async perform({ openKfid, token }, ctx) {
        await deps.sync.sync(openKfid, token, ctx.log);
      },
    }),
  ];
}
