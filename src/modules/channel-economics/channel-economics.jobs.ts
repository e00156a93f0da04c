import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { ChannelEconomicsService } from './channel-economics.service.ts';

/** The nightly channel profiles (渠道画像, AAC, LROI): the 13 months ending with the run date's month. */
export const RecomputeChannelProfiles = defineNightlyJob('channel-economics.profile', 'channel-profiles');

/** Binds the module's jobs to their handlers. */
export function registerChannelEconomicsJobs(deps: {
  economics: Pick<ChannelEconomicsService, 'recompute'>;
}): JobRegistration[] {
  return [
    handle(RecomputeChannelProfiles, {
      async perform({ runDate }) {
        // Thirteen whole months every night: one set-based statement, and it picks up any cost or revenue
        // entered late for those months without tracking what changed.
        await deps.economics.recompute({ runDate });
      },
    }),
  ];
}
