import type { Schema } from '../../api.ts';
import { type MessageKey, t } from '../../messages.ts';

/** One component version's A/B result, as `GET /api/v1/experiments` answers it. */
export type Experiment = Schema<'Experiment'>;
/** One variant's figures within an experiment. */
export type Variant = Schema<'ExperimentVariant'>;

/** The conversion outcomes a rate can count, in the order the selector offers them. */
export const OUTCOMES = ['clicked', 'read', 'replied', 'converted'] as const;
/** One of `OUTCOMES`. */
export type Outcome = (typeof OUTCOMES)[number];

/** A share (0..1) as a percentage with one decimal, e.g. `41.2%`. */
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A p-value for people: below 0.001 as `<0.001`, else three decimals. */
export const pText = (p: number) => (p < 0.001 ? t('experiments.pBelow') : p.toFixed(3));

/** The outcome's name in Chinese (点击, 阅读 …). */
export const outcomeName = (o: Outcome) => t(`experiments.outcome.${o}` as MessageKey);

/** The chart's accessible name: every variant's rate and interval. */
export function chartLabel(e: Experiment, outcome: Outcome): string {
  const summary = e.variants
    .map((v) =>
      v.rate === null || v.ciLow === null || v.ciHigh === null
        ? t('experiments.chartItemNone', { variant: v.variantId })
        : t('experiments.chartItem', {
            variant: v.variantId,
            rate: pct(v.rate),
            low: pct(v.ciLow),
            high: pct(v.ciHigh),
          }),
    )
    .join(t('experiments.chartSep'));
  return t('experiments.chartLabel', { title: e.title, outcome: outcomeName(outcome), summary });
}
