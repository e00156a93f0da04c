import { stdSerializers } from 'pino';
import { maskPii } from './pii-detector.ts';

// Drizzle's query error puts every bound parameter into its message ("Failed query: …\nparams: a,b,c"), and
// the message is copied into the stack and into every wrapping error's message. Parameters are client data
// (IDs, phone numbers, card numbers, whole callback payloads), so none of them may reach a log or a stored
// error text. The exact `params:` text is removed where the error is known; any other `params:` line is cut
// to its label; and whatever is left goes through the PII masker (PostgreSQL repeats values in its own
// messages and details, e.g. `invalid input syntax for type integer: "…"` or `Key (x)=(…) already exists`).

const PARAMS_REDACTED = 'params: [redacted]';
const LOOSE_PARAMS_LINE = /(^|\n)params: (?!\[redacted\])[^\n]*/g;
const MAX_DEPTH = 8;
const MAX_CAUSES = 8;

type ErrorLike = { message: string; params?: unknown; cause?: unknown; errors?: unknown };

const isErrorLike = (v: unknown): v is ErrorLike =>
  typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string';

/** The exact `params: …` texts of `err`, its causes and aggregated errors, as Drizzle wrote them. */
function paramTexts(err: unknown, out: string[] = [], depth = 0): string[] {
  if (!isErrorLike(err) || depth > MAX_CAUSES) return out;
  if (Array.isArray(err.params) && err.params.length > 0) out.push(`params: ${String(err.params)}`);
  if (Array.isArray(err.errors)) for (const e of err.errors) paramTexts(e, out, depth + 1);
  if (err.cause !== err) paramTexts(err.cause, out, depth + 1);
  return out;
}

/** `text` without query parameters and with PII masked; `params` are known `params: …` texts to drop. */
export function scrubText(text: string, params: readonly string[] = []): string {
  let out = text;
  for (const p of params) out = out.replaceAll(p, PARAMS_REDACTED);
  out = out.replace(LOOSE_PARAMS_LINE, `$1${PARAMS_REDACTED}`);
  return maskPii(out);
}

/**
 * A loggable copy of `value`: strings scrubbed, errors serialized safely, nested objects copied. Depth and
 * cycles are cut the way pino's own stringifier cuts them.
 */
export function scrubValue(
  value: unknown,
  params: readonly string[] = [],
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return scrubText(value, params);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return serializeError(value);
  if (depth >= MAX_DEPTH) return '[...]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    // What JSON.stringify would print: a URL's href, a Date's ISO string, a Buffer's bytes.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const json: unknown = toJSON.call(value);
      return json === value ? json : scrubValue(json, params, depth + 1, seen);
    }
    if (Array.isArray(value)) return value.map((v) => scrubValue(v, params, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = scrubValue(v, params, depth + 1, seen);
    return copy;
  } finally {
    seen.delete(value);
  }
}

/**
 * pino's error shape (type, message and stack with causes, own fields) with query parameters dropped and
 * PII masked everywhere. `params` fields are removed outright rather than masked: a parameter need not look
 * like PII to be client data.
 */
export function serializeError(err: unknown): unknown {
  if (!isErrorLike(err)) return scrubValue(err);
  const params = paramTexts(err);
  const serialized = stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  return scrubValue(withoutParams(serialized), params);
}

// Errors aggregated into `err` arrive serialized the same way, each with its own `params` field.
function withoutParams(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return e;
  const { params: _dropped, aggregateErrors, ...rest } = e as Record<string, unknown>;
  return Array.isArray(aggregateErrors)
    ? { ...rest, aggregateErrors: aggregateErrors.map(withoutParams) }
    : rest;
}

/** One line describing `err` (its message and its causes') that is safe to store or show to operators. */
export function describeError(err: unknown): string {
  if (!isErrorLike(err)) return scrubText(String(err));
  const serialized = stdSerializers.err(err as Error) as unknown as { message: string };
  return scrubText(serialized.message, paramTexts(err));
}

/**
 * Rewrites `err`'s own message and stack without query parameters or PII, for stores outside the logger
 * that keep a thrown error's text (BullMQ saves a failed job's message and stack in Redis). Causes are left
 * as they are: those stores never read them, and the logger scrubs them.
 */
export function scrubErrorInPlace(err: unknown): void {
  if (!(err instanceof Error)) return;
  const params = paramTexts(err);
  err.message = scrubText(err.message, params);
  if (err.stack) err.stack = scrubText(err.stack, params);
}
