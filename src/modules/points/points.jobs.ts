import type { Log } from '../../platform/logger.ts';
import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { PointsService } from './points.service.ts';

/** The nightly expiry of points past the rule's date, for one business date. */
export const ExpirePoints = defineNightlyJob('points.expire', 'points-expiry');

/** Binds the module's jobs to their handlers. */
export function registerPointsJobs(deps: {
  points: Pick<PointsService, 'expire'>;
  now: () => Date;
  log: Log;
}): JobRegistration[] {
  return [
    handle(ExpirePoints, {
      async perform({ runDate }) {
        // As of the moment it runs: a retried or caught-up night expires exactly what is due by then.
        const out = await deps.points.expire(deps.now());
        if (out.lots > 0) deps.log.info({ runDate, ...out }, 'points expired');
      },
    }),
  ];
}
