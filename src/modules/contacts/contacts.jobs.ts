import { z } from 'zod';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';

/** The nightly attribution backfill (externalcontact/list + get) for one business date. */
export const BackfillAttribution = defineJob({
  name: 'contacts.backfill-attribution',
  queue: 'maintenance',
  version: 1,
  payload: z.object({ runDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  policy: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    keepCompleted: { count: 100, ageS: 30 * 24 * 3600 },
    keepFailed: { count: 100, ageS: 30 * 24 * 3600 },
  },
  jobId: (p) => `contacts-backfill-${p.runDate}`,
});

/** The job definitions this module owns. */
export const contactsJobDefinitions = [BackfillAttribution] as const;

/** Binds the module's jobs to their handlers. */
export function registerContactsJobs(deps: { backfill: () => Promise<unknown> }): JobRegistration[] {
  return [
    handle(BackfillAttribution, {
      async perform() {
        await deps.backfill();
      },
    }),
  ];
}
