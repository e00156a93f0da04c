import { CronExpressionParser } from 'cron-parser';
import { dateInZone } from '../../platform/calendar/dates.ts';
import type { EntryBody } from './calendar.schemas.ts';
import type { EntryStatus } from './calendar.tables.ts';

/** What the calendar needs to know of public holidays and make-up working days (调休). */
export type WorkdayCalendar = {
  holidayName(date: string): string | undefined;
  isWorkday(date: string): boolean;
};

/** One version of an entry and the instant it took effect. */
export type EntryVersionSpan = {
  version: number;
  status: EntryStatus;
  body: EntryBody;
  effectiveFrom: Date;
};

/** One occurrence of an entry: when, under which version, and why it is skipped, if it is. */
export type Occurrence = { entryId: string; at: Date; version: number; skipReason?: string };

// A cron that fires every second over a long range would expand without end; nobody schedules content so.
const MAX_PER_EXPANSION = 5_000;

/** The instants a schedule fires in [from, to), oldest first, honouring its end date (not its count). */
function instants(body: EntryBody, from: Date, to: Date, defaultTz: string): Date[] {
  const s = body.schedule;
  if (s.kind === 'once') {
    const at = new Date(s.at);
    return at >= from && at < to ? [at] : [];
  }
  const tz = s.timezone ?? defaultTz;
  const it = CronExpressionParser.parse(s.cron, { tz, currentDate: new Date(from.getTime() - 1) });
  const out: Date[] = [];
  while (out.length < MAX_PER_EXPANSION) {
    const at = it.next().toDate();
    if (at >= to) break;
    if (s.endDate && dateInZone(at, tz) > s.endDate) break;
    out.push(at);
  }
  return out;
}

/** Why an occurrence at `at` is skipped under the entry's holiday rule, or undefined. */
export function skipReason(body: EntryBody, at: Date, defaultTz: string, days: WorkdayCalendar) {
  if (body.skip === 'none') return undefined;
  const tz = body.schedule.kind === 'cron' ? (body.schedule.timezone ?? defaultTz) : defaultTz;
  const date = dateInZone(at, tz);
  const holiday = days.holidayName(date);
  if (holiday) return `holiday: ${holiday}`;
  if (body.skip === 'non_workdays' && !days.isWorkday(date)) return 'not a working day';
  return undefined;
}

/**
 * Expands an entry's versions into its occurrences in [from, to). Each version governs from its
 * `effectiveFrom` to the next version's, so an edit or a pause changes only the occurrences after it. A
 * count caps the occurrences of the whole entry, counted across versions while active.
 */
export function expandOccurrences(
  entryId: string,
  versions: readonly EntryVersionSpan[],
  from: Date,
  to: Date,
  opts: { defaultTimeZone: string; days: WorkdayCalendar },
): Occurrence[] {
  const sorted = [...versions].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  // A count is "how many occurrences in all": every version's active time since the first counts toward it
  // (paused time does not), so with a count the expansion starts at the first version, not at `from`.
  const counted = sorted.some((v) => v.body.schedule.kind === 'cron' && v.body.schedule.count !== undefined);
  const start = counted ? (sorted[0]?.effectiveFrom ?? from) : from;
  const out: Occurrence[] = [];
  let fired = 0;
  sorted.forEach((v, i) => {
    if (v.status !== 'active') return;
    const next = sorted[i + 1]?.effectiveFrom;
    const lo = new Date(Math.max(start.getTime(), v.effectiveFrom.getTime()));
    const hi = new Date(Math.min(to.getTime(), next?.getTime() ?? Number.POSITIVE_INFINITY));
    if (lo >= hi) return;
    const s = v.body.schedule;
    const limit = s.kind === 'cron' && s.count !== undefined ? s.count : Number.POSITIVE_INFINITY;
    for (const at of instants(v.body, lo, hi, opts.defaultTimeZone)) {
      if (fired >= limit) break;
      fired += 1;
      if (at < from) continue;
      const skip = skipReason(v.body, at, opts.defaultTimeZone, opts.days);
      out.push({ entryId, at, version: v.version, ...(skip ? { skipReason: skip } : {}) });
    }
  });
  return out;
}

/** The deterministic job id of an occurrence: every scheduler replica computes the same one. */
export const occurrenceJobId = (entryId: string, at: Date) => `cal-${entryId}-${at.getTime()}`;
