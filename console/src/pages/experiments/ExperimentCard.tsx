import { lazy, Suspense, useMemo } from 'react';
import { type MessageKey, t } from '../../messages.ts';
import type { RateBar } from './RateChart.tsx';
import { chartLabel, type Experiment, type Outcome, pct, pText, type Variant } from './shared.ts';

// ECharts is the page's heaviest part: it loads after the figures are shown.
const RateChart = lazy(() => import('./RateChart.tsx'));

const BADGE: Record<Experiment['verdict'], string> = {
  winner: 'win',
  loser: '',
  'no-difference': '',
  'too-early': 'early',
};
const verdictText = (v: Experiment['verdict']) => t(`experiments.verdict.${v}` as MessageKey);

/**
 * One component version's A/B result: the experiment's verdict (the API's sentence; too early shown as
 * "too few"), every variant's reach, conversions, rate, 95% interval and p-value against the control with
 * the winner highlighted, and the rates with their intervals as a chart. `onDetails` opens the component's
 * results per version (the list's cards offer it, the per-version cards do not).
 */
export function ExperimentCard({
  experiment: e,
  outcome,
  onDetails,
}: {
  experiment: Experiment;
  outcome: Outcome;
  onDetails?: (componentId: string) => void;
}) {
  // The same version may be in the list and in the per-version detail at once: their ids differ.
  const headingId = `experiment-${e.componentId}-${e.version}${onDetails ? '' : '-detail'}`;
  const bars = useMemo<RateBar[]>(
    () =>
      e.variants.map((v) => ({
        name: v.variantId,
        rate: v.rate,
        low: v.ciLow,
        high: v.ciHigh,
        winner: v.variantId === e.winnerId,
      })),
    [e],
  );
  return (
    <section className={`card experiment verdict-${e.verdict}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        {t('experiments.card', { title: e.title, id: e.componentId, version: e.version })}
      </h3>
      <p className="experiment-verdict">
        <strong className={`badge ${BADGE[e.verdict]}`}>{verdictText(e.verdict)}</strong> {e.sentence}
      </p>
      <div className="experiment-body">
        <table aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('experiments.colVariant')}</th>
              <th scope="col">{t('experiments.colExposed')}</th>
              <th scope="col">{t('experiments.colConverted')}</th>
              <th scope="col">{t('experiments.colRate')}</th>
              <th scope="col">{t('experiments.colCi')}</th>
              <th scope="col">{t('experiments.colP')}</th>
              <th scope="col">{t('experiments.colVerdict')}</th>
            </tr>
          </thead>
          <tbody>
            {e.variants.map((v) => (
              <VariantRow key={v.variantId} v={v} winner={v.variantId === e.winnerId} />
            ))}
          </tbody>
        </table>
        <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
          <RateChart bars={bars} label={chartLabel(e, outcome)} />
        </Suspense>
      </div>
      {onDetails ? (
        <button type="button" className="link" onClick={() => onDetails(e.componentId)}>
          {t('experiments.details', { id: e.componentId })}
        </button>
      ) : null}
    </section>
  );
}

/** A variant's figures; `—` with the reason where there is no figure. */
function VariantRow({ v, winner }: { v: Variant; winner: boolean }) {
  return (
    <tr className={winner ? 'winner' : undefined}>
      <th scope="row">
        {v.variantId}
        {v.isControl ? t('experiments.control') : null}
        {winner ? (
          <>
            {' '}
            <strong className="badge win">{t('experiments.winnerBadge')}</strong>
          </>
        ) : null}
      </th>
      <td>{v.exposed}</td>
      <td>{v.converted}</td>
      <td>{v.rate === null ? t('experiments.noExposure') : pct(v.rate)}</td>
      <td>
        {v.ciLow === null || v.ciHigh === null
          ? t('experiments.noExposure')
          : t('experiments.ciText', { low: pct(v.ciLow), high: pct(v.ciHigh) })}
      </td>
      <td>
        {v.isControl
          ? t('experiments.pControl')
          : v.pValue === null
            ? t('experiments.noExposure')
            : pText(v.pValue)}
      </td>
      <td>{v.verdict === 'too-early' ? t('experiments.verdict.too-early') : v.sentence}</td>
    </tr>
  );
}
