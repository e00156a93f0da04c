import { addDays, type IsoDate, isIsoDate } from './dates.ts';

/** The reporting periods scores and reports are kept for. Weeks start on Monday. */
export const PERIOD_KINDS = ['day', 'week', 'month'] as const;

/** A kind of reporting period. */
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** One period: local dates in the scheduler's time zone, `start` inclusive and `end` exclusive. */
export type Period = { kind: PeriodKind; start: IsoDate; end: IsoDate };

/** The period of `kind` that holds the local date `date`. Throws on a malformed date. */
export function periodOf(kind: PeriodKind, date: IsoDate): Period {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  if (kind === 'day') return { kind, start: date, end: addDays(date, 1) };
  if (kind === 'week') {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
    const start = addDays(date, 1 - weekday);
    return { kind, start, end: addDays(start, 7) };
  }
  const start = `${date.slice(0, 7)}-01`;
  const next = new Date(`${start}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { kind, start, end: next.toISOString().slice(0, 10) };
}

/** The `n` periods of `kind` ending with the one that holds `date`, oldest first: a trend's x-axis. */
export function periodsBack(kind: PeriodKind, date: IsoDate, n: number): Period[] {
  const out: Period[] = [periodOf(kind, date)];
  while (out.length < n) out.unshift(periodOf(kind, addDays(out[0]!.start, -1)));
  return out;
}

/** The instant local midnight of `date` is in `timeZone` (what a period's bound is in UTC). */
export function localMidnight(date: IsoDate, timeZone: string): Date {
  // Guess UTC midnight, then correct by the zone's offset at that instant; a second pass settles a guess
  // that fell on the other side of a DST change.
  const utc = Date.parse(`${date}T00:00:00Z`);
  let at = utc;
  for (let i = 0; i < 2; i++) at = utc - offsetMs(new Date(at), timeZone);
  return new Date(at);
}

/** The period's bounds as instants: [from, to). */
export function periodInstants(p: Period, timeZone: string): { from: Date; to: Date } {
  return { from: localMidnight(p.start, timeZone), to: localMidnight(p.end, timeZone) };
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(at.getTime() / 1000) * 1000;
}
