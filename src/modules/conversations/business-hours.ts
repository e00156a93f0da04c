import { dateInZone } from '../../platform/calendar/dates.ts';

/**
 * When people answer: open and close times (local, HH:MM) and the working days. `isWorkday` (the holiday
 * calendar: 国庆 off, a 调休 Saturday on) decides the days when given; `days` (1 = Monday … 7 = Sunday)
 * only when it is not.
 */
export type BusinessHours = {
  open: string;
  close: string;
  days: readonly number[];
  timeZone: string;
  isWorkday?: (date: string) => boolean;
};

const MINUTE = 60_000;

/** The local weekday (1–7) and minute of the day of an instant in a time zone. */
function localTime(at: Date, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinute = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * The instant `minutes` business minutes after `start`: only time inside business hours counts, so a
 * question handed off on Friday evening is due on Monday morning, and one on the eve of 国庆 after it.
 * Looks at most 14 days ahead (the longest official break, 春节 with its weekends, is about 10).
 */
export function businessDeadline(start: Date, minutes: number, hours: BusinessHours): Date {
  const open = toMinute(hours.open);
  const close = toMinute(hours.close);
  let at = new Date(Math.ceil(start.getTime() / MINUTE) * MINUTE);
  let left = minutes;
  const limit = start.getTime() + 14 * 24 * 60 * MINUTE;
  while (left > 0 && at.getTime() < limit) {
    const { weekday, minute } = localTime(at, hours.timeZone);
    const workday = hours.isWorkday
      ? hours.isWorkday(dateInZone(at, hours.timeZone))
      : hours.days.includes(weekday);
    const working = workday && minute >= open && minute < close;
    if (working) {
      // Spend business minutes up to the close of this day in one step.
      const step = Math.min(left, close - minute);
      at = new Date(at.getTime() + step * MINUTE);
      left -= step;
    } else {
      // Skip ahead to the next opening (or the next midnight, if it opens no more today).
      const skip = minute < open ? open - minute : 24 * 60 - minute;
      at = new Date(at.getTime() + skip * MINUTE);
    }
  }
  return at;
}
