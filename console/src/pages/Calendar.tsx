import { useEffect, useState } from 'react';
import { ApiError, api, type Ok, type Schema } from '../api.ts';
import { type MessageKey, t } from '../messages.ts';
import { dayOf, mondayOf, startOfDay, timeOf } from '../time.ts';

type Occurrence = Schema<'CalendarListedOccurrence'>;

/** The content calendar, a week at a time: every occurrence with its status (done, skipped and why, to come). */
export default function Calendar() {
  const [monday, setMonday] = useState(() => mondayOf(new Date()));
  const [items, setItems] = useState<Occurrence[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const range = `from=${startOfDay(monday).toISOString()}&to=${startOfDay(monday, 7).toISOString()}`;
    api<Ok<'/calendar', 'get'>>(`/calendar?${range}`).then(
      (r) => {
        setItems(r.items);
        setError(null);
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [monday]);
  const days = Array.from({ length: 7 }, (_, i) => dayOf(startOfDay(monday, i)));
  return (
    <section aria-labelledby="calendar-heading">
      <h1 id="calendar-heading">{t('calendar.heading')}</h1>
      <p>
        <button type="button" onClick={() => setMonday(dayOf(startOfDay(monday, -7)))}>
          {t('calendar.prevWeek')}
        </button>{' '}
        <button type="button" onClick={() => setMonday(mondayOf(new Date()))}>
          {t('calendar.week')}
        </button>{' '}
        <button type="button" onClick={() => setMonday(dayOf(startOfDay(monday, 7)))}>
          {t('calendar.nextWeek')}
        </button>{' '}
        <span>
          {t('calendar.weekOf')}
          {days[0]} – {days[6]}
        </span>
      </p>
      {error ? (
        <p role="alert">
          {t('error.generic')}
          {error}
        </p>
      ) : null}
      {items.length === 0 && !error ? <p>{t('calendar.empty')}</p> : null}
      <div className="week">
        {days.map((day, i) => (
          <div className="day" key={day} data-day={day}>
            <h2>
              {t(`weekday.${(i + 1) % 7}` as MessageKey)} {day.slice(5)}
            </h2>
            {items
              .filter((o) => dayOf(o.at) === day)
              .map((o) => (
                <div className={`occ ${o.status}`} key={`${o.entryId}-${o.at}`} title={o.reason ?? undefined}>
                  <div>
                    {timeOf(o.at)} {o.name}
                  </div>
                  <div className="hint">
                    {t(`channel.${o.channel}`)} · {t(`status.${o.status}`)}
                  </div>
                </div>
              ))}
          </div>
        ))}
      </div>
    </section>
  );
}
