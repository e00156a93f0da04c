// What the overview's delivery charts show, shared by the page and the charts it loads on demand (so
// nothing here may import ECharts).

/** A delivery's status, in the order the stacked bars draw them (bottom first). */
export const STATUSES = ['sent', 'pending', 'failed', 'skipped'] as const;
/** One of `STATUSES`. */
export type Status = (typeof STATUSES)[number];

/** The funnel's stages, widest first. */
export const STAGES = ['targeted', 'tasked', 'confirmed', 'delivered'] as const;
/** One of `STAGES`. */
export type Stage = (typeof STAGES)[number];

/** `GET /deliveries/daily`. */
export type DailyReport = {
  timeZone: string;
  days: ({ date: string } & Record<Status, number>)[];
  funnel: Record<Stage, number>;
};

/** Axis and label text. */
export const INK = '#243b53';

/** Bar colours per status: sent in the console's blue, failures red, skips grey. */
export const STATUS_COLORS: Record<Status, string> = {
  sent: '#0b3d91',
  pending: '#c17d11',
  failed: '#b42318',
  skipped: '#8292a6',
};

/** The funnel's colours, dark to light down the stages. */
export const STAGE_COLORS: Record<Stage, string> = {
  targeted: '#0b3d91',
  tasked: '#2f5fb3',
  confirmed: '#5a82c9',
  delivered: '#1f7a4d',
};

/** Each status summed over the window's days. */
export function totals(days: DailyReport['days']): Record<Status, number> {
  const sum = { sent: 0, pending: 0, failed: 0, skipped: 0 };
  for (const d of days) for (const s of STATUSES) sum[s] += d[s];
  return sum;
}
