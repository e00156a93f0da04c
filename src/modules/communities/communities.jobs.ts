import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';

/** The nightly group reconciliation for one business date. */
export const ReconcileGroups = defineNightlyJob('communities.reconcile-groups', 'groups-reconcile');

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
