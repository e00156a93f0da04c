import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { FindingSeverity } from '../approvals/maker-checker.ts';
import type { ComplianceChecker } from '../compliance/compliance.service.ts';
import {
  type Component,
  componentSchema,
  type Persona,
  personasSchema,
  type VariableSpec,
} from './content.schemas.ts';
import { type Channel, channelTemplates, fill, limitProblems, PLACEHOLDER } from './render.ts';

/**
 * One lint problem: the file, the field path, the reason. In the maker–checker vocabulary: `block` fails
 * lint and boot (and approval, on a draft), `warn` does not.
 */
export type ContentProblem = { file: string; field: string; message: string; severity: FindingSeverity };

/** A library component with the file it came from and its content hash (its version). */
export type LibraryComponent = { component: Component; file: string; hash: string };

/** The loaded library. */
export type ContentLibrary = {
  components: Map<string, LibraryComponent>;
  personas: Map<string, Persona>;
  problems: ContentProblem[];
  ok: boolean;
};

/** Thrown at boot for a library with errors; the message lists every problem. */
export class ContentLibraryError extends Error {}

const CHANNELS: Channel[] = ['text', 'markdown', 'news', 'template_card'];

// The longest value each type can render to, so byte limits hold for every real value.
function worstCase(spec: VariableSpec): string {
  if (spec.type === 'string') return '国'.repeat(spec.maxLength);
  if (spec.type === 'money') return '¥999,999,999.99';
  if (spec.type === 'percent') return '-100.00%';
  if (spec.type === 'date') return '2026年12月31日';
  return '-999999999999';
}

function readYaml(file: string, problems: ContentProblem[]): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push({
      file,
      field: '(file)',
      message: `not readable YAML: ${(err as Error).message}`,
      severity: 'block',
    });
    return undefined;
  }
}

/**
 * Lints one component: variables (undeclared, unused), channel limits with the longest declared values, and
 * the compliance rules on every rendering. `file` labels the problems (a path, or `api:<id>`).
 */
export function lintComponent(
  c: Component,
  file: string,
  check: ComplianceChecker | undefined,
): ContentProblem[] {
  const out: ContentProblem[] = [];
  const error = (field: string, message: string) => out.push({ file, field, message, severity: 'block' });
  if (file.endsWith('.yaml') && path.basename(file, '.yaml') !== c.id)
    error('id', `must match the file name (${path.basename(file)})`);
  const declared = new Set(Object.keys(c.variables));
  const used = new Set<string>();
  c.variants.forEach((v, i) => {
    for (const channel of CHANNELS) {
      const templates = channelTemplates(v.renderings, channel);
      if (!templates) continue;
      const field = `variants.${i}.renderings.${channel}`;
      for (const [key, template] of Object.entries(templates)) {
        for (const m of template.matchAll(PLACEHOLDER)) {
          const name = m[1] as string;
          used.add(name);
          if (!declared.has(name))
            error(
              `${field}${channel === 'text' || channel === 'markdown' ? '' : `.${key}`}`,
              `uses undeclared variable "${name}"`,
            );
        }
      }
      const worst = new Map(Object.entries(c.variables).map(([n, s]) => [n, worstCase(s)]));
      const filled = Object.fromEntries(Object.entries(templates).map(([k, t]) => [k, fill(t, worst)]));
      for (const p of limitProblems(channel, filled)) error(field, `${p} with the longest declared values`);
      if (check) {
        const text = Object.values(templates).join('\n');
        const result = check.check(text, c.productRiskLevel ? { productRiskLevel: c.productRiskLevel } : {});
        for (const f of result.findings) {
          out.push({
            file,
            field,
            message: `compliance ${f.kind} ${f.rule}${f.kind === 'missing-disclosure' ? '' : ` at "${text.slice(...f.span)}"`}: ${f.suggestion}`,
            severity: f.severity,
          });
        }
      }
    }
  });
  for (const name of declared) if (!used.has(name)) error(`variables.${name}`, 'is declared but never used');
  return out;
}

/**
 * Loads `components/*.yaml` and `personas/personas.yaml` under `dir`, validating each file: its schema,
 * variables (undeclared or unused), channel byte limits on the longest declared values, duplicate ids,
 * and, given a checker, compliance (blocking findings are errors, warnings stay warnings).
 */
export function loadContentLibrary(dir: string, opts: { check?: ComplianceChecker } = {}): ContentLibrary {
  const problems: ContentProblem[] = [];
  const components = new Map<string, LibraryComponent>();
  const personas = new Map<string, Persona>();
  const personasFile = path.join(dir, 'personas', 'personas.yaml');
  const rawPersonas = readYaml(personasFile, problems);
  if (rawPersonas !== undefined) {
    const parsed = personasSchema.safeParse(rawPersonas);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        problems.push({
          file: personasFile,
          field: i.path.join('.') || '(file)',
          message: i.message,
          severity: 'block',
        });
    } else for (const p of parsed.data.personas) personas.set(p.id, p);
  }
  const componentsDir = path.join(dir, 'components');
  const files = readdirSync(componentsDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  for (const name of files) {
    const file = path.join(componentsDir, name);
    const text = readFileSync(file, 'utf8');
    const raw = readYaml(file, problems);
    if (raw === undefined) continue;
    const parsed = componentSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        problems.push({ file, field: i.path.join('.') || '(file)', message: i.message, severity: 'block' });
      continue;
    }
    const c = parsed.data;
    const seen = components.get(c.id);
    if (seen) {
      problems.push({
        file,
        field: 'id',
        message: `duplicate id "${c.id}" (also ${seen.file})`,
        severity: 'block',
      });
      continue;
    }
    problems.push(...lintComponent(c, file, opts.check));
    components.set(c.id, { component: c, file, hash: createHash('sha256').update(text).digest('hex') });
  }
  return { components, personas, problems, ok: !problems.some((p) => p.severity === 'block') };
}

/** One line per problem: `error|warning <file>: <field>: <reason>` (the words people reading lint output know). */
export const formatProblem = (p: ContentProblem) =>
  `${p.severity === 'block' ? 'error' : 'warning'} ${p.file}: ${p.field}: ${p.message}`;

/** The boot-time check: loads the library and throws, listing every error, when it has any. */
export function loadContentLibraryOrThrow(
  dir: string,
  opts: { check?: ComplianceChecker } = {},
): ContentLibrary {
  const library = loadContentLibrary(dir, opts);
  if (!library.ok) {
    throw new ContentLibraryError(
      `content library has errors:\n${library.problems
        .filter((p) => p.severity === 'block')
        .map(formatProblem)
        .join('\n')}`,
    );
  }
  return library;
}
