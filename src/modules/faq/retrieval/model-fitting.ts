/**
 * Fitting the ranker and the calibrators: small, deterministic Newton solvers (a few dozen weights, a few
 * thousand queries), so a bank can refit on its own cross-validated KB without any ML dependency.
 */

/** One training query for the ranker: a feature row per candidate, and which candidates are right. */
export type RankingExample = { features: readonly number[][]; gold: readonly boolean[]; weight?: number };

/** Solves A x = b (A symmetric positive definite after regularisation) by Gaussian elimination. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

const zeros = (n: number) => new Array<number>(n).fill(0);
const square = (n: number) => Array.from({ length: n }, () => zeros(n));

/** Conditional-logit loss of the ranker (−log of the probability mass on the right candidates) plus L2. */
function rankingLoss(w: number[], data: readonly RankingExample[], l2: number): number {
  let loss = 0;
  for (const q of data) {
    const z = q.features.map((x) => x.reduce((s, v, i) => s + v * (w[i] as number), 0));
    const max = Math.max(...z);
    let all = 0;
    let gold = 0;
    z.forEach((v, i) => {
      const e = Math.exp(v - max);
      all += e;
      if (q.gold[i]) gold += e;
    });
    loss += (q.weight ?? 1) * (Math.log(all) - Math.log(gold));
  }
  return loss + 0.5 * l2 * w.reduce((s, v) => s + v * v, 0);
}

/**
 * Fits linear ranker weights by damped Newton steps on the conditional-logit loss (softmax over each query's
 * candidates, the right ones' mass maximised). Queries with no right candidate in their pool are skipped.
 */
export function fitRanker(
  examples: readonly RankingExample[],
  opts: { l2: number; iterations: number; start?: number[] },
): number[] {
  const data = examples.filter((q) => q.gold.some(Boolean) && q.features.length > 1);
  const d = data[0]?.features[0]?.length ?? 0;
  let w = opts.start ? [...opts.start] : zeros(d);
  let loss = rankingLoss(w, data, opts.l2);
  for (let it = 0; it < opts.iterations; it++) {
    const g = w.map((v) => opts.l2 * v);
    const h = square(d);
    for (let i = 0; i < d; i++) h[i]![i] = opts.l2;
    for (const q of data) {
      const z = q.features.map((x) => x.reduce((s, v, i) => s + v * (w[i] as number), 0));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      const goldSum = e.reduce((a, b, i) => a + (q.gold[i] ? b : 0), 0);
      const mean = zeros(d);
      const qw = q.weight ?? 1;
      q.features.forEach((x, c) => {
        const p = (e[c] as number) / sum;
        const r = q.gold[c] ? (e[c] as number) / goldSum : 0;
        for (let i = 0; i < d; i++) {
          g[i] = (g[i] as number) + qw * (p - r) * (x[i] as number);
          mean[i] = (mean[i] as number) + p * (x[i] as number);
        }
      });
      // Gauss–Newton: the covariance of the features under the softmax (always positive semi-definite).
      q.features.forEach((x, c) => {
        const p = (qw * (e[c] as number)) / sum;
        if (p < 1e-12) return;
        for (let i = 0; i < d; i++) {
          const xi = (x[i] as number) - (mean[i] as number);
          for (let j = 0; j <= i; j++)
            h[i]![j] = h[i]![j]! + p * xi * ((x[j] as number) - (mean[j] as number));
        }
      });
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) h[j]![i] = h[i]![j]!;
    const step = solve(h, g);
    let t = 1;
    let next = w;
    let nextLoss = loss;
    for (let k = 0; k < 20; k++, t /= 2) {
      next = w.map((v, i) => v - t * (step[i] as number));
      nextLoss = rankingLoss(next, data, opts.l2);
      if (nextLoss < loss) break;
    }
    if (!(nextLoss < loss - 1e-9)) break;
    w = next;
    loss = nextLoss;
  }
  return w;
}

/** Fits a logistic regression (bias first, then one weight per column) by Newton's method (IRLS) with L2. */
export function fitLogistic(
  rows: readonly number[][],
  labels: readonly boolean[],
  opts: { l2: number; iterations: number; weights?: readonly number[] },
): number[] {
  const d = (rows[0]?.length ?? 0) + 1;
  let w = zeros(d);
  for (let it = 0; it < opts.iterations; it++) {
    const g = w.map((v, i) => (i === 0 ? 0 : opts.l2 * v));
    const h = square(d);
    for (let i = 1; i < d; i++) h[i]![i] = opts.l2;
    h[0]![0] = 1e-9;
    rows.forEach((row, n) => {
      const x = [1, ...row];
      const z = x.reduce((s, v, i) => s + v * (w[i] as number), 0);
      const p = 1 / (1 + Math.exp(-z));
      const rw = opts.weights?.[n] ?? 1;
      const err = rw * (p - (labels[n] ? 1 : 0));
      const s = rw * Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < d; i++) {
        g[i] = (g[i] as number) + err * (x[i] as number);
        for (let j = 0; j <= i; j++) h[i]![j] = h[i]![j]! + s * (x[i] as number) * (x[j] as number);
      }
    });
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) h[j]![i] = h[i]![j]!;
    const step = solve(h, g);
    w = w.map((v, i) => v - (step[i] as number));
    if (step.every((s) => Math.abs(s) < 1e-8)) break;
  }
  return w;
}
