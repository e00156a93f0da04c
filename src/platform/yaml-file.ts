import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';

/**
 * Reads a YAML file and validates it with `schema`. Any problem throws `makeError` with one line per
 * problem: `<file>: <field path>: <reason>`, so a broken content file says exactly what to fix.
 */
export function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  makeError: (message: string) => Error,
): z.output<S> {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw makeError(`${file}: not readable YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw makeError(
      parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n'),
    );
  }
  return parsed.data;
}
