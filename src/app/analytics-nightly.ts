import { RecomputeChannelProfiles } from '../modules/channel-economics/channel-economics.jobs.ts';
import { RecomputeExperiments } from '../modules/content/experiments.jobs.ts';
import { ScoreRms } from '../modules/engagement/engagement.jobs.ts';
import { AggregateFunnel } from '../modules/funnel/funnel.jobs.ts';
import { ComputeKocInfluence } from '../modules/koc/koc.jobs.ts';
import { previousDateInZone } from '../platform/calendar/dates.ts';
import type { Queues } from '../platform/queue/queues.ts';

/** The nightly analytics jobs, each filling its own module's aggregate tables that the reports read. */
export const NIGHTLY_ANALYTICS = [
  ScoreRms,
  AggregateFunnel,
  RecomputeChannelProfiles,
  RecomputeExperiments,
  ComputeKocInfluence,
] as const;

/**
 * The business date a night's analytics are for: the day that ended before `now` in `timeZone` (a run at
 * 03:00 on the 6th scores the 5th, its week to date and its month to date).
 */
export function analyticsRunDate(now: Date, timeZone: string): string {
  return previousDateInZone(now, timeZone);
}

/** Enqueues every nightly analytics job for the day just ended; the job ids make a repeat a no-op. */
export async function enqueueNightlyAnalytics(queues: Queues, now: Date, timeZone: string): Promise<string> {
  const runDate = analyticsRunDate(now, timeZone);
  for (const job of NIGHTLY_ANALYTICS) await queues.enqueue(job, { runDate });
  return runDate;
}
