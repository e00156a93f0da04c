import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { hasNul } from '../db/storable-text.ts';
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

/** PostgreSQL `integer` (int4) range: a larger number in a path or body fails in SQL, not in validation. */
export const PG_INT_MAX = 2_147_483_647;
/**
 * The largest `bigint`/`bigserial` id Helix accepts. Ids are JS numbers (drizzle `mode: 'number'`), so the
 * bound is the safe-integer range, which lies inside PostgreSQL's int8.
 */
export const PG_ID_MAX = Number.MAX_SAFE_INTEGER;

// A field name in an error message: bounded, and with any NUL shown rather than carried into the log.
const printable = (key: string) => JSON.stringify(key.slice(0, 64)).slice(1, -1);

/**
 * The path of the first string (or object key) in `value` that holds U+0000, e.g. `body.client.name`, or
 * undefined. The walk uses an explicit stack: a 1 MB JSON body can nest deeper than the call stack allows.
 */
export function findNulField(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, path] = item;
    if (typeof v === 'string') {
      if (hasNul(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (Buffer.isBuffer(v)) {
      // Raw uploads are bytes, not text yet: decodeUpload refuses control characters once it decodes them.
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (hasNul(k)) return `${path}.${printable(k)}`;
        stack.push([child, `${path}.${printable(k)}`]);
      }
    }
  }
  return undefined;
}

const decodes = (s: string) => {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

const nulRejected = (field: string) =>
  new AppError('bad_request', {
    message: `${field}: contains a NUL character (U+0000), which cannot be stored`,
    details: { problems: [`${field}: must not contain a NUL character (U+0000)`] },
  });

/**
 * The shared input guard for the API, run before any route reads its input. It refuses what no route can
 * use and what would otherwise surface as a 500 deep inside: a path or query string whose percent-encoding
 * does not decode (Express would throw a URIError while matching the route), and U+0000 anywhere in the
 * path, the query or a parsed body (PostgreSQL text cannot store it). Values never appear in the error,
 * only the field's name, so the log line carries no client data.
 *
 * Mounted once after the API's JSON parser; a route with its own body parser (file uploads as text) mounts
 * it again after that parser, so its body is checked too.
 */
export function guardRequestInput() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!decodes(path)) {
      throw new AppError('invalid_encoding', {
        message: 'the URL path is not valid percent-encoding (UTF-8)',
      });
    }
    if (hasNul(decodeURIComponent(path))) throw nulRejected('path');
    if (q >= 0) {
      for (const part of url.slice(q + 1).split('&')) {
        if (decodes(part)) continue;
        const key = part.split('=', 1)[0] ?? '';
        const name = decodes(key) ? `query.${printable(decodeURIComponent(key))}` : 'a query parameter';
        throw new AppError('invalid_encoding', {
          message: `${name} is not valid percent-encoding (UTF-8)`,
        });
      }
    }
    const field = findNulField(req.query, 'query') ?? findNulField(req.body, 'body');
    if (field !== undefined) throw nulRejected(field);
    next();
  };
}
