import { describe, expect, it } from 'vitest';
import {
  bonferroniAlpha,
  erfc,
  judgeExperiment,
  normalCdf,
  normalQuantile,
  pickControl,
  twoProportionZTest,
  wilsonInterval,
} from '../../src/modules/content/experiment-stats.ts';

// The statistics behind the A/B report, against values from textbooks and R (prop.test without continuity
// correction, binom's Wilson interval).
const opts = { outcome: 'clicked' as const, minExposures: 100 };

describe('normal distribution', () => {
  it('matches tabulated values, tiny tails included', () => {
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
    // Relative accuracy in the tail: erfc(5) = 1.5375e-12.
    expect(erfc(5) / 1.5374597944e-12).toBeCloseTo(1, 5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
  });
});

describe('Wilson score interval', () => {
  it('gives the known 95% intervals, clipped to [0, 1]', () => {
    const half = wilsonInterval(50, 100);
    expect(half?.low).toBeCloseTo(0.4038, 4);
    expect(half?.high).toBeCloseTo(0.5962, 4);
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.2775, 4) });
    expect(wilsonInterval(10, 10)?.high).toBe(1);
    // Wider at 99%.
    const wide = wilsonInterval(50, 100, 0.99);
    expect(wide?.low).toBeLessThan(0.4038);
  });
  it('is null, never NaN, with nobody exposed', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('two-proportion z-test', () => {
  it('50/100 against 30/100: z ≈ 2.887, p ≈ 0.0039', () => {
    const t = twoProportionZTest({ successes: 30, n: 100 }, { successes: 50, n: 100 });
    expect(t?.z).toBeCloseTo(2.8868, 4);
    expect(t?.pValue).toBeCloseTo(0.00389, 5);
    // Symmetric: the sign flips, the p-value does not.
    const back = twoProportionZTest({ successes: 50, n: 100 }, { successes: 30, n: 100 });
    expect(back?.z).toBeCloseTo(-2.8868, 4);
    expect(back?.pValue).toBeCloseTo(0.00389, 5);
  });
  it('has p = 1 with no variance and no answer with an empty group', () => {
    expect(twoProportionZTest({ successes: 0, n: 50 }, { successes: 0, n: 80 })).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionZTest({ successes: 0, n: 0 }, { successes: 3, n: 10 })).toBeNull();
  });
});

describe('judging an experiment', () => {
  it('names a significant winner in Chinese, with the control first as the component lists it', () => {
    const r = judgeExperiment(
      [
        { variantId: 'b', exposed: 100, converted: 50 },
        { variantId: 'a', exposed: 100, converted: 30 },
      ],
      ['a', 'b'],
      opts,
    );
    expect(r.controlId).toBe('a');
    expect(r.verdict).toBe('winner');
    expect(r.winnerId).toBe('b');
    expect(r.sentence).toBe('b 方案点击率显著高于 a 方案（p=0.004）');
    expect(r.variants.map((v) => [v.variantId, v.verdict])).toEqual([
      ['a', 'control'],
      ['b', 'winner'],
    ]);
    expect(r.variants[1]?.rate).toBe(0.5);
  });

  it('takes the lexicographically first id as control when the component lists none of them', () => {
    expect(pickControl(['zeta', 'alpha', 'mid'], [])).toBe('alpha');
    expect(pickControl(['zeta', 'alpha'], ['gone', 'zeta'])).toBe('zeta');
    const r = judgeExperiment(
      [
        { variantId: 'y', exposed: 100, converted: 30 },
        { variantId: 'x', exposed: 100, converted: 50 },
      ],
      [],
      opts,
    );
    expect(r.controlId).toBe('x');
    expect(r.verdict).toBe('loser');
    expect(r.variants[1]?.sentence).toBe('y 方案点击率显著低于 x 方案（p=0.004）');
  });

  it('Bonferroni-corrects alpha with more than two variants', () => {
    expect(bonferroniAlpha(0.05, 1)).toBe(0.05);
    expect(bonferroniAlpha(0.05, 2)).toBe(0.025);
    // 128/500 against 100/500: p ≈ 0.035, significant alone, not once two comparisons share 0.05.
    const a = { variantId: 'a', exposed: 500, converted: 100 };
    const b = { variantId: 'b', exposed: 500, converted: 128 };
    const c = { variantId: 'c', exposed: 500, converted: 100 };
    const two = judgeExperiment([a, b], ['a', 'b', 'c'], opts);
    expect(two.verdict).toBe('winner');
    const three = judgeExperiment([a, b, c], ['a', 'b', 'c'], opts);
    expect(three.alpha).toBe(0.025);
    expect(three.variants.find((v) => v.variantId === 'b')?.pValue).toBeCloseTo(0.0348, 4);
    expect(three.verdict).toBe('no-difference');
    expect(three.sentence).toBe('各方案点击率无显著差异');
  });

  it('is too early below minExposures, even when the difference looks large', () => {
    const r = judgeExperiment(
      [
        { variantId: 'a', exposed: 99, converted: 10 },
        { variantId: 'b', exposed: 500, converted: 400 },
      ],
      ['a', 'b'],
      opts,
    );
    expect(r.verdict).toBe('too-early');
    expect(r.sentence).toBe('样本不足，暂不能判断（每个方案至少需 100 人触达）');
    expect(r.variants[1]?.sentence).toBe('样本不足，暂不能判断');
  });

  it('gives too-early with nulls, never NaN, for a variant nobody saw', () => {
    const r = judgeExperiment(
      [
        { variantId: 'a', exposed: 0, converted: 0 },
        { variantId: 'b', exposed: 0, converted: 0 },
      ],
      ['a', 'b'],
      { ...opts, minExposures: 0 },
    );
    expect(r.verdict).toBe('too-early');
    for (const v of r.variants) {
      expect(v.rate).toBeNull();
      expect(v.ciLow).toBeNull();
      expect(v.pValue).toBeNull();
    }
    expect(JSON.stringify(r)).not.toContain('NaN');
  });
});
