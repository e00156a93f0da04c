import { createHash } from 'node:crypto';
import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';

/** The components of an RM's engagement score, in the order reports show them. */
export const SCORE_COMPONENTS = [
  'responsiveness',
  'coverage',
  'taskCompletion',
  'emotional',
  'contentDistribution',
  'conversions',
] as const;

/** One component of the engagement score. */
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];

const weight = z.number().min(0).max(100);

/** The policy file's schema; weights are percent, every parameter has a default. */
export const scorePolicySchema = z
  .object({
    weights: z
      .object({
        responsiveness: weight.default(15),
        coverage: weight.default(15),
        taskCompletion: weight.default(15),
        emotional: weight.default(30),
        contentDistribution: weight.default(15),
        conversions: weight.default(10),
      })
      .strict()
      .prefault({}),
    onTimeHours: z
      .number()
      .positive()
      .max(24 * 31)
      .default(24),
    lateCredit: z.number().min(0).max(1).default(0.5),
    clickWeight: z.number().min(0).max(1000).default(5),
    normalisationPercentile: z.number().gt(0).max(100).default(95),
  })
  .strict();

/** The policy as configured, plus a version digest that changes whenever the scoring would. */
export type ScorePolicy = z.output<typeof scorePolicySchema> & { version: string };

/** Thrown for a policy file that cannot be used; the message names the file and the reason. */
export class ScorePolicyError extends Error {}

/** Checks the weights sum to 100 and adds the version digest. `file` names the source in the error. */
export function compileScorePolicy(
  p: z.output<typeof scorePolicySchema>,
  file = 'score policy',
): ScorePolicy {
  const sum = SCORE_COMPONENTS.reduce((s, c) => s + p.weights[c], 0);
  // Summed in floating point: 33.3 + 33.3 + 33.4 must pass, 90 must not.
  if (Math.abs(sum - 100) > 1e-9) {
    throw new ScorePolicyError(`${file}: weights: must sum to 100, they sum to ${Number(sum.toFixed(6))}`);
  }
  const canonical = JSON.stringify({
    w: SCORE_COMPONENTS.map((c) => [c, p.weights[c]]),
    o: p.onTimeHours,
    l: p.lateCredit,
    c: p.clickWeight,
    n: p.normalisationPercentile,
  });
  return { ...p, version: createHash('sha256').update(canonical).digest('hex').slice(0, 16) };
}

/** Reads and validates `content-library/engagement/score-policy.yaml` (or another file of that shape). */
export function loadScorePolicy(file: string): ScorePolicy {
  return compileScorePolicy(
    loadYamlFile(file, scorePolicySchema, (m) => new ScorePolicyError(m)),
    file,
  );
}
