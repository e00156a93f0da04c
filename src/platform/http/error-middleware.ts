import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError, type ErrorCode, isConnectionError, ZH_BY_CODE } from '../errors.ts';
import type { Log } from '../logger.ts';
import { maskPii } from '../pii/pii-detector.ts';
import { isRedisUnavailableError } from '../redis/connection.ts';
import { prefersChinese } from './locale.ts';
import { locals } from './request-context.ts';

// Errors raised by Express's own body parsers carry `type` and `status`.
const BODY_PARSER_ERRORS: Record<string, { code: ErrorCode; zh: string }> = {
  'entity.too.large': { code: 'payload_too_large', zh: '提交的内容超过大小上限。' },
  'entity.parse.failed': { code: 'bad_request', zh: '无法解析提交的内容（须为有效的 JSON）。' },
  'encoding.unsupported': { code: 'unsupported_media_type', zh: '不支持该内容编码。' },
  'charset.unsupported': { code: 'unsupported_media_type', zh: '不支持该字符集。' },
  'request.aborted': { code: 'bad_request', zh: '请求已被客户端中断。' },
  'request.size.invalid': { code: 'bad_request', zh: '提交内容的长度与声明的不符。' },
};

/** Normalises anything thrown into an AppError; unknown errors become a generic `internal`. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isConnectionError(err)) {
    return new AppError('db_unavailable', {
      message: 'database unavailable',
      zh: ZH_BY_CODE.db_unavailable,
      retryable: true,
      cause: err,
    });
  }
  // ioredis before its connection is up (or after it dropped) with the offline queue off: Redis is
  // unavailable for now, which the caller may retry, not a fault in Helix.
  if (isRedisUnavailableError(err)) {
    return new AppError('unavailable', {
      message: 'Redis unavailable',
      zh: ZH_BY_CODE.unavailable,
      retryable: true,
      cause: err,
    });
  }
  // Express throws a URIError when a path parameter's percent-encoding does not decode; the API's input
  // guard refuses such paths first, and this keeps every other route from answering 500 for them.
  if (err instanceof URIError) {
    return new AppError('invalid_encoding', {
      message: 'the URL is not valid percent-encoding',
      zh: '网址的编码无效（须为 UTF-8 百分号编码）。',
      cause: err,
    });
  }
  const type = (err as { type?: unknown } | null)?.type;
  const parser = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
  if (parser) {
    return new AppError(parser.code, { message: (err as Error).message, zh: parser.zh, cause: err });
  }
  return new AppError('internal', { message: 'internal error', zh: ZH_BY_CODE.internal, cause: err });
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

/** What the caller reads: in Chinese when asked for, and never an internal error's details (those are logged). */
function messageFor(e: AppError, zh: boolean): string {
  if (e.code === 'internal') return zh ? ZH_BY_CODE.internal : 'internal error';
  return zh ? (e.zh ?? ZH_BY_CODE[e.code]) : (e.userMessage ?? e.message);
}

/**
 * The one error-to-HTTP mapper: `{ error: { code, message, requestId, problems? } }`, with a log line for
 * every error. The code is for machines and never changes; a caller whose `Accept-Language` prefers Chinese
 * (the console) gets `message` and `problems` in Chinese, everyone else the English.
 */
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
    const zh = prefersChinese(req);
    const message = messageFor(e, zh);
    // A rejected input lists its problems (invalid fields, bad import rows) so the caller can fix them all;
    // in Chinese where the thrower gave a Chinese twin (`problemDetails`), each keeping its field part.
    const problems =
      e.code === 'internal' ? undefined : ((zh ? e.details?.zhProblems : undefined) ?? e.details?.problems);
    res
      .status(e.status)
      .json({ error: { code: e.code, message, requestId, ...(problems ? { problems } : {}) } });
  };
}
