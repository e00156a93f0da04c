import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError, type ErrorCode, isConnectionError } from '../errors.ts';
import type { Log } from '../logger.ts';
import { maskPii } from '../pii/pii-detector.ts';
import { isRedisUnavailableError } from '../redis/connection.ts';
import { locals } from './request-context.ts';

// Errors raised by Express's own body parsers carry `type` and `status`.
const BODY_PARSER_ERRORS: Record<string, ErrorCode> = {
  'entity.too.large': 'payload_too_large',
  'entity.parse.failed': 'bad_request',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
  'request.aborted': 'bad_request',
  'request.size.invalid': 'bad_request',
};

/** Normalises anything thrown into an AppError; unknown errors become a generic `internal`. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isConnectionError(err)) {
    return new AppError('db_unavailable', { message: 'database unavailable', retryable: true, cause: err });
  }
  // ioredis before its connection is up (or after it dropped) with the offline queue off: Redis is
  // unavailable for now, which the caller may retry, not a fault in Helix.
  if (isRedisUnavailableError(err)) {
    return new AppError('unavailable', { message: 'Redis unavailable', retryable: true, cause: err });
  }
  // Express throws a URIError when a path parameter's percent-encoding does not decode; the API's input
  // guard refuses such paths first, and this keeps every other route from answering 500 for them.
  if (err instanceof URIError) {
    return new AppError('invalid_encoding', { message: 'the URL is not valid percent-encoding', cause: err });
  }
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && BODY_PARSER_ERRORS[type]) {
    return new AppError(BODY_PARSER_ERRORS[type], { message: (err as Error).message, cause: err });
  }
  return new AppError('internal', { message: 'internal error', cause: err });
}

/**
 * Where a request went, for its log line. The path goes through the PII masker (a client's ID or phone
 * number can be a path segment) and loses its query string (callback signatures, search terms); the matched
 * route's pattern, relative to its router, is added when there is one.
 */
function requestPlace(req: Request): { method: string; path: string; route?: string } {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  const path = maskPii(req.originalUrl.split('?')[0] ?? '');
  return typeof pattern === 'string'
    ? { method: req.method, path, route: pattern }
    : { method: req.method, path };
}

/** The one error-to-HTTP mapper: `{ error: { code, message, requestId } }`, with a log line for every error. */
export function errorMiddleware(log: Log) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toAppError(err);
    // Callback routes skip the request-id middleware on their hot path; an error still gets an id.
    const requestId = locals(res).requestId ?? randomUUID();
    const where = requestPlace(req);
    if (e.code === 'internal') log.error({ err, requestId, ...where }, 'unhandled error');
    else {
      // A flood of rejections the thrower already logged (throttled) must not become a flood of lines here.
      const fields = { code: e.code, reason: e.details?.reason, error: e.message, requestId, ...where };
      if (e.logged) log.debug(fields, 'request rejected');
      else log.warn(fields, 'request rejected');
    }
    if (res.headersSent) return;
    // Internal details stay in the log; the caller sees the user message or the code's generic message.
    const message = e.code === 'internal' ? 'internal error' : (e.userMessage ?? e.message);
    // A rejected input lists its problems (invalid fields, bad import rows) so the caller can fix them all.
    const problems = e.code === 'internal' ? undefined : e.details?.problems;
    res
      .status(e.status)
      .json({ error: { code: e.code, message, requestId, ...(problems ? { problems } : {}) } });
  };
}
