// The statistics of an A/B experiment: each variant's conversion rate with a Wilson score interval, a
// two-proportion z-test of each variant against the control, and a verdict ops can act on. Pure: no I/O.

/** What a variant converted to: the outcomes the report can measure a rate of. */
export const CONVERSION_OUTCOMES = ['read', 'clicked', 'replied', 'converted'] as const;
/** One conversion outcome. */
export type ConversionOutcome = (typeof CONVERSION_OUTCOMES)[number];

/** The rate's name in a Chinese sentence or CSV (点击率 …). */
export const RATE_ZH: Readonly<Record<ConversionOutcome, string>> = {
  read: '阅读率',
  clicked: '点击率',
  replied: '回复率',
  converted: '转化率',
};

/** How a variant (or a whole experiment) stands against the control. */
export type Verdict = 'control' | 'winner' | 'loser' | 'no-difference' | 'too-early';

/** One variant's counts: distinct clients exposed (sent or delivered) and, of them, distinct converted. */
export type VariantCounts = { variantId: string; exposed: number; converted: number };

/** A variant's figures as the report shows them; rates and intervals are null with nobody exposed. */
export type VariantResult = VariantCounts & {
  isControl: boolean;
  rate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Two-sided p-value against the control; null for the control itself or when it cannot be computed. */
  pValue: number | null;
  verdict: Verdict;
  sentence: string;
};

/** The result of one experiment (a component version with two or more variants). */
export type ExperimentResult = {
  controlId: string;
  /** The alpha each comparison is held to: Bonferroni-corrected with more than one comparison. */
  alpha: number;
  verdict: Exclude<Verdict, 'control'>;
  /** The winning variant when the verdict is `winner`. */
  winnerId: string | null;
  sentence: string;
  variants: VariantResult[];
};

/** What an experiment is judged with. */
export type ExperimentOptions = {
  outcome: ConversionOutcome;
  /** Family-wise significance level (0.05 by default). */
  alpha?: number;
  /** The interval's confidence (0.95 by default). */
  confidence?: number;
  /** Each variant needs this many exposed clients before any verdict but `too-early`. */
  minExposures: number;
};

/**
 * The complementary error function, erfc(x), with fractional error below 1.2e-7 everywhere (the Chebyshev
 * fit of Numerical Recipes' `erfcc`). Relative, not absolute, accuracy keeps tiny p-values meaningful.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by bisection on `normalCdf` (monotone, exact enough). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The Wilson score interval of `successes` out of `n` at `confidence`; null when n is 0. */
