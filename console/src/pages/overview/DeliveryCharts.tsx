import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { type ApiError, api } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { type DailyReport, STAGES, STATUSES, type Status, totals } from './chart-data.ts';
import './overview.css';

// ECharts is heavier than the rest of the overview together: the charts load after the page is usable, so
// the first load stays small.
const DailyChart = lazy(() => import('./DailyChart.tsx'));
const FunnelChart = lazy(() => import('./FunnelChart.tsx'));

const STATUS_NAMES: Record<Status, string> = {
  sent: t('overview.status.sent'),
  pending: t('overview.status.pending'),
  failed: t('overview.status.failed'),
  skipped: t('overview.status.skipped'),
};

const loading = <p aria-busy="true">{t('app.loading')}</p>;

/**
 * The overview's delivery charts over the last `days` days: deliveries per day by status (stacked bars) and
 * the send funnel. Each chart is an image named by a summary of its figures; the per-day figures are also a
 * table that only screen readers present. Roles the API refuses (compliance) see neither.
 */
export function DeliveryCharts({ days }: { days: number }) {
  const [report, setReport] = useState<DailyReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api<DailyReport>(`/deliveries/daily?days=${days}`).then(setReport, (e: unknown) =>
      setError(asApiError(e)),
    );
  }, [days]);
  const stages = useMemo(
    () =>
      STAGES.map((stage) => ({
        stage,
        name: t(`overview.funnel.${stage}`),
        value: report?.funnel[stage] ?? 0,
      })),
    [report],
  );
  if (error?.status === 403) return null;

  const sum = report ? totals(report.days) : null;
  const empty = report !== null && report.funnel.targeted === 0;
  const dailyLabel = t('overview.daily.chartLabel', { days, ...sum });
  const funnelLabel = t('overview.funnel.chartLabel', {
    days,
    summary: stages
      .map((s) => t('overview.funnel.item', { stage: s.name, n: s.value }))
      .join(t('overview.funnel.sep')),
  });

  return (
    <div className="overview-charts">
      <section className="overview-chart" aria-labelledby="overview-daily-heading">
        <h2 id="overview-daily-heading">{t('overview.daily.heading', { days })}</h2>
        <ErrorNote error={error} id="overview-charts-error" />
        {!report ? (
          error ? null : (
            loading
          )
        ) : empty ? (
          <p>{t('overview.daily.empty', { days })}</p>
        ) : (
          <>
            <Suspense fallback={loading}>
              <DailyChart days={report.days} names={STATUS_NAMES} label={dailyLabel} />
            </Suspense>
            <table className="visually-hidden">
              <caption>{t('overview.daily.caption', { days, timeZone: report.timeZone })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('overview.daily.date')}</th>
                  {STATUSES.map((s) => (
                    <th scope="col" key={s}>
                      {STATUS_NAMES[s]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.days.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{d.date}</th>
                    {STATUSES.map((s) => (
                      <td key={s}>{d[s]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="overview-chart" aria-labelledby="overview-funnel-heading">
        <h2 id="overview-funnel-heading">{t('overview.funnel.heading')}</h2>
        {!report ? (
          error ? null : (
            loading
          )
        ) : empty ? (
          <p>{t('overview.funnel.empty', { days })}</p>
        ) : (
          <Suspense fallback={loading}>
            <FunnelChart stages={stages} label={funnelLabel} />
          </Suspense>
        )}
      </section>
    </div>
  );
}
