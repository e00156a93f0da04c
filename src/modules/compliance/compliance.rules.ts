import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';

const phrase = z.string().min(1).max(40);

/** Product risk levels, lowest to highest. */
export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
/** A product risk level. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

const rulesSchema = z
  .object({
    context: z
      .object({
        windowChars: z.number().int().min(1).max(50),
        negations: z.array(phrase).min(1),
        notNegations: z.array(phrase).default([]),
        citations: z.array(phrase).default([]),
      })
      .strict(),
    bannedClaims: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{1,64}$/),
            name: z.string().min(1).max(40),
            severity: z.enum(['block', 'warn']),
            phrases: z.array(phrase).min(1),
            suggestion: z.string().min(1).max(200),
          })
          .strict(),
      )
      .min(1),
    disclosures: z
      .object({
        base: z.array(phrase).min(1),
        byLevel: z.object(Object.fromEntries(RISK_LEVELS.map((l) => [l, z.array(phrase)]))).strict(),
      })
      .strict(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const seen = new Map<string, string>();
    r.bannedClaims.forEach((c, i) => {
      if (r.bannedClaims.findIndex((x) => x.id === c.id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['bannedClaims', i, 'id'],
          message: `duplicate rule id "${c.id}"`,
        });
      c.phrases.forEach((p, j) => {
        const other = seen.get(p);
        if (other && other !== c.id)
          ctx.addIssue({
            code: 'custom',
            path: ['bannedClaims', i, 'phrases', j],
            message: `"${p}" is already a phrase of rule "${other}"`,
          });
        seen.set(p, c.id);
      });
    });
  });

/** The compliance rules as written in `content-library/compliance/rules.yaml`. */
export type ComplianceRules = z.output<typeof rulesSchema>;

/** Thrown for a rules file that cannot be used; the message names the file, the field and the reason. */
export class ComplianceRulesError extends Error {}

/** Reads and validates a rules file. */
export function loadComplianceRules(file: string): ComplianceRules {
  return loadYamlFile(file, rulesSchema, (m) => new ComplianceRulesError(m));
}
