import type { PeriodKind } from '../../platform/calendar/periods.ts';
import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { ScoringService } from './scoring.service.ts';

/** The nightly RM engagement scoring for one business date. */
export const ScoreRms = defineNightlyJob('engagement.score', 'engagement-score');

/** Binds the module's jobs to their handlers. */
export function registerEngagementJobs(deps: {
  scoring: Pick<ScoringService, 'computePeriod'>;
}): JobRegistration[] {
  return [
    handle(ScoreRms, {
      // The day itself, and the week and month holding it to date; each replaces its period's rows, so a
      // retried or repeated night writes the same scores again.
      async perform({ runDate }) {
        for (const kind of ['day', 'week', 'month'] as const satisfies readonly PeriodKind[]) {
          await deps.scoring.computePeriod(kind, runDate);
        }
      },
    }),
  ];
}
