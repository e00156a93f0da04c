import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { FanOut } from '../campaigns/fan-out.service.ts';
import type { CalendarRepository } from './calendar.repository.ts';
import type { CalendarService } from './calendar.service.ts';
import { skipReason, type WorkdayCalendar } from './occurrences.ts';

/**
 * One occurrence of one entry. The id is the entry and the scheduled instant, so every scheduler replica's
 * enqueue of it is one job; the occurrence row's unique key makes a late duplicate a no-op as well.
 */
export const FireOccurrence = defineJob({
  name: 'calendar.fire-occurrence',
  queue: 'campaigns',
  version: 1,
  payload: z.object({
    entryId: z.string().min(1).max(64),
    /** The scheduled instant, epoch milliseconds. */
    at: z.number().int().nonnegative(),
    /** `missed`: the scheduler found it older than the catch-up window; it is recorded, not sent. */
    mode: z.enum(['fire', 'missed']),
  }),
  policy: {
    // 45009 and WeCom outages are retried with backoff for about an hour; nothing planned is dropped.
    attempts: 12,
    backoff: { type: 'exponential', delay: 2_000 },
    keepCompleted: { count: 5_000, ageS: 8 * 24 * 3600 },
    keepFailed: { count: 1_000, ageS: 30 * 24 * 3600 },
  },
  jobId: (p) => `cal-${p.entryId}-${p.at}`,
});

/** One follow-up round of an occurrence: poll its tasks, record deliveries, remind RMs. */
export const FollowUpOccurrence = defineJob({
  name: 'campaigns.follow-up',
  queue: 'campaigns',
  version: 1,
  payload: z.object({
    occurrenceId: z.number().int().positive(),
    round: z.number().int().min(1).max(10_000),
  }),
  policy: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    keepCompleted: { count: 2_000, ageS: 2 * 24 * 3600 },
    keepFailed: { count: 1_000, ageS: 30 * 24 * 3600 },
  },
  jobId: (p) => `follow-${p.occurrenceId}-${p.round}`,
});

/** The job definitions this module owns. */
export const calendarJobDefinitions = [FireOccurrence, FollowUpOccurrence] as const;

/**
 * Registers the occurrence runner. It records the occurrence under the version in effect at its scheduled
 * time (missed, skipped for a holiday, or running), runs the fan-out, and starts the follow-up rounds.
 */
export function registerCalendarJobs(deps: {
  db: Db;
  repo: CalendarRepository;
  calendar: Pick<CalendarService, 'versionSpans'>;
  fanOut: Pick<FanOut, 'execute'>;
  followUp: { poll(occurrenceId: number): Promise<{ open: number }> };
  enqueueFollowUp: (p: { occurrenceId: number; round: number }, delayMs: number) => Promise<void>;
  days: WorkdayCalendar;
  timeZone: string;
  pollIntervalMs: number;
  followUpMs: number;
  clock: Clock;
  log: Log;
}): JobRegistration[] {
  const { db, repo, clock, log } = deps;
  return [
    handle(FireOccurrence, {
      async perform(p) {
        const at = new Date(p.at);
        const spans = (await deps.calendar.versionSpans([p.entryId])).get(p.entryId) ?? [];
        const version = [...spans].reverse().find((v) => v.effectiveFrom <= at);
        // Not an occurrence under the version then in effect (paused, ended, or edited before it came).
        if (version?.status !== 'active') return;
        const skip = skipReason(version.body, at, deps.timeZone, deps.days);
        const status = p.mode === 'missed' ? 'missed' : skip ? 'skipped' : 'running';
        const reason = p.mode === 'missed' ? 'older than the catch-up window when the scheduler ran' : skip;
        const { row, created } = await db.transaction((tx) =>
          repo.recordOccurrence(tx, {
            entryId: p.entryId,
            scheduledAt: at,
            version: version.version,
            status,
            ...(reason ? { reason } : {}),
            at: clock.now(),
          }),
        );
        if (!created && row.status !== 'running') return;
        if (row.status !== 'running') {
          log.info(
            { entry: p.entryId, at: at.toISOString(), status: row.status, reason },
            'occurrence recorded',
          );
          return;
        }
        const result = await deps.fanOut.execute({ id: row.id, entryId: p.entryId }, version.body);
        if (result.status === 'skipped') {
          await repo.finishOccurrence(db, row.id, 'skipped', result.reason, clock.now());
          log.info({ entry: p.entryId, occurrence: row.id, reason: result.reason }, 'occurrence skipped');
          return;
        }
        await repo.finishOccurrence(db, row.id, 'done', null, clock.now());
        log.info({ entry: p.entryId, occurrence: row.id, ...result }, 'occurrence fanned out');
        await deps.enqueueFollowUp({ occurrenceId: row.id, round: 1 }, deps.pollIntervalMs);
      },
      async onGaveUp(p, error) {
        const row = (await repo.occurrencesIn(db, new Date(p.at), new Date(p.at + 1), p.entryId))[0];
        if (row?.status !== 'running') return;
        const message = error instanceof AppError ? error.message : String(error);
        await repo.finishOccurrence(db, row.id, 'failed', message.slice(0, 500), clock.now());
      },
    }),
    handle(FollowUpOccurrence, {
      async perform(p) {
        const occ = await repo.findOccurrence(db, p.occurrenceId);
        if (!occ) return;
        const { open } = await deps.followUp.poll(p.occurrenceId);
        const age = clock.now().getTime() - new Date(occ.firedAt).getTime();
        if (open > 0 && age < deps.followUpMs)
          await deps.enqueueFollowUp(
            { occurrenceId: p.occurrenceId, round: p.round + 1 },
            deps.pollIntervalMs,
          );
      },
    }),
  ];
}
