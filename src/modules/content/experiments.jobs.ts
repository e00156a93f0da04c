import type { Log } from '../../platform/logger.ts';
import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { ExperimentsService } from './experiments.service.ts';

/** The nightly recompute of the A/B experiments' aggregate (`experiment_results`), for one business date. */
export const RecomputeExperiments = defineNightlyJob('content.experiments', 'content-experiments');

/** Binds the module's experiment jobs to their handlers. */
export function registerExperimentsJobs(deps: {
  experiments: Pick<ExperimentsService, 'recompute'>;
  log: Log;
}): JobRegistration[] {
  return [
    handle(RecomputeExperiments, {
      async perform({ runDate }) {
        // The aggregate covers all outcomes to date, so a retried or caught-up night simply replaces it.
        const out = await deps.experiments.recompute();
        deps.log.info({ runDate, rows: out.rows }, 'experiments nightly done');
      },
    }),
  ];
}
