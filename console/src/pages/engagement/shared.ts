import type { Ok } from '../../api.ts';
import { wordFor } from '../../form-fields.tsx';
import { t } from '../../messages.ts';

// What the engagement page's parts share: the API's shapes, the query in the URL, and how figures read.

/** The ranking as `GET /engagement/rms` answers it. */
export type Ranking = Ok<'/engagement/rms', 'get'>;
/** One ranked RM. */
export type Ranked = Ranking['items'][number];
/** One RM's score explained (`GET /engagement/rms/:rm`). */
export type Explanation = Ok<'/engagement/rms/{rm}', 'get'>;
/** One component of an explanation. */
export type ComponentRow = Explanation['components'][number];
/** A period as the API states it (`end` is the day after its last). */
export type Period = Ranking['period'];

/** The score's components, in the order the API and its CSV list them. */
export const COMPONENTS = [
  'responsiveness',
  'coverage',
  'taskCompletion',
  'emotional',
  'contentDistribution',
  'conversions',
] as const satisfies readonly ComponentRow['component'][];

/** The components whose figures come from the touch log, so their rows can be listed. */
export const TOUCH_COMPONENTS = ['coverage', 'emotional'] as const;
/** A component with touch-log rows behind it. */
export type TouchComponent = (typeof TOUCH_COMPONENTS)[number];

/** The period kinds, as the API names them. */
export const PERIOD_KINDS = ['day', 'week', 'month'] as const;
/** A period kind. */
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The page's query as the URL holds it; an absent date means the API's default (yesterday). */
export type Query = { period: PeriodKind; date: string | null; branch: string | null };

/** The page's query read from the URL's search parameters. */
export function queryOf(params: URLSearchParams): Query {
  const period = params.get('period');
  const date = params.get('date');
  const branch = params.get('branch')?.trim();
  return {
    period: PERIOD_KINDS.includes(period as PeriodKind) ? (period as PeriodKind) : 'day',
    date: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null,
    branch: branch ? branch : null,
  };
}

/** `period=…[&date=…]` for the API: the date is left out so the API picks its default. */
export function periodParams(q: Pick<Query, 'period' | 'date'>): URLSearchParams {
  const p = new URLSearchParams({ period: q.period });
  if (q.date) p.set('date', q.date);
  return p;
}

/** A component's Chinese name. */
export const componentName = (c: string) => wordFor('engagement.component', c);

/** A score or points: two decimals. */
export const pointsText = (n: number) => n.toFixed(2);

/** A share in [0, 1] as a percentage with one decimal. */
export const percentText = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The period in words: one day, or its first to last day. */
export function periodText(p: Period): string {
  if (p.kind === 'day') return t('engagement.periodDay', { start: p.start });
  const last = new Date(`${p.end}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() - 1);
  return t('engagement.periodRange', { start: p.start, last: last.toISOString().slice(0, 10) });
}

/** A number as the explanation shows it: integers as they are, others with up to two decimals. */
export const figureText = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2))));

/**
 * How a component's raw figure became its normalised value: against the percentile of all RMs for the
 * per-100-clients figures (raw per 100, the percentile and its value, then the result), as a share
 * otherwise (`75.0% → 0.75`); the words come from `engagement.normPercentile` and `engagement.normShare`.
 */
export function normalisationText(c: ComponentRow): string {
  const n = c.normalised.toFixed(2);
  if (c.reference !== undefined) {
    return t('engagement.normPercentile', {
      raw: figureText(c.raw),
      p: figureText(c.details.percentile ?? 0),
      ref: figureText(c.reference),
      n,
    });
  }
  return t('engagement.normShare', { raw: percentText(c.raw), n });
}

/** A component's raw figure: per 100 clients, or a share. */
export const rawText = (c: ComponentRow) =>
  c.reference !== undefined ? t('engagement.per100', { n: figureText(c.raw) }) : percentText(c.raw);

/** A component's details in words (`名下客户 4，已触达客户 3`), a missing figure with its reason. */
export function detailsText(c: ComponentRow): string {
  return Object.entries(c.details)
    .filter(([key]) => key !== 'percentile')
    .map(([key, value]) =>
      t('engagement.detailItem', {
        name: wordFor('engagement.detail', key),
        value:
          value === null
            ? key === 'medianTakeoverMinutes'
              ? t('engagement.noHandoffs')
              : t('engagement.noneYet')
            : figureText(value),
      }),
    )
    .join(t('engagement.sep'));
}
