import { createHash } from 'node:crypto';
import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';

/** The kinds of contribution that count toward a KOC candidate score. */
export const KOC_KINDS = ['helpful_answer', 'shared_click', 'referral_activated', 'event_attended'] as const;

/** One kind of KOC contribution. */
export type KocKind = (typeof KOC_KINDS)[number];

const weight = z.number().min(0).max(1000);

/** The weights file's schema: every kind needs a weight, and the half-life is in days. */
export const kocWeightsSchema = z
  .object({
    halfLifeDays: z.number().positive().max(3650),
    weights: z
      .object({
        helpful_answer: weight,
        shared_click: weight,
        referral_activated: weight,
        event_attended: weight,
      })
      .strict(),
  })
  .strict();

/** The weights as configured, plus the half-life in milliseconds and a version naming this configuration. */
export type KocWeights = z.output<typeof kocWeightsSchema> & { halfLifeMs: number; version: string };

/** Thrown for a weights file that cannot be used; the message names the file, the field and the reason. */
export class KocWeightsError extends Error {}

/** Prepares parsed weights: the half-life in ms and a short digest that changes whenever the scoring does. */
export function compileKocWeights(w: z.output<typeof kocWeightsSchema>): KocWeights {
  const canonical = JSON.stringify({
    h: w.halfLifeDays,
    w: KOC_KINDS.map((k) => [k, w.weights[k]]),
  });
  return {
    ...w,
    halfLifeMs: w.halfLifeDays * 24 * 3600 * 1000,
    version: createHash('sha256').update(canonical).digest('hex').slice(0, 16),
  };
}

/** Reads and validates `content-library/koc/weights.yaml` (or another file with the same shape). */
export function loadKocWeights(file: string): KocWeights {
  return compileKocWeights(loadYamlFile(file, kocWeightsSchema, (m) => new KocWeightsError(m)));
}

/** `value` decayed over `ageMs` with the configured half-life: halves once per half-life. */
export function decay(value: number, ageMs: number, halfLifeMs: number): number {
  return value * 2 ** (-Math.max(0, ageMs) / halfLifeMs);
}
