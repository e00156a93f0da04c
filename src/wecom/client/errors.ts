import { AppError } from '../../platform/errors.ts';

/** WeCom errcodes Helix treats specially (docs/wecom.md "Server API"). */
export const WECOM_ERRCODES = {
  systemBusy: -1,
  invalidSecret: 40001,
  invalidCorpId: 40013,
  invalidToken: 40014,
  /** A chat id no customer group has (groupchat/get, add_join_way). */
  invalidChatId: 40050,
  /** A bad field, e.g. a config_id that names no contact way (del_contact_way). */
  invalidParameter: 40058,
  tokenExpired: 42001,
  rateLimited: 45009,
  concurrencyLimited: 45033,
  noPermission: 48002,
  ipNotAllowed: 60020,
  allRecipientsInvalid: 81013,
  noRelationship: 84061,
  welcomeCodeUsed: 41051,
} as const;

/** Codes worth trying again (after a backoff or a token refresh). */
const RETRYABLE = new Set<number>([
  WECOM_ERRCODES.systemBusy,
  WECOM_ERRCODES.rateLimited,
  WECOM_ERRCODES.concurrencyLimited,
  WECOM_ERRCODES.invalidToken,
  WECOM_ERRCODES.tokenExpired,
]);

/** Codes that mean "the access token is no good": refresh it and retry once. */
export const TOKEN_ERRCODES = new Set<number>([
  WECOM_ERRCODES.invalidToken,
  WECOM_ERRCODES.tokenExpired,
  WECOM_ERRCODES.invalidSecret,
]);

/**
 * A failed WeCom API call. `errcode` is WeCom's (or one of ours below 0 for transport problems:
 * -1000 network, -1001 timeout, -1002 unexpected response, -1003 circuit open); `retryable` says whether
 * trying later can help.
 */
export class WecomApiError extends AppError {
  readonly api: string;
  readonly errcode: number;
  readonly errmsg: string;

  constructor(
    api: string,
    errcode: number,
    errmsg: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super('unavailable', {
      message: `WeCom ${api} failed: ${errcode} ${errmsg}`,
      // WeCom's own errmsg stays as WeCom wrote it: with the errcode it is what WeCom's docs index.
      zh:
        errcode < 0
          ? `暂时无法访问企业微信接口 ${api}（${errcode}），请稍后再试。`
          : `企业微信拒绝了 ${api} 调用：${errcode} ${errmsg}`,
      retryable: opts.retryable ?? RETRYABLE.has(errcode),
      details: { api, errcode },
      cause: opts.cause,
    });
    this.name = 'WecomApiError';
    this.api = api;
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}

/**
 * Transport-level pseudo errcodes (never sent by WeCom). `circuitOpen`: WeCom was unreachable just now, so the
 * call failed at once without a request (circuit-breaker.ts); it is retryable, later.
 */
export const TRANSPORT = {
  network: -1000,
  timeout: -1001,
  unexpectedResponse: -1002,
  circuitOpen: -1003,
} as const;
