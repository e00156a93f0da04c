import type { Log } from '../../platform/logger.ts';
import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { FunnelService } from './funnel.service.ts';

/**
 * The nightly funnel aggregation for one business date: the last 8 weeks of the funnel, the last 26
 * cohorts and the churn alerts of the date's week, recomputed (idempotent: each period's rows replaced).
 */
export const AggregateFunnel = defineNightlyJob('funnel.aggregate', 'funnel-aggregate');

/** Binds the module's jobs to their handlers. */
export function registerFunnelJobs(deps: {
  funnel: Pick<FunnelService, 'recompute'>;
  log: Log;
}): JobRegistration[] {
  return [
    handle(AggregateFunnel, {
      async perform({ runDate }) {
        const out = await deps.funnel.recompute(runDate);
        deps.log.info(out, 'funnel aggregated');
      },
    }),
  ];
}
