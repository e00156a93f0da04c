import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { KocInfluenceService } from './koc-influence.service.ts';

/** The nightly recompute of every KOC's influence (`koc_influence`), for one business date. */
export const ComputeKocInfluence = defineNightlyJob('koc.influence', 'koc-influence');

/** Binds the module's jobs to their handlers. */
export function registerKocJobs(deps: {
  influence: Pick<KocInfluenceService, 'recompute'>;
}): JobRegistration[] {
  return [
    handle(ComputeKocInfluence, {
      async perform() {
        // The recompute replaces the whole table in one transaction (and logs), so a retry or a rerun of
        // any night is harmless: the table always reflects the run that finished last.
        await deps.influence.recompute();
      },
    }),
  ];
}
