import type { z } from 'zod';
import { AppError } from '../errors.ts';

/** Parses `value` with `schema` or throws a 400 that names every invalid field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  throw new AppError('bad_request', {
    message: `invalid ${what}: ${problems.join('; ')}`,
    details: { problems },
  });
}

/**
 * A 400 for input that is well-formed but names something that does not exist (an unknown RM, persona,
 * group key), in the same shape as a schema failure: `problems` lists `field: reason`.
 */
export function invalidInput(problems: string[], what = 'body'): AppError {
  return new AppError('bad_request', {
    message: `invalid ${what}: ${problems.join('; ')}`,
    details: { problems },
  });
}
