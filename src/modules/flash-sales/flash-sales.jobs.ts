import { z } from 'zod';
import type { Log } from '../../platform/logger.ts';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { FlashSalesService } from './flash-sales.service.ts';

/** One flash-sale sweep per minute; the id makes every scheduler replica's tick one job. */
export const SweepFlashSales = defineJob({
  name: 'flash-sales.sweep',
  queue: 'maintenance',
  version: 1,
  payload: z.object({ minute: z.string().regex(/^\d{12}$/) }),
  policy: {
    attempts: 3,
    backoff: { type: 'fixed', delay: 10_000 },
    keepCompleted: { count: 100, ageS: 3600 },
    keepFailed: { count: 100, ageS: 7 * 24 * 3600 },
  },
  jobId: (p) => `flash-sales-sweep-${p.minute}`,
});

/**
 * The minute sweep: benefits not redeemed in time end (and go back to the stock when the offer says so),
 * then every recent sale whose Redis state is missing or disagrees with PostgreSQL is rebuilt from it.
 */
export function registerFlashSalesJobs(deps: {
  sales: Pick<FlashSalesService, 'expireDue' | 'reconcile'>;
  log: Log;
}): JobRegistration[] {
  return [
    handle(SweepFlashSales, {
      async perform() {
        const ended = await deps.sales.expireDue();
        if (ended > 0) deps.log.info({ ended }, 'flash-sale benefits expired');
        await deps.sales.reconcile();
      },
    }),
  ];
}
