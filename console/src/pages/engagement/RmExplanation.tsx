import { lazy, Suspense, useEffect, useState } from 'react';
import { type ApiError, api } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import {
  componentName,
  detailsText,
  type Explanation,
  normalisationText,
  periodParams,
  periodText,
  pointsText,
  type Query,
  rawText,
  TOUCH_COMPONENTS,
  type TouchComponent,
} from './shared.ts';
import { TouchRows } from './TouchRows.tsx';

// ECharts loads after the explanation's figures are on screen.
const TrendChart = lazy(() => import('./TrendChart.tsx'));

const isTouchComponent = (c: string): c is TouchComponent =>
  (TOUCH_COMPONENTS as readonly string[]).includes(c);

/**
 * One RM's score explained (`GET /engagement/rms/:rm`): each component's raw figure, its normalisation,
 * weight, points and details, summing to the score; the last 8 periods as a line and a table; and for
 * coverage and emotional care, the touch-log rows behind them.
 */
export function RmExplanation({
  rm,
  query,
  onClose,
}: {
  rm: string;
  query: Pick<Query, 'period' | 'date'>;
  onClose: () => void;
}) {
  const key = `${rm}|${query.period}|${query.date ?? ''}`;
  const [state, setState] = useState<{ key: string; data?: Explanation; error?: ApiError }>({ key });
  const [open, setOpen] = useState<TouchComponent | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for rm, period and date
  useEffect(() => {
    let live = true;
    setState({ key });
    setOpen(null);
    api<Explanation>(`/engagement/rms/${encodeURIComponent(rm)}?${periodParams(query)}`).then(
      (data) => live && setState({ key, data }),
      (e: unknown) => live && setState({ key, error: asApiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const current = state.key === key ? state : { key };
  const data = current.data;
  const total = data ? data.components.reduce((s, c) => s + c.points, 0) : 0;
  const trendSummary = data
    ? data.trend
        .map((p) =>
          t('engagement.trendItem', {
            start: p.periodStart,
            score: p.score === null ? t('engagement.notComputedShort') : pointsText(p.score),
          }),
        )
        .join(t('engagement.sep'))
    : '';
  return (
    <section
      className="profile"
      aria-labelledby="engagement-explanation-heading"
      aria-busy={!data && !current.error}
    >
      <h2 id="engagement-explanation-heading">{t('engagement.explanation', { rm })}</h2>
      <Refusal error={current.error ?? null} />
      {!data && !current.error ? <p>{t('app.loading')}</p> : null}
      {data ? (
        <>
          <p>
            {t('engagement.explanationIntro', {
              branch: data.branch ?? t('engagement.noBranch'),
              rank: data.rank,
              score: pointsText(data.score),
              period: periodText(data.period),
              version: data.policyVersion,
            })}
          </p>
          <table aria-labelledby="engagement-explanation-heading">
            <thead>
              <tr>
                <th scope="col">{t('engagement.colComponent')}</th>
                <th scope="col">{t('engagement.colRaw')}</th>
                <th scope="col">{t('engagement.colNormalised')}</th>
                <th scope="col">{t('engagement.colWeight')}</th>
                <th scope="col">{t('engagement.colPoints')}</th>
                <th scope="col">{t('engagement.colDetails')}</th>
              </tr>
            </thead>
            <tbody>
              {data.components.map((c) => (
                <tr key={c.component}>
                  <th scope="row">{componentName(c.component)}</th>
                  <td>{rawText(c)}</td>
                  <td>{normalisationText(c)}</td>
                  <td>{t('engagement.weightPercent', { w: c.weight })}</td>
                  <td>{pointsText(c.points)}</td>
                  <td>
                    {detailsText(c)}
                    {isTouchComponent(c.component) ? (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="link"
                          aria-expanded={open === c.component}
                          aria-label={t(
                            open === c.component ? 'engagement.hideTouchesOf' : 'engagement.showTouchesOf',
                            { component: componentName(c.component) },
                          )}
                          onClick={() => {
                            const component = c.component as TouchComponent;
                            setOpen((o) => (o === component ? null : component));
                          }}
                        >
                          {open === c.component ? t('engagement.hideTouches') : t('engagement.showTouches')}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  {t('engagement.total')}
                </th>
                <td>{pointsText(total)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
          {open ? <TouchRows rm={rm} component={open} query={query} /> : null}
          <section aria-labelledby="engagement-trend-heading">
            <h3 id="engagement-trend-heading">{t('engagement.trend')}</h3>
            <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
              <TrendChart
                points={data.trend}
                label={t('engagement.trendLabel', { rm, summary: trendSummary })}
              />
            </Suspense>
            <table aria-labelledby="engagement-trend-heading">
              <thead>
                <tr>
                  <th scope="col">{t('engagement.colPeriodStart')}</th>
                  <th scope="col">{t('engagement.colScore')}</th>
                </tr>
              </thead>
              <tbody>
                {data.trend.map((p) => (
                  <tr key={p.periodStart}>
                    <td>{p.periodStart}</td>
                    <td>{p.score === null ? t('engagement.notComputedShort') : pointsText(p.score)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
      <button type="button" onClick={onClose}>
        {t('engagement.close')}
      </button>
    </section>
  );
}
