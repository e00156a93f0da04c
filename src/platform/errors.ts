/** The small vocabulary of failures Helix reports; each maps to one HTTP status in one table. */
export const ERROR_STATUS = {
  bad_request: 400,
  // A URL whose percent-encoding does not decode to UTF-8 (e.g. `%E0%A4%A`, `%C3%28`).
  invalid_encoding: 400,
  invalid_signature: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  token_expired: 401,
  rate_limited: 429,
  internal: 500,
  db_unavailable: 503,
  unavailable: 503,
} as const;

/** A Helix error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The Chinese sentence a caller who prefers Chinese sees for a code when the error has no `zh` of its own
 * (and always for `internal`). Typed over every code, so a new code cannot ship without one.
 */
export const ZH_BY_CODE: Readonly<Record<ErrorCode, string>> = {
  bad_request: '提交的内容有误，请检查后重试。',
  invalid_encoding: '网址的编码无效（须为 UTF-8 百分号编码）。',
  invalid_signature: '签名校验未通过。',
  unauthenticated: '您尚未登录或登录凭证无效，请重新登录。',
  forbidden: '您无权执行此操作。',
  not_found: '在您的权限范围内没有找到该内容。',
  conflict: '该操作与当前状态冲突，请刷新后重试。',
  payload_too_large: '提交的内容超过大小上限。',
  unsupported_media_type: '不支持该内容格式。',
  token_expired: '登录已过期，请重新登录。',
  rate_limited: '操作过于频繁，请稍后再试。',
  internal: '系统内部错误，请稍后再试。',
  db_unavailable: '数据库暂时不可用，请稍后再试。',
  unavailable: '服务暂时不可用，请稍后再试。',
};

/**
 * A failure Helix expected. `message` is for logs and operators; `userMessage` (optional) is safe to show a
 * client or RM; `zh` is the same refusal in Simplified Chinese, answered to callers who prefer Chinese (no
 * PII in it); `retryable` tells jobs and callers whether trying again can help.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string | undefined;
  readonly zh: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  /** The thrower already logged this (throttled); the error middleware then logs it at debug only. */
  readonly logged: boolean;

  constructor(
    code: ErrorCode,
    opts: {
      message: string;
      userMessage?: string;
      zh?: string;
      retryable?: boolean;
      details?: Record<string, unknown>;
      logged?: boolean;
      cause?: unknown;
    },
  ) {
    super(opts.message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = opts.userMessage;
    this.zh = opts.zh;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
    this.logged = opts.logged ?? false;
  }

  /** The HTTP status this error maps to. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** True for errors that mean "the database could not be reached", as opposed to a bad query. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    // Node socket errors, and PostgreSQL classes 08 (connection exception) and 57P (operator intervention).
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code))
      return true;
    // 57014: statement_timeout cancelled the query, so the database is too slow to serve it now.
    if (code.startsWith('08') || code.startsWith('57P') || code === '57014') return true;
  }
  const message = err instanceof Error ? err.message : '';
  if (
    /Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout|timeout exceeded when trying to connect/i.test(
      message,
    )
  )
    return true;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== err ? isConnectionError(cause) : false;
}

/** True for a PostgreSQL unique violation (23505), also when wrapped by the query builder. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
