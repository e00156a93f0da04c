import type { AppContext } from './context.ts';

/**
 * The scheduler role: node-cron ticks that only enqueue jobs with deterministic ids. No schedules exist yet;
 * the content-calendar work adds them here.
 */
export async function startSchedulerRole(ctx: AppContext) {
  ctx.log.info('scheduler role started (no schedules configured yet)');
  return { async stop() {} };
}
