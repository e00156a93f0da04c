import { z } from 'zod';
import { defineJob, handle, type JobRegistration } from '../../../platform/queue/registry.ts';
import type { RankerRefitService } from './ranker-refit.service.ts';

/** A scheduled refit of the FAQ ranker; the id names the minute, so every scheduler replica's tick is one job. */
export const RefitFaqRanker = defineJob({
  name: 'faq.refit-ranker',
  queue: 'maintenance',
  version: 1,
  payload: z.object({ minute: z.string().regex(/^\d{12}$/) }),
  policy: {
    attempts: 2,
    backoff: { type: 'fixed', delay: 60_000 },
    keepCompleted: { count: 100, ageS: 7 * 24 * 3600 },
    keepFailed: { count: 100, ageS: 7 * 24 * 3600 },
  },
  jobId: (p) => `faq-refit-${p.minute}`,
});

/** Binds the refit job: a refit of what is served now (skipped when the KB did not change). */
export function registerFaqJobs(deps: { refit: Pick<RankerRefitService, 'refit'> }): JobRegistration[] {
  return [
    handle(RefitFaqRanker, {
      async perform(_payload, ctx) {
        const out = await deps.refit.refit('scheduler');
        ctx.log.debug({ status: out.status }, 'FAQ ranker refit job');
      },
    }),
  ];
}
