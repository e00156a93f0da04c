import { type FormEvent, lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { type ApiError, api, type Me, type Ok } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { Churn } from './Churn.tsx';
import { RecomputeButton } from './RecomputeButton.tsx';
import { channelName, headOffice, mondayWeeksBack, pct, today, useChannels } from './shared.ts';

// ECharts loads after the table is usable.
const BarChart = lazy(() => import('./BarChart.tsx'));

type By = 'channel' | 'rm' | 'week';
type Funnel = Ok<'/funnel', 'get'>;

/** A row's key as shown: a channel's name, an RM's userid (none: the link opens), or a week's Monday. */
function nameOfKey(by: By, channels: ReturnType<typeof useChannels>, key: string): string {
  if (by === 'channel') return channelName(channels, key);
  return by === 'rm' && key === '' ? t('growth.noRm') : key;
}

const COLORS = { aware: '#8292a6', acquired: '#0b3d91', activated: '#1f7a4d' };

/**
 * The acquisition funnel over a date range (default the last 8 weeks), by channel, RM or week: a grouped
 * bar chart and the table (with the CSV link), then a week's churn with its alerts. Head office recomputes.
 */
export function FunnelTab({ me }: { me: Me }) {
  const channels = useChannels();
  const [range, setRange] = useState({ from: mondayWeeksBack(7), to: today(), by: 'channel' as By });
  const [funnel, setFunnel] = useState<Funnel | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setFunnel(null);
    setError(null);
    // `reload` re-reads after a recompute.
    void reload;
    const q = new URLSearchParams(range);
    api<Funnel>(`/funnel?${q}`).then(
      (r) => live && setFunnel(r),
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [range, reload]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setRange({ from: String(f.get('from')), to: String(f.get('to')), by: String(f.get('by')) as By });
  };

  const keyName = (key: string) => nameOfKey(range.by, channels, key);
  const items = funnel?.items ?? [];
  const chart = useMemo(() => {
    const rows = funnel?.items ?? [];
    const keyName = (key: string) => nameOfKey(range.by, channels, key);
    return {
      categories: rows.map((i) => keyName(i.key)),
      series: (['aware', 'acquired', 'activated'] as const).map((k) => ({
        name: t(`growth.funnel.${k}`),
        color: COLORS[k],
        values: rows.map((i) => i[k]),
      })),
      label: t('growth.funnel.chartLabel', {
        summary: rows
          .map((i) =>
            t('growth.funnel.chartItem', {
              name: keyName(i.key),
              aware: i.aware,
              acquired: i.acquired,
              activated: i.activated,
            }),
          )
          .join(t('growth.sep')),
      }),
    };
  }, [funnel, channels, range.by]);
  const csv = `/api/v1/funnel?${new URLSearchParams({ ...range, format: 'csv' })}`;

  return (
    <section aria-labelledby="growth-funnel-heading">
      <h2 id="growth-funnel-heading">{t('growth.funnel.heading')}</h2>
      <form className="growth-filters" onSubmit={submit} aria-label={t('growth.funnel.heading')}>
        <label>
          {t('growth.from')}
          <input type="date" name="from" defaultValue={range.from} required />
        </label>
        <label>
          {t('growth.to')}
          <input type="date" name="to" defaultValue={range.to} required />
        </label>
        <label>
          {t('growth.funnel.by')}
          <select name="by" defaultValue={range.by}>
            {(['channel', 'rm', 'week'] as const).map((b) => (
              <option key={b} value={b}>
                {t(`growth.funnel.by.${b}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('growth.show')}</button>
        <a href={csv} download>
          {t('growth.csv')}
        </a>
      </form>
      {headOffice(me) ? (
        // Head office recomputes the funnel, cohorts and churn alerts for today.
        <RecomputeButton run={recomputeFunnel} onDone={() => setReload((n) => n + 1)} />
      ) : null}
      <ErrorNote error={error} id="growth-funnel-error" />
      {funnel === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : items.length === 0 ? (
        <p>{t('growth.funnel.empty')}</p>
      ) : (
        <>
          <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
            <BarChart categories={chart.categories} series={chart.series} label={chart.label} />
          </Suspense>
          <table>
            <caption>
              {t('growth.funnel.caption', {
                from: range.from,
                to: range.to,
                by: t(`growth.funnel.by.${range.by}`),
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t(`growth.funnel.by.${range.by}`)}</th>
                <th scope="col">{t('growth.funnel.aware')}</th>
                <th scope="col">{t('growth.funnel.acquired')}</th>
                <th scope="col">{t('growth.funnel.activated')}</th>
                <th scope="col">{t('growth.funnel.acquisitionRate')}</th>
                <th scope="col">{t('growth.funnel.activationRate')}</th>
                <th scope="col">{t('growth.funnel.churnedByClient')}</th>
                <th scope="col">{t('growth.funnel.removedByRm')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.key}>
                  <th scope="row">{keyName(i.key)}</th>
                  <td>{i.aware}</td>
                  <td>{i.acquired}</td>
                  <td>{i.activated}</td>
                  <td>{pct(i.acquisitionRate)}</td>
                  <td>{pct(i.activationRate)}</td>
                  <td>{i.churnedByClient}</td>
                  <td>{i.removedByRm}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Churn channels={channels} reload={reload} />
    </section>
  );
}

async function recomputeFunnel(): Promise<string> {
  const r = await api<Ok<'/funnel/recompute', 'post'>>('/funnel/recompute', { method: 'POST', body: {} });
  return t('growth.recomputedFunnel', {
    first: r.weeks.first,
    last: r.weeks.last,
    rows: r.funnelRows,
    alerts: r.alertsRaised,
  });
}