export function wilsonInterval(
  successes: number,
  n: number,
  confidence = 0.95,
): { low: number; high: number } | null {
  if (n <= 0) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The pooled two-proportion z-test of b against a: z (positive when b's rate is higher) and the two-sided
 * p-value. Null when either group is empty; with no variance at all (both 0% or both 100%) p is 1.
 */
export function twoProportionZTest(
  a: { successes: number; n: number },
  b: { successes: number; n: number },
): { z: number; pValue: number } | null {
  if (a.n <= 0 || b.n <= 0) return null;
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (b.successes / b.n - a.successes / a.n) / se;
  return { z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/** Alpha per comparison, Bonferroni-corrected over `comparisons` (at least one). */
export function bonferroniAlpha(alpha: number, comparisons: number): number {
  return alpha / Math.max(1, comparisons);
}

/**
 * The control of an experiment: the first variant the component lists that has results, else the
 * lexicographically first variant id.
 */
export function pickControl(variantIds: readonly string[], listed: readonly string[]): string {
  const found = listed.find((id) => variantIds.includes(id));
  if (found !== undefined) return found;
  const sorted = [...variantIds].sort();
  const first = sorted[0];
  if (first === undefined) throw new Error('pickControl: an experiment without variants');
  return first;
}

/** A p-value as the sentences show it: three decimals, or "<0.001". */
export function formatP(p: number): string {
  return p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`;
}

/**
 * Judges one experiment: every variant's rate and interval, each non-control variant's test against the
 * control, and the experiment's verdict with its Chinese sentence. `listed` is the component's variant
 * order (its first is the control).
 */
export function judgeExperiment(
  counts: readonly VariantCounts[],
  listed: readonly string[],
  opts: ExperimentOptions,
): ExperimentResult {
  const familyAlpha = opts.alpha ?? 0.05;
  const confidence = opts.confidence ?? 0.95;
  const controlId = pickControl(
    counts.map((c) => c.variantId),
    listed,
  );
  const control = counts.find((c) => c.variantId === controlId) as VariantCounts;
  const alpha = bonferroniAlpha(familyAlpha, counts.length - 1);
  const enough = counts.every((c) => c.exposed >= opts.minExposures);
  const rateZh = RATE_ZH[opts.outcome];
  // Listed order first, then the rest by id, so the report reads like the component.
  const order = (id: string) => {
    const i = listed.indexOf(id);
    return i === -1 ? listed.length : i;
  };
  const sorted = [...counts].sort(
    (x, y) => order(x.variantId) - order(y.variantId) || x.variantId.localeCompare(y.variantId),
  );
  const variants = sorted.map((c): VariantResult => {
    const ci = wilsonInterval(c.converted, c.exposed, confidence);
    const base = {
      ...c,
      isControl: c.variantId === controlId,
      rate: c.exposed > 0 ? c.converted / c.exposed : null,
      ciLow: ci?.low ?? null,
      ciHigh: ci?.high ?? null,
    };
    if (base.isControl) return { ...base, pValue: null, verdict: 'control', sentence: '对照方案' };
    const test = twoProportionZTest(
      { successes: control.converted, n: control.exposed },
      { successes: c.converted, n: c.exposed },
    );
    const pValue = test?.pValue ?? null;
    if (!enough || test === null)
      return { ...base, pValue, verdict: 'too-early', sentence: '样本不足，暂不能判断' };
    const p = formatP(test.pValue);
    if (test.pValue < alpha && test.z > 0)
      return {
        ...base,
        pValue,
        verdict: 'winner',
        sentence: `${c.variantId} 方案${rateZh}显著高于 ${controlId} 方案（${p}）`,
      };
    if (test.pValue < alpha && test.z < 0)
      return {
        ...base,
        pValue,
        verdict: 'loser',
        sentence: `${c.variantId} 方案${rateZh}显著低于 ${controlId} 方案（${p}）`,
      };
    return {
      ...base,
      pValue,
      verdict: 'no-difference',
      sentence: `${c.variantId} 方案与 ${controlId} 方案${rateZh}无显著差异（${p}）`,
    };
  });
  const challengers = variants.filter((v) => !v.isControl);
  // The best significant winner by rate; ties go to the earlier-listed variant.
  const winner = challengers
    .filter((v) => v.verdict === 'winner')
    .reduce<VariantResult | null>((best, v) => (best && (best.rate ?? 0) >= (v.rate ?? 0) ? best : v), null);
  if (!enough || challengers.some((v) => v.verdict === 'too-early'))
    return {
      controlId,
      alpha,
      verdict: 'too-early',
      winnerId: null,
      sentence: `样本不足，暂不能判断（每个方案至少需 ${opts.minExposures} 人触达）`,
      variants,
    };
  if (winner)
    return {
      controlId,
      alpha,
      verdict: 'winner',
      winnerId: winner.variantId,
      sentence: winner.sentence,
      variants,
    };
  if (challengers.length > 0 && challengers.every((v) => v.verdict === 'loser'))
    return {
      controlId,
      alpha,
      verdict: 'loser',
      winnerId: null,
      sentence: `对照 ${controlId} 方案${rateZh}显著高于其他方案`,
      variants,
    };
  return {
    controlId,
    alpha,
    verdict: 'no-difference',
    winnerId: null,
    sentence: `各方案${rateZh}无显著差异`,
    variants,
  };
}
