import { SCORE_COMPONENTS, type ScoreComponent, type ScorePolicy } from './score-policy.ts';

// The engagement score's arithmetic, free of SQL and clocks so it can be unit-tested: the repositories
// give per-RM figures, this turns them into components and a score.

/** One component of one RM's score: the raw figure, its normalisation to [0, 1], and the points earned. */
export type ComponentScore = {
  raw: number;
  normalised: number;
  weight: number;
  points: number;
  /** For per-100-clients figures: the percentile of the raw figure over all RMs the raw was divided by. */
  reference?: number;
  details: Record<string, number | null>;
};

/** The per-RM figures scoring needs for one period; a missing figure is 0. */
export type RmFigures = {
  rm: string;
  branch: string | null;
  activeClients: number;
  touchedClients: number;
  emotionalTouches: number;
  handoffs: number;
  handoffsKept: number;
  medianTakeoverMinutes: number | null;
  tasks: number;
  tasksOnTime: number;
  tasksLate: number;
  deliveries: number;
  clicks: number;
  activations: number;
  wonClaims: number;
};

/** One RM's score for a period. */
export type RmScore = {
  rm: string;
  branch: string | null;
  score: number;
  components: Record<ScoreComponent, ComponentScore>;
};

/**
 * The p-th percentile (0 < p ≤ 100) of `values` by linear interpolation between closest ranks (the
 * method of PostgreSQL's percentile_cont); 0 for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** `raw` against a reference: min(1, raw ÷ reference); 0 when the reference is 0 (nobody did anything). */
export function normaliseAgainst(raw: number, reference: number): number {
  if (!(reference > 0) || !(raw > 0)) return 0;
  return Math.min(1, raw / reference);
}

const share = (part: number, whole: number) => (whole > 0 ? Math.min(1, part / whole) : 0);
const per100 = (n: number, clients: number) => (clients > 0 ? (n * 100) / clients : 0);
// Stored scores are rounded so a recomputation from the same rows is byte-identical and reads cleanly.
const round = (x: number) => Math.round(x * 1e6) / 1e6;

function component(
  raw: number,
  normalised: number,
  weight: number,
  details: ComponentScore['details'],
  reference?: number,
): ComponentScore {
  const n = round(normalised);
  return {
    raw: round(raw),
    normalised: n,
    weight,
    points: round(n * weight),
    ...(reference !== undefined ? { reference: round(reference) } : {}),
    details,
  };
}

/**
 * Scores every RM of a period from their figures. The per-100-clients components are normalised against
 * the policy's percentile over the RMs that hold clients, so the reference moves with the bank as a whole.
 */
export function scoreRms(figures: readonly RmFigures[], policy: ScorePolicy): RmScore[] {
  const w = policy.weights;
  const withClients = figures.filter((f) => f.activeClients > 0);
  const emotionalRaw = (f: RmFigures) => per100(f.emotionalTouches, f.activeClients);
  const contentRaw = (f: RmFigures) => per100(f.deliveries + policy.clickWeight * f.clicks, f.activeClients);
  const conversionRaw = (f: RmFigures) => per100(f.activations + f.wonClaims, f.activeClients);
  const p = policy.normalisationPercentile;
  const ref = {
    emotional: percentile(withClients.map(emotionalRaw), p),
    content: percentile(withClients.map(contentRaw), p),
    conversions: percentile(withClients.map(conversionRaw), p),
  };
  return figures.map((f) => {
    const taskRaw = f.tasks > 0 ? (f.tasksOnTime + policy.lateCredit * f.tasksLate) / f.tasks : 0;
    const e = emotionalRaw(f);
    const c = contentRaw(f);
    const v = conversionRaw(f);
    const components: Record<ScoreComponent, ComponentScore> = {
      responsiveness: component(
        share(f.handoffsKept, f.handoffs),
        share(f.handoffsKept, f.handoffs),
        w.responsiveness,
        {
          handoffs: f.handoffs,
          kept: f.handoffsKept,
          medianTakeoverMinutes: f.medianTakeoverMinutes,
        },
      ),
      coverage: component(
        share(f.touchedClients, f.activeClients),
        share(f.touchedClients, f.activeClients),
        w.coverage,
        {
          touchedClients: f.touchedClients,
          activeClients: f.activeClients,
        },
      ),
      taskCompletion: component(taskRaw, taskRaw, w.taskCompletion, {
        tasks: f.tasks,
        onTime: f.tasksOnTime,
        late: f.tasksLate,
      }),
      emotional: component(
        e,
        normaliseAgainst(e, ref.emotional),
        w.emotional,
        {
          emotionalTouches: f.emotionalTouches,
          activeClients: f.activeClients,
          percentile: p,
        },
        ref.emotional,
      ),
      contentDistribution: component(
        c,
        normaliseAgainst(c, ref.content),
        w.contentDistribution,
        {
          deliveries: f.deliveries,
          clicks: f.clicks,
          activeClients: f.activeClients,
          percentile: p,
        },
        ref.content,
      ),
      conversions: component(
        v,
        normaliseAgainst(v, ref.conversions),
        w.conversions,
        {
          activations: f.activations,
          wonClaims: f.wonClaims,
          activeClients: f.activeClients,
          percentile: p,
        },
        ref.conversions,
      ),
    };
    const score = round(SCORE_COMPONENTS.reduce((s, k) => s + components[k].points, 0));
    return { rm: f.rm, branch: f.branch, score, components };
  });
}
