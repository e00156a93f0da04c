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
