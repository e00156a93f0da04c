import type { Request, Response } from 'express';
import type { z } from 'zod';

/**
 * Small helpers every emulated endpoint shares: WeCom answers HTTP 200 with `{errcode, errmsg}` for every
 * business failure, so the emulator does too (developer.work.weixin.qq.com/document/path/90313 全局错误码).
 */

/** The errcodes the emulator produces, with WeCom's errmsg wording. */
export const EMU_ERR = {
  busy: [-1, 'system busy'],
  invalidSecret: [40001, 'invalid credential'],
  invalidCorpId: [40013, 'invalid corpid'],
  invalidCode: [40029, 'invalid code'],
  invalidToken: [40014, 'invalid access_token'],
  // WeCom's real code for an unparseable body is 47001; the emulator folds it into 40058 so a client sees one
  // "your request is wrong" code for both malformed JSON and bad fields.
  invalidChatId: [40050, 'chatid not found'],
  invalidParameter: [40058, 'invalid parameter'],
  invalidTagId: [40068, 'invalid tagid'],
  missingToken: [41001, 'access_token missing'],
  welcomeCodeInvalid: [41051, 'welcome code expired or used'],
  tokenExpired: [42001, 'access_token expired'],
  textTooLong: [44004, 'text content is too long'],
  rateLimited: [45009, 'api freq out of limit'],
  userNotFound: [60111, 'userid not found'],
  allRecipientsInvalid: [81013, 'user & party & tag all invalid'],
  noRelationship: [84061, 'not external contact'],
  invalidWebhookKey: [93000, 'invalid webhook url'],
  // WeCom documents the limit (3 reminders per task in 24 h) but not the code it answers with; the emulator
  // uses one its clients treat as final, so a refused reminder is not retried.
  remindLimitReached: [41048, 'remind limit reached for this mass message'],
} as const satisfies Record<string, readonly [number, string]>;

/** One of the emulator's error names. */
export type EmuErr = keyof typeof EMU_ERR;

/** Answers a WeCom-style failure: HTTP 200, a non-zero errcode. */
export function fail(res: Response, err: EmuErr, detail?: string): void {
  const [errcode, errmsg] = EMU_ERR[err];
  res.status(200).json({ errcode, errmsg: detail ? `${errmsg}: ${detail}` : errmsg });
}

/** Answers success, with WeCom's `errcode: 0, errmsg: 'ok'` first. */
export function ok(res: Response, body: Record<string, unknown> = {}): void {
  res.status(200).json({ errcode: 0, errmsg: 'ok', ...body });
}

/**
 * Validates `input` with `schema`; on failure answers 40058 naming the first bad field and returns undefined,
 * so a handler reads `const body = parseOr40058(...); if (!body) return;`.
 */
export function parseOr40058<S extends z.ZodType>(
  res: Response,
  schema: S,
  input: unknown,
): z.infer<S> | undefined {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  fail(res, 'invalidParameter', issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : undefined);
  return undefined;
}

/** The request's query as a plain record of single strings (repeated keys keep the first value). */
export function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** UTF-8 length: WeCom's content limits are in bytes, not characters. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Seconds since the epoch, as WeCom timestamps are. */
export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * Where the emulator serves the QR code of a contact way or join way: an image on the emulator itself (at
 * the address the caller reached it by), so a console shows a real, scannable-looking code offline.
 */
export function qrImageUrl(req: Request, kind: 'contact' | 'join', configId: string): string {
  return `${req.protocol}://${req.get('host')}/emulator/qr/${kind}/${configId}.png`;
}
