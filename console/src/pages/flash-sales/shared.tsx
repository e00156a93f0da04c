import type { Ok, Schema } from '../../api.ts';
import { t } from '../../messages.ts';
import { dayOf, timeOf } from '../../time.ts';

/** A sale as `GET /api/v1/flash-sales` lists it. */
export type Sale = Schema<'FlashSale'>;
/** A sale's live results, as `GET /api/v1/flash-sales/:id` answers. */
export type Results = Ok<'/flash-sales/{id}', 'get'>;

/** The claim window in Shanghai time. */
export function windowText(s: { opensAt: string; closesAt: string }): string {
  return t('flash.window', {
    openDay: dayOf(s.opensAt),
    open: timeOf(s.opensAt),
    closeDay: dayOf(s.closesAt),
    close: timeOf(s.closesAt),
  });
}

/** Whether claims can still change the results: not cancelled and not yet closed. */
export function stillOpen(s: Sale, now = Date.now()): boolean {
  return !s.cancelledAt && now < new Date(s.closesAt).getTime();
}

/** `YYYY-MM-DD HH:MM` in Shanghai. */
export const whenText = (at: string) => `${dayOf(at)} ${timeOf(at)}`;
