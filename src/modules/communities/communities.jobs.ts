import { z } from 'zod';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';

/** The nightly group reconciliation for one business date; the id makes N schedulers fire it once. */
export const ReconcileGroups = defineJob({
  name: 'communities.reconcile-groups',
  queue: 'maintenance',
  version: 1,
  payload: z.object({ runDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  policy: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    keepCompleted: { count: 100, ageS: 30 * 24 * 3600 },
    keepFailed: { count: 100, ageS: 30 * 24 * 3600 },
  },
  jobId: (p) => `groups-reconcile-${p.runDate}`,
});

/** The job definitions this module owns. */
export const communitiesJobDefinitions = [ReconcileGroups] as const;

/** Binds the module's jobs to their handlers. */
export function registerCommunitiesJobs(deps: { reconcile: () => Promise<unknown> }): JobRegistration[] {
  return [
    handle(ReconcileGroups, {
      async perform() {
        await deps.reconcile();
      },
    }),
  ];
}
