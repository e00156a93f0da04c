import { type FormEvent, useEffect, useState } from 'react';
import { type ApiError, api, type Ok } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { channelName, pct, today, type useChannels } from './shared.ts';

type ChurnReport = Ok<'/funnel/churn', 'get'>;

/** A week's deletions per RM and channel; the rows of RMs with a churn alert are highlighted (流失预警). */
export function Churn({ channels, reload }: { channels: ReturnType<typeof useChannels>; reload: number }) {
  const [week, setWeek] = useState(today());
  const [report, setReport] = useState<ChurnReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    // `reload` re-reads after a recompute.
    void reload;
    api<ChurnReport>(`/funnel/churn?week=${encodeURIComponent(week)}`).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [week, reload]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setWeek(String(new FormData(e.currentTarget).get('week')));
  };
  const alerted = new Set(report?.alerts.map((a) => a.rm));

  return (
    <section aria-labelledby="growth-churn-heading">
      <h3 id="growth-churn-heading">{t('growth.churn.heading')}</h3>
      <form className="growth-filters" onSubmit={submit} aria-label={t('growth.churn.heading')}>
        <label>
          {t('growth.churn.week')}
          <input type="date" name="week" defaultValue={week} required />
        </label>
        <button type="submit">{t('growth.show')}</button>
        <a href={`/api/v1/funnel/churn?week=${encodeURIComponent(week)}&format=csv`} download>
          {t('growth.csv')}
        </a>
      </form>
      <ErrorNote error={error} id="growth-churn-error" />
      {report === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : (
        <>
          <h4>{t('growth.churn.alerts')}</h4>
          {report.alerts.length === 0 ? (
            <p>{t('growth.churn.noAlerts')}</p>
          ) : (
            <ul>
              {report.alerts.map((a) => (
                <li key={a.rm}>
                  <strong>
                    {t('growth.churn.alertItem', {
                      rm: a.rm,
                      churned: a.churned,
                      base: a.base,
                      rate: pct(a.rate),
                      threshold: pct(a.threshold),
                    })}
                  </strong>
                </li>
              ))}
            </ul>
          )}
          {report.items.length === 0 ? (
            <p>{t('growth.churn.empty')}</p>
          ) : (
            <table>
              <caption>{t('growth.churn.caption', { week: report.week })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('growth.churn.rm')}</th>
                  <th scope="col">{t('growth.churn.channel')}</th>
                  <th scope="col">{t('growth.funnel.churnedByClient')}</th>
                  <th scope="col">{t('growth.funnel.removedByRm')}</th>
                  <th scope="col">{t('growth.churn.alert')}</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((r) => (
                  <tr
                    key={`${r.rm}-${r.channelId}`}
                    className={alerted.has(r.rm) ? 'growth-alert' : undefined}
                  >
                    <th scope="row">{r.rm || t('growth.noRm')}</th>
                    <td>{channelName(channels, r.channelId)}</td>
                    <td>{r.churnedByClient}</td>
                    <td>{r.removedByRm}</td>
                    <td>{alerted.has(r.rm) ? t('growth.churn.alertYes') : t('growth.churn.alertNo')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
