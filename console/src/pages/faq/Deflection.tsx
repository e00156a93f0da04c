import { lazy, Suspense, useEffect, useState } from 'react';
import { type ApiError, api, type Ok, type Schema } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { percent } from './shared.tsx';

// ECharts is the page's heaviest part: it loads after the rest of the page is usable.
const DeflectionChart = lazy(() => import('./DeflectionChart.tsx'));

type Row = Schema<'FaqDeflectionCounts'>;
type Report = Ok<'/faq/deflection', 'get'>;

const categoryName = (key: string) => (key === '(none)' ? t('faq.deflection.none') : key);

/** Deflection per category over the last `days` days: a bar chart, and the table as its accessible form. */
export function Deflection({ days }: { days: number }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api<Report>(`/faq/deflection?days=${days}`).then(setReport, (e: unknown) => setError(asApiError(e)));
  }, [days]);

  const bars = (report?.categories ?? []).map((r) => ({ name: categoryName(r.key), rate: r.deflectionRate }));
  const summary =
    bars.length === 0
      ? t('faq.deflection.chartEmpty')
      : bars
          .map((b) => t('faq.deflection.chartItem', { category: b.name, rate: percent(b.rate) }))
          .join(t('faq.deflection.chartSep'));
  const counts = (r: Row) => (
    <>
      <td>{r.asked}</td>
      <td>{r.answered}</td>
      <td>{r.clarifiedAndChosen}</td>
      <td>{r.clarified}</td>
      <td>{r.handedOff}</td>
      <td>{percent(r.deflectionRate)}</td>
    </>
  );

  return (
    <section aria-labelledby="faq-deflection-heading" className="faq-section">
      <h2 id="faq-deflection-heading">{t('faq.deflection.heading', { days })}</h2>
      <ErrorNote error={error} id="faq-deflection-error" />
      {report ? (
        <>
          <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
            <DeflectionChart bars={bars} label={t('faq.deflection.chartLabel', { days, summary })} />
          </Suspense>
          {report.categories.length === 0 ? <p>{t('faq.deflection.empty')}</p> : null}
          <table>
            <caption>{t('faq.deflection.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('faq.deflection.category')}</th>
                <th scope="col">{t('faq.deflection.asked')}</th>
                <th scope="col">{t('faq.deflection.answered')}</th>
                <th scope="col">{t('faq.deflection.clarifiedAndChosen')}</th>
                <th scope="col">{t('faq.deflection.clarified')}</th>
                <th scope="col">{t('faq.deflection.handedOff')}</th>
                <th scope="col">{t('faq.deflection.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {report.categories.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{categoryName(r.key)}</th>
                  {counts(r)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('faq.deflection.overall')}</th>
                {counts(report.overall)}
              </tr>
            </tfoot>
          </table>
        </>
      ) : null}
    </section>
  );
}
