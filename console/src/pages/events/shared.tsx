import type { Ok, Schema } from '../../api.ts';
import { t } from '../../messages.ts';
import { dayOf, timeOf } from '../../time.ts';

/** An event as `GET /api/v1/events` lists it. */
export type EventItem = Schema<'Event'>;
/** An event with its figures, as `GET /api/v1/events/:id` answers. */
export type EventWithStats = Ok<'/events/{id}', 'get'>;
export type Stats = EventWithStats['stats'];
/** A sign-up as `GET /api/v1/events/:id/signups` lists it. */
export type Signup = Schema<'EventSignup'>;

/** `YYYY-MM-DD HH:MM – YYYY-MM-DD HH:MM` in Shanghai. */
export function eventTime(e: { startsAt: string; endsAt: string }): string {
  return t('events.time', {
    startDay: dayOf(e.startsAt),
    start: timeOf(e.startsAt),
    endDay: dayOf(e.endsAt),
    end: timeOf(e.endsAt),
  });
}

/** `YYYY-MM-DD HH:MM` in Shanghai, or a dash. */
export function whenText(at: string | null): string {
  return at ? `${dayOf(at)} ${timeOf(at)}` : t('events.none');
}
