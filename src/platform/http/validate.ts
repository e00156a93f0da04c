import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { hasNul } from '../db/storable-text.ts';
import { AppError } from '../errors.ts';
import { zhIssueMessage } from './locale.ts';

/**
 * One problem with an input, `field: reason`: a string, or the English with its Chinese twin (the field
 * part the same in both, since the console matches problems to fields by it).
 */
export type Problem = string | { en: string; zh: string };

/**
 * The `details` of a rejected input: `problems` in English (the default answer) and `zhProblems`, the same
 * list in Chinese where a twin exists, answered to callers who prefer Chinese.
 */
export function problemDetails(list: readonly Problem[]): { problems: string[]; zhProblems: string[] } {
  return {
    problems: list.map((p) => (typeof p === 'string' ? p : p.en)),
    zhProblems: list.map((p) => (typeof p === 'string' ? p : p.zh)),
  };
}

/**
 * zod issues as `path: reason` problems, `root` naming an issue without a path. Parse with
 * `{ reportInput: true }` so the Chinese can name the type received (`zhIssueMessage`); the inputs stay
 * here, never in the problems.
 */
export function zodProblems(issues: readonly z.core.$ZodIssue[], root: string): Problem[] {
  return issues.map((i) => {
    const field = i.path.join('.') || root;
    return { en: `${field}: ${i.message}`, zh: `${field}: ${zhIssueMessage(i)}` };
  });
}

// How the Chinese names what was invalid; anything else keeps its own name.
const WHAT_ZH: Record<string, string> = { body: '提交的内容', query: '查询参数', path: '网址中的参数' };

/** The 400 for invalid input: every problem listed, in the message too, in English and in Chinese. */
function rejected(list: readonly Problem[], what: string): AppError {
  const details = problemDetails(list);
  return new AppError('bad_request', {
    message: `invalid ${what}: ${details.problems.join('; ')}`,
    zh: `${WHAT_ZH[what] ?? what}有误：${details.zhProblems.join('；')}`,
    details,
  });
}

/** Parses `value` with `schema` or throws a 400 that names every invalid field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  throw rejected(zodProblems(r.error.issues, what), what);
}

/**
 * A 400 for input that is well-formed but names something that does not exist (an unknown RM, persona,
 * group key), in the same shape as a schema failure: `problems` lists `field: reason`, each a string or an
 * `{ en, zh }` pair.
 */
export function invalidInput(problems: readonly Problem[], what = 'body'): AppError {
  return rejected(problems, what);
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
    zh: `${field}: 含有无法保存的空字符（U+0000）。`,
    details: problemDetails([
      { en: `${field}: must not contain a NUL character (U+0000)`, zh: `${field}: 不能含有空字符（U+0000）` },
    ]),
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
        zh: '网址路径的编码无效（须为 UTF-8 百分号编码）。',
      });
    }
    if (hasNul(decodeURIComponent(path))) throw nulRejected('path');
    if (q >= 0) {
      for (const part of url.slice(q + 1).split('&')) {
        if (decodes(part)) continue;
        const key = part.split('=', 1)[0] ?? '';
        const param = decodes(key) ? `query.${printable(decodeURIComponent(key))}` : undefined;
        throw new AppError('invalid_encoding', {
          message: `${param ?? 'a query parameter'} is not valid percent-encoding (UTF-8)`,
          zh: `${param ?? '某个查询参数'} 的编码无效（须为 UTF-8 百分号编码）。`,
        });
      }
    }
    const field = findNulField(req.query, 'query') ?? findNulField(req.body, 'body');
    if (field !== undefined) throw nulRejected(field);
    next();
  };
}
