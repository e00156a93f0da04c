/** A calendar date as 'YYYY-MM-DD' (no time, no zone). */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date of `at` in `timeZone`, as YYYY-MM-DD: the business date a nightly job is for. */
export function dateInZone(at: Date, timeZone: string): IsoDate {
  // en-CA formats dates as YYYY-MM-DD, so no parts need reassembling.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** `date` moved by `days` calendar days (negative: back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The business date before the one `at` falls on in `timeZone`: the day a nightly job has just closed. */
export function previousDateInZone(at: Date, timeZone: string): IsoDate {
  return addDays(dateInZone(at, timeZone), -1);
}

/** True when `date` is a real YYYY-MM-DD date (so 2026-02-30 is not). */
export function isIsoDate(date: string): boolean {
  const m = ISO_DATE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === date;
}

/** The ISO weekday of a YYYY-MM-DD date: 1 = Monday … 7 = Sunday. Throws on a malformed date. */
export function isoWeekday(date: IsoDate): number {
  // A malformed date would otherwise read as "not a weekday" and silently close a business day.
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}
