/** The bank's time zone: dates and weeks in the console are Shanghai's, whatever the browser's zone. */
export const TIME_ZONE = 'Asia/Shanghai';
const OFFSET = '+08:00';

/** `YYYY-MM-DD` of an instant in Shanghai. */
export function dayOf(at: Date | string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(at));
}

/** `HH:MM` of an instant in Shanghai. */
export function timeOf(at: Date | string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(at));
}

/** The instant a Shanghai day starts, plus `days`. */
export function startOfDay(day: string, days = 0): Date {
  const d = new Date(`${day}T00:00:00${OFFSET}`);
  return new Date(d.getTime() + days * 86_400_000);
}

/** The Monday of the Shanghai week `at` falls in, as `YYYY-MM-DD`. */
export function mondayOf(at: Date): string {
  const day = dayOf(at);
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return dayOf(startOfDay(day, -((weekday + 6) % 7)));
}
