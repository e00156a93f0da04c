import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';

const placeholder = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;
const TEXT_PLACEHOLDERS = new Set(['client.name', 'rm.name']);

const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    persona: z.string().min(1).max(64),
    tier: z.string().min(1).max(32),
    text: z.string().min(1).max(1000),
    joinLine: z.string().min(1).max(500),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const [field, allowed] of [
      ['text', TEXT_PLACEHOLDERS],
      ['joinLine', new Set([...TEXT_PLACEHOLDERS, 'joinLink'])],
    ] as const) {
      for (const m of t[field].matchAll(placeholder)) {
        if (!allowed.has(m[1] ?? '')) {
          ctx.addIssue({ code: 'custom', path: [field], message: `unknown placeholder {{${m[1]}}}` });
        }
      }
    }
  });

const fileSchema = z
  .object({ fallbackPersona: z.string().min(1), templates: z.array(templateSchema).min(1).max(500) })
  .strict();

/** One welcome template for a persona and tier. */
export type WelcomeTemplate = z.infer<typeof templateSchema>;

/** The welcome templates, looked up by persona and tier. */
export type WelcomeTemplates = ReturnType<typeof loadWelcomeTemplates>;

/** Loads and validates the templates file; a bad file throws naming the file, the field and the reason. */
export function loadWelcomeTemplates(
  file: string,
  opts: { check?: (text: string) => { ok: boolean; findings: { rule: string }[] } } = {},
) {
  const { fallbackPersona, templates } = loadYamlFile(file, fileSchema, (m) => new Error(m));
  const byKey = new Map(templates.map((t) => [`${t.persona}\u0000${t.tier}`, t]));
  if (![...byKey.values()].some((t) => t.persona === fallbackPersona && t.tier === 'basic')) {
    throw new Error(`${file}: fallbackPersona: "${fallbackPersona}" has no basic-tier template`);
  }
  // Welcome texts reach clients: a blocking compliance finding in any of them stops the start.
  if (opts.check) {
    const problems = templates.flatMap((t, i) =>
      (['text', 'joinLine'] as const).flatMap((field) => {
        const r = opts.check?.(t[field]);
        return r && !r.ok
          ? [`${file}: templates.${i}.${field}: compliance ${r.findings.map((f) => f.rule).join(', ')}`]
          : [];
      }),
    );
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }
  return {
    /** The template for this persona and tier, falling back to the default persona, then to basic. */
    pick(persona: string | null, tier: string): WelcomeTemplate {
      return (
        byKey.get(`${persona}\u0000${tier}`) ??
        byKey.get(`${fallbackPersona}\u0000${tier}`) ??
        (byKey.get(`${persona}\u0000basic`) as WelcomeTemplate | undefined) ??
        (byKey.get(`${fallbackPersona}\u0000basic`) as WelcomeTemplate)
      );
    },
  };
}

/** Fills a template; the join line is added only when there is a link to join. */
export function renderWelcome(
  t: WelcomeTemplate,
  vars: { clientName: string | null; rmName: string; joinLink: string | null },
): string {
  const fill = (s: string) =>
    s.replace(placeholder, (_m, key: string) =>
      key === 'client.name'
        ? (vars.clientName ?? '')
        : key === 'rm.name'
          ? vars.rmName
          : (vars.joinLink ?? ''),
    );
  const text = fill(t.text);
  return vars.joinLink ? `${text}\n${fill(t.joinLine)}` : text;
}
