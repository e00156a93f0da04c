import { dateInZone } from '../../platform/calendar/dates.ts';

/** The minutes `timeZone` is ahead of UTC at `at` (480 for Asia/Shanghai). */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * When points granted at `grantedAt` expire: at the end of the year after the one they were granted in,
 * in the bank's time zone (granted on 2026-03-05 → gone at 2028-01-01 00:00 local time).
 */
export function expiryOf(grantedAt: Date, timeZone: string): Date {
  const year = Number(dateInZone(grantedAt, timeZone).slice(0, 4));
  const localMidnight = Date.UTC(year + 2, 0, 1);
  // The zone's offset at that instant; read twice so a DST change near midnight still lands on local 00:00.
  const first = localMidnight - offsetMinutes(new Date(localMidnight), timeZone) * 60_000;
  return new Date(localMidnight - offsetMinutes(new Date(first), timeZone) * 60_000);
}
