import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { createSessionsRepository } from './sessions.repository.ts';
import type { Principal } from './tokens.ts';

/** The session cookie (httpOnly) and the CSRF cookie the console's scripts read and echo in X-CSRF-Token. */
export const SESSION_COOKIE = 'helix_session';
export const CSRF_COOKIE = 'helix_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const SESSION_FORMAT = /^hs_[A-Za-z0-9_-]{43}$/;

/** What checking a session cookie gives: the principal and the session's CSRF token, or why there is none. */
export type SessionResult =
  | { ok: true; principal: Principal; csrfToken: string }
  | { ok: false; reason: 'invalid' | 'expired' };

/** Console and sidebar sessions of staff signed in with WeCom. */
export type SessionService = ReturnType<typeof createSessionService>;

/**
 * Sessions are 32 random bytes (`hs_` + base64url) in an httpOnly cookie; only their SHA-256 is stored.
 * Each has its own CSRF token, which a write must present in X-CSRF-Token (double submit against the
 * stored value: a page on another site can make the browser send the cookie, but cannot read the token).
 */
export function createSessionService(deps: { db: Db; clock: Clock; ttlMs: number }) {
  const { db, clock } = deps;
  const repo = createSessionsRepository();
  return {
    /** Opens a session for a signed-in WeCom user with the role and branch Helix's records give them. */
    async open(who: { userid: string; role: Role; branchScope: string | null }) {
      const secret = `hs_${randomBytes(32).toString('base64url')}`;
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = new Date(clock.now().getTime() + deps.ttlMs);
      await repo.insert(db, { ...who, sessionHash: hash(secret), csrfToken, expiresAt });
      return { secret, csrfToken, expiresAt };
    },

    /** The principal a session cookie stands for, named after the WeCom userid (as an RM token is). */
    async authenticate(secret: string): Promise<SessionResult> {
      if (!SESSION_FORMAT.test(secret)) return { ok: false, reason: 'invalid' };
      const row = await repo.findActiveByHash(db, hash(secret));
      if (!row) return { ok: false, reason: 'invalid' };
      if (row.expiresAt.getTime() <= clock.now().getTime()) return { ok: false, reason: 'expired' };
      return {
        ok: true,
        principal: {
          tokenId: `session:${row.id}`,
          name: row.userid,
          role: row.role,
          branchScope: row.branchScope,
        },
        csrfToken: row.csrfToken,
      };
    },

    /** Signs a session out; false when it had already ended. */
    close: (secret: string) => repo.revokeByHash(db, hash(secret)),

    /** Ends every session of `userid` (their staff record was disabled or changed). */
    closeAllOf: (userid: string) => repo.revokeUser(db, userid),
  };
}

/** Whether a presented CSRF token is the session's (constant time). */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of cookie `name` in a Cookie header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
