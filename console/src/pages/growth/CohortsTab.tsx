import { type FormEvent, useEffect, useState } from 'react';
import { type ApiError, api, type Ok } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { channelName, mondayWeeksBack, pct, today, useChannels } from './shared.ts';

type Cohorts = Ok<'/funnel/cohorts', 'get'>;

/** The shading step (0..4) of a share: darker for more of the cohort still there. */
const shade = (share: number | null) => (share === null ? 0 : Math.min(4, Math.floor(share * 5)));

/**
 * Retention cohorts: a row per acquisition week, a column per week after it; each cell the share still a
 * contact and, on a second line, the share active, shaded by the first. The table is its own text form.
 */
export function CohortsTab() {
  const channels = useChannels();
  const [q, setQ] = useState({ from: mondayWeeksBack(7), to: today(), channel: '' });
  const [report, setReport] = useState<Cohorts | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    setReport(null);
    setError(null);
    const params = new URLSearchParams({ from: q.from, to: q.to });
    if (q.channel) params.set('channel', q.channel);
    api<Cohorts>(`/funnel/cohorts?${params}`).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [q]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setQ({ from: String(f.get('from')), to: String(f.get('to')), channel: String(f.get('channel') ?? '') });
  };
  const cohorts = report?.cohorts ?? [];
  const columns = Array.from(
    { length: Math.max(0, ...cohorts.flatMap((c) => c.weeks.map((w) => w.weeksAfter + 1))) },
    (_, k) => k,
  );
  const csv = new URLSearchParams({ from: q.from, to: q.to, format: 'csv' });
  if (q.channel) csv.set('channel', q.channel);

  return (
    <section aria-labelledby="growth-cohorts-heading">
      <h2 id="growth-cohorts-heading">{t('growth.cohorts.heading')}</h2>
      <form className="growth-filters" onSubmit={submit} aria-label={t('growth.cohorts.heading')}>
        <label>
          {t('growth.from')}
          <input type="date" name="from" defaultValue={q.from} required />
        </label>
        <label>
          {t('growth.to')}
          <input type="date" name="to" defaultValue={q.to} required />
        </label>
        <label>
          {t('growth.cohorts.channel')}
          <select name="channel" defaultValue={q.channel}>
            <option value="">{t('growth.cohorts.allChannels')}</option>
            {(channels ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('growth.show')}</button>
        <a href={`/api/v1/funnel/cohorts?${csv}`} download>
          {t('growth.csv')}
        </a>
      </form>
      <ErrorNote error={error} id="growth-cohorts-error" />
      {report === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : cohorts.length === 0 ? (
        <p>{t('growth.cohorts.empty')}</p>
      ) : (
        <table className="growth-cohorts">
          <caption>
            {q.channel ? `${channelName(channels, q.channel)} · ` : ''}
            {t('growth.cohorts.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('growth.cohorts.week')}</th>
              <th scope="col">{t('growth.cohorts.size')}</th>
              {columns.map((k) => (
                <th scope="col" key={k}>
                  {t('growth.cohorts.weeksAfter', { n: k })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cohorts.map((c) => (
              <tr key={c.cohortWeek}>
                <th scope="row">{c.cohortWeek}</th>
                <td>{c.size}</td>
                {columns.map((k) => {
                  const w = c.weeks.find((x) => x.weeksAfter === k);
                  if (!w) return <td key={k}>{t('growth.none')}</td>;
                  return (
                    <td key={k} className={`shade-${shade(w.shares.stillContact)}`}>
                      {pct(w.shares.stillContact)}
                      <span>{t('growth.cohorts.active', { share: pct(w.shares.active) })}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
