import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { CalendarRepository } from './calendar.repository.ts';
import { expandOccurrences, type WorkdayCalendar } from './occurrences.ts';

/** One occurrence to enqueue: fired, or recorded as missed. */
export type DueOccurrence = { entryId: string; at: number; mode: 'fire' | 'missed' };

/**
 * The scheduler's view of the calendar. Each tick expands every entry from just after its newest recorded
 * occurrence (at most `missedLookbackMs` back) to now. Occurrences within `catchUpMs` are fired, even late;
 * older ones are enqueued to be recorded as missed. It only reads and enqueues: the deterministic job id and
 * the occurrence row's unique key make the same tick in any number of schedulers one fire.
 */
export function createCalendarTicker(deps: {
  db: Db;
  repo: Pick<CalendarRepository, 'lastRecorded' | 'versionSpans'>;
  days: WorkdayCalendar;
  timeZone: string;
  catchUpMs: number;
  missedLookbackMs: number;
  clock: Clock;
  enqueue: (due: DueOccurrence[]) => Promise<void>;
}) {
  return {
    /** Finds and enqueues the due occurrences; returns them. */
    async tick(): Promise<DueOccurrence[]> {
      const now = deps.clock.now().getTime();
      const spans = await deps.repo.versionSpans(deps.db);
      const last = await deps.repo.lastRecorded(deps.db);
      const due: DueOccurrence[] = [];
      for (const [entryId, versions] of spans) {
        const from = Math.max(now - deps.missedLookbackMs, (last.get(entryId)?.getTime() ?? -1) + 1);
        const occurrences = expandOccurrences(entryId, versions, new Date(from), new Date(now + 1), {
          defaultTimeZone: deps.timeZone,
          days: deps.days,
        });
        for (const o of occurrences)
          due.push({
            entryId,
            at: o.at.getTime(),
            mode: now - o.at.getTime() > deps.catchUpMs ? 'missed' : 'fire',
          });
      }
      if (due.length > 0) await deps.enqueue(due);
      return due;
    },
  };
}
