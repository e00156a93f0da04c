import { useEffect, useState } from 'react';
import { ApiError, api, type Ok, type Schema } from '../api.ts';
import { asApiError, Refusal } from '../failures.tsx';
import { type MessageKey, t } from '../messages.ts';
import { dayOf, mondayOf, startOfDay, timeOf } from '../time.ts';

type Occurrence = Schema<'CalendarListedOccurrence'>;
type Recorded = Ok<'/calendar/occurrences/{id}', 'get'>;
type View = 'week' | 'month';

/** How many occurrences a day of the month view lists before "and N more". */
const MONTH_DAY_ITEMS = 3;

/** The first day of the month `day` falls in, moved by `months`, as `YYYY-MM-DD`. */
function monthStart(day: string, months = 0): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 10);
}

/** The days shown: a week from its Monday, or the whole weeks (Monday to Sunday) that cover a month. */
function daysOf(view: View, anchor: string): string[] {
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => dayOf(startOfDay(anchor, i)));
  const first = mondayOf(startOfDay(anchor));
  const next = monthStart(anchor, 1);
  const days: string[] = [];
  for (
    let i = 0;
    days.length % 7 !== 0 || days.length === 0 || days.at(-1)! < dayOf(startOfDay(next, -1));
    i++
  )
    days.push(dayOf(startOfDay(first, i)));
  return days;
}

/**
 * The content calendar, a week or a month at a time: every occurrence with its status (done, skipped and
 * why, to come); a recorded one opens its figures (targeted, tasked, delivered, failed) in the caller's scope.
 */
export default function Calendar() {
  const [view, setView] = useState<View>('week');
  const [anchor, setAnchor] = useState(() => mondayOf(new Date()));
  const [items, setItems] = useState<Occurrence[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Occurrence | null>(null);
  const days = daysOf(view, anchor);
  const first = days[0]!;
  const last = days.at(-1)!;
  useEffect(() => {
    const range = `from=${startOfDay(first).toISOString()}&to=${startOfDay(last, 1).toISOString()}`;
    api<Ok<'/calendar', 'get'>>(`/calendar?${range}`).then(
      (r) => {
        setItems(r.items);
        setError(null);
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [first, last]);
  const show = (v: View) => {
    setView(v);
    setAnchor(v === 'week' ? mondayOf(new Date()) : monthStart(dayOf(new Date())));
  };
  const step = (n: number) =>
    setAnchor(view === 'week' ? dayOf(startOfDay(anchor, 7 * n)) : monthStart(anchor, n));
  const month = anchor.slice(0, 7);
  return (
    <section aria-labelledby="calendar-heading">
      <h1 id="calendar-heading">{t('calendar.heading')}</h1>
      <p>
        {(['week', 'month'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} onClick={() => show(v)}>
            {t(v === 'week' ? 'calendar.viewWeek' : 'calendar.viewMonth')}
          </button>
        ))}{' '}
        <button type="button" onClick={() => step(-1)}>
          {t(view === 'week' ? 'calendar.prevWeek' : 'calendar.prevMonth')}
        </button>{' '}
        <button type="button" onClick={() => show(view)}>
          {t(view === 'week' ? 'calendar.week' : 'calendar.month')}
        </button>{' '}
        <button type="button" onClick={() => step(1)}>
          {t(view === 'week' ? 'calendar.nextWeek' : 'calendar.nextMonth')}
        </button>{' '}
        <span aria-live="polite">
          {view === 'week' ? `${t('calendar.weekOf')}${first} – ${last}` : t('calendar.monthOf', { month })}
        </span>
      </p>
      {error ? (
        <p role="alert">
          {t('error.generic')}
          {error}
        </p>
      ) : null}
      {items.length === 0 && !error ? (
        <p>{t(view === 'week' ? 'calendar.empty' : 'calendar.emptyMonth')}</p>
      ) : null}
      <div className={view === 'week' ? 'week' : 'week month'}>
        {days.map((day, i) => {
          const ofDay = items.filter((o) => dayOf(o.at) === day);
          const shown = view === 'month' ? ofDay.slice(0, MONTH_DAY_ITEMS) : ofDay;
          const outside = view === 'month' && day.slice(0, 7) !== month;
          return (
            <div className={outside ? 'day outside' : 'day'} key={day} data-day={day}>
              <h2>
                {t(`weekday.${(i + 1) % 7}` as MessageKey)} {day.slice(5)}
              </h2>
              {shown.map((o) => (
                <div className={`occ ${o.status}`} key={`${o.entryId}-${o.at}`} title={o.reason ?? undefined}>
                  {o.occurrenceId === null ? (
                    <div>
                      {timeOf(o.at)} {o.name}
                    </div>
                  ) : (
                    <button type="button" className="link" onClick={() => setOpen(o)}>
                      {timeOf(o.at)} {o.name}
                    </button>
                  )}
                  <div className="hint">
                    {t(`channel.${o.channel}`)} · {t(`status.${o.status}`)}
                  </div>
                </div>
              ))}
              {ofDay.length > shown.length ? (
                <div className="hint">{t('calendar.more', { n: ofDay.length - shown.length })}</div>
              ) : null}
            </div>
          );
        })}
      </div>
      {open ? <OccurrenceFigures occurrence={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

/** A recorded occurrence's figures, in the caller's scope. */
function OccurrenceFigures({ occurrence, onClose }: { occurrence: Occurrence; onClose: () => void }) {
  const [figures, setFigures] = useState<Recorded | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setFigures(null);
    setError(null);
    api<Recorded>(`/calendar/occurrences/${occurrence.occurrenceId}`).then(setFigures, (e: unknown) =>
      setError(asApiError(e)),
    );
  }, [occurrence.occurrenceId]);
  const stats = figures && !Array.isArray(figures.stats) ? figures.stats : null;
  const skipped = stats ? Object.values(stats.skipped).reduce((a, b) => a + b, 0) : 0;
  const rows: [MessageKey, number][] = stats
    ? [
        ['calendar.figures.targeted', stats.targeted],
        ['calendar.figures.skipped', skipped],
        ['calendar.figures.tasksCreated', stats.tasksCreated],
        ['calendar.figures.tasksConfirmed', stats.tasksConfirmed],
        ['calendar.figures.delivered', stats.delivered],
        ['calendar.figures.pending', stats.pending],
        ['calendar.figures.failed', stats.failed],
      ]
    : [];
  return (
    <section className="panel" aria-labelledby="occurrence-heading">
      <h2 id="occurrence-heading">
        {t('calendar.figures.heading', {
          name: occurrence.name,
          day: dayOf(occurrence.at),
          time: timeOf(occurrence.at),
        })}
      </h2>
      <Refusal error={error} />
      {!figures && !error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {stats ? (
        <table>
          <tbody>
            {rows.map(([label, n]) => (
              <tr key={label}>
                <th scope="row">{t(label)}</th>
                <td>{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button type="button" onClick={onClose}>
        {t('calendar.figures.close')}
      </button>
    </section>
  );
}
