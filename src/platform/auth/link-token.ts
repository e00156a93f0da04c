import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A signed link's token: HMAC-SHA256 of `payload` under `secret`, base64url, cut to `length` characters
 * (all 43 when unset). A link carrying it acts for exactly what the payload names (one client, one event or
 * sale), and nobody can make one for another payload without the secret.
 */
export function linkToken(secret: string, payload: string, length?: number): string {
  const token = createHmac('sha256', secret).update(payload).digest('base64url');
  return length === undefined ? token : token.slice(0, length);
}

/** Whether `token` is the link token for `payload` (constant time). */
export function linkTokenMatches(secret: string, payload: string, token: string, length?: number): boolean {
  const want = Buffer.from(linkToken(secret, payload, length));
  const got = Buffer.from(token);
  return want.length === got.length && timingSafeEqual(want, got);
}
