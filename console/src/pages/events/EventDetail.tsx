import { useCallback, useEffect, useState } from 'react';
import { type ApiError, api } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { wordFor } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import { AttendanceImport } from './AttendanceImport.tsx';
import { SignupRow } from './SignupRow.tsx';
import { type EventWithStats, eventTime, type Signup, type Stats } from './shared.tsx';

const STATS: (keyof Stats)[] = ['invited', 'signedUp', 'waitlisted', 'cancelled', 'attended', 'converted'];

/**
 * One event: its figures (`GET /api/v1/events/:id`), its sign-ups (`…/signups`; an RM sees their own
 * clients'), and for ops the attendance import and cancelling a sign-up. Both reload after a change.
 */
export function EventDetail({
  id,
  operates,
  onChanged,
  onClose,
}: {
  id: number;
  operates: boolean;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [event, setEvent] = useState<EventWithStats | null>(null);
  const [signups, setSignups] = useState<Signup[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<Record<string, ApiError>>({});
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [e, s] = await Promise.all([
        api<EventWithStats>(`/events/${id}`),
        api<{ items: Signup[] }>(`/events/${id}/signups`),
      ]);
      setEvent(e);
      setSignups(s.items);
      setError(null);
    } catch (err) {
      setError(asApiError(err));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const changed = async () => {
    await load();
    onChanged();
  };

  const cancel = async (s: Signup) => {
    setBusy(s.externalUserid);
    setDone(null);
    setRefusals(({ [s.externalUserid]: _gone, ...rest }) => rest);
    try {
      const r = await api<{ outcome: string; promoted: string | null }>(
        `/events/${id}/signups/${encodeURIComponent(s.externalUserid)}`,
        { method: 'DELETE' },
      );
      setDone(
        r.promoted
          ? t('events.cancelledPromoted', { client: s.externalUserid, promoted: r.promoted })
          : t('events.cancelled', { client: s.externalUserid }),
      );
      await changed();
    } catch (err) {
      setRefusals((r) => ({ ...r, [s.externalUserid]: asApiError(err) }));
    } finally {
      setBusy(null);
    }
  };

  const title = event?.title ?? String(id);
  return (
    <section aria-labelledby="event-detail-heading" className="detail">
      <h2 id="event-detail-heading">{t('events.detail', { title })}</h2>
      <p>
        <button type="button" onClick={onClose}>
          {t('events.close')}
        </button>
      </p>
      <Refusal error={error} />
      {event ? (
        <>
          <p>
            {wordFor('events.kind', event.kind)} · {eventTime(event)}
          </p>
          <h3 id="event-stats-heading">{t('events.stats')}</h3>
          <dl className="cards" aria-labelledby="event-stats-heading">
            {STATS.map((k) => (
              <div className="card" key={k}>
                <dt>{t(`events.stat.${k}`)}</dt>
                <dd className="value" data-stat={k}>
                  {event.stats[k]}
                </dd>
              </div>
            ))}
          </dl>
        </>
      ) : error ? null : (
        <p aria-busy="true">{t('app.loading')}</p>
      )}
      {operates && event ? <AttendanceImport id={id} onImported={changed} /> : null}
      <h3 id="event-signups-heading">{t('events.signups')}</h3>
      <div role="status">{done}</div>
      {signups === null ? null : signups.length === 0 ? (
        <p>{t('events.noSignups')}</p>
      ) : (
        <table aria-labelledby="event-signups-heading">
          <thead>
            <tr>
              <th scope="col">{t('events.col.client')}</th>
              <th scope="col">{t('events.col.status')}</th>
              <th scope="col">{t('events.col.via')}</th>
              <th scope="col">{t('events.col.signedUpAt')}</th>
              <th scope="col">{t('events.col.attendedAt')}</th>
              {operates ? <th scope="col">{t('events.col.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {signups.map((s) => (
              <SignupRow
                key={s.externalUserid}
                signup={s}
                canCancel={operates}
                busy={busy === s.externalUserid}
                refusal={refusals[s.externalUserid]}
                onCancel={cancel}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
