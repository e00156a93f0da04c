import { describe, expect, it } from 'vitest';
import { ranksWithinBranch } from '../../src/modules/engagement/rm-scores.repository.ts';
import {
  compileScorePolicy,
  ScorePolicyError,
  scorePolicySchema,
} from '../../src/modules/engagement/score-policy.ts';
import {
  normaliseAgainst,
  percentile,
  type RmFigures,
  scoreRms,
} from '../../src/modules/engagement/scoring.ts';

const policy = compileScorePolicy(scorePolicySchema.parse({}));
const rm = (over: Partial<RmFigures>): RmFigures => ({
  rm: 'rm',
  branch: 'BR',
  activeClients: 0,
  touchedClients: 0,
  emotionalTouches: 0,
  handoffs: 0,
  handoffsKept: 0,
  medianTakeoverMinutes: null,
  tasks: 0,
  tasksOnTime: 0,
  tasksLate: 0,
  deliveries: 0,
  clicks: 0,
  activations: 0,
  wonClaims: 0,
  ...over,
});

describe('engagement normalisation', () => {
  it('interpolates percentiles between ranks like percentile_cont', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([4], 95)).toBe(4);
    expect(percentile([0, 0, 50, 75], 95)).toBeCloseTo(71.25, 10);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5], 100)).toBe(5);
  });

  it('caps at 1 above the reference and scores 0 when nobody did anything', () => {
    expect(normaliseAgainst(0.8, 1.6)).toBe(0.5);
    expect(normaliseAgainst(3, 1.6)).toBe(1);
    expect(normaliseAgainst(0, 0)).toBe(0);
    expect(normaliseAgainst(2, 0)).toBe(0);
  });

  it('weighs emotional touches against the p95 of all RMs with clients, and points sum to the score', () => {
    const scores = scoreRms(
      [
        rm({
          rm: 'a',
          activeClients: 100,
          emotionalTouches: 8,
          touchedClients: 50,
          tasks: 2,
          tasksOnTime: 1,
          tasksLate: 1,
        }),
        rm({ rm: 'b', activeClients: 100, emotionalTouches: 16 }),
        rm({ rm: 'idle', activeClients: 0 }),
      ],
      policy,
    );
    const a = scores.find((s) => s.rm === 'a')!;
    // p95 over the two RMs with clients: 0.8 and 1.6 per 100 → 1.56; 0.8 / 1.56.
    expect(a.components.emotional.reference).toBeCloseTo(15.6, 6);
    expect(a.components.emotional.normalised).toBeCloseTo(8 / 15.6, 6);
    expect(a.components.taskCompletion.normalised).toBe(0.75);
    expect(a.components.coverage.points).toBe(7.5);
    const sum = Object.values(a.components).reduce((s, c) => s + c.points, 0);
    expect(a.score).toBeCloseTo(sum, 6);
    expect(scores.find((s) => s.rm === 'idle')!.score).toBe(0);
  });

  it('refuses weights that do not sum to 100', () => {
    expect(() =>
      compileScorePolicy(scorePolicySchema.parse({ weights: { emotional: 20 } }), 'policy.yaml'),
    ).toThrow(ScorePolicyError);
    expect(() =>
      compileScorePolicy(scorePolicySchema.parse({ weights: { emotional: 20 } }), 'policy.yaml'),
    ).toThrow(/policy\.yaml: weights: must sum to 100, they sum to 90/);
  });
});

describe('ranks within a branch', () => {
  it('ranks each branch on its own, best first, equal scores sharing a rank', () => {
    const ranks = ranksWithinBranch([
      { rm: 'a1', branch: 'A', score: 40 },
      { rm: 'a2', branch: 'A', score: 70 },
      { rm: 'a3', branch: 'A', score: 40 },
      { rm: 'a4', branch: 'A', score: 10 },
      { rm: 'b1', branch: 'B', score: 5 },
      { rm: 'n1', branch: null, score: 1 },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ a2: 1, a1: 2, a3: 2, a4: 4, b1: 1, n1: 1 });
  });
});
