import { z } from 'zod';
import { normalizePhrase } from '../../platform/text/normalize.ts';
import { loadYamlFile } from '../../platform/yaml-file.ts';
import { expandPhrasePattern, PhrasePatternError } from './phrase-pattern.ts';

const phrase = z.string().min(1).max(40);
const word = z.string().min(1).max(10);
// A phrase pattern spells out its alternatives, so it may be longer than any phrase it stands for.
const pattern = z.string().min(1).max(100);

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
            // Plain phrases or phrase patterns (phrase-pattern.ts).
            phrases: z.array(pattern).min(1),
            // Two words in any order: one from each list, in one clause, at most `within` characters apart.
            together: z
              .object({
                words: z.tuple([z.array(word).min(1), z.array(word).min(1)]),
                within: z.number().int().min(0).max(20),
              })
              .strict()
              .optional(),
            // Phrase patterns for wordings that contain a match but are not the claim (会不会亏, 保证金):
            // a match overlapping one of them does not count.
            except: z.array(pattern).default([]),
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
    // Phrases meet text in normalised form, so 穩賺 and 稳赚 are the same phrase and may not name two rules.
    const seen = new Map<string, string>();
    r.bannedClaims.forEach((c, i) => {
      if (r.bannedClaims.findIndex((x) => x.id === c.id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['bannedClaims', i, 'id'],
          message: `duplicate rule id "${c.id}"`,
        });
      const check = (field: 'phrases' | 'except', list: string[]) =>
        list.forEach((p, j) => {
          const path = ['bannedClaims', i, field, j];
          let expanded: string[];
          try {
            expanded = expandPhrasePattern(p);
          } catch (err) {
            if (!(err instanceof PhrasePatternError)) throw err;
            ctx.addIssue({ code: 'custom', path, message: `"${p}" ${err.message}` });
            return;
          }
          if (field === 'except') return;
          for (const e of expanded) {
            const key = normalizePhrase(e);
            const other = seen.get(key);
            if (other && other !== c.id)
              ctx.addIssue({
                code: 'custom',
                path,
                message: `"${e}" is already a phrase of rule "${other}"`,
              });
            seen.set(key, c.id);
          }
        });
      check('phrases', c.phrases);
      check('except', c.except);
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
