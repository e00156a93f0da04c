import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { locals } from '../http/request-context.ts';
import type { AuthFailureLimiter } from './auth-failure-limiter.ts';
import { type Scope, scopeFor } from './scope.ts';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  csrfMatches,
  readCookie,
  SESSION_COOKIE,
  type SessionService,
} from './sessions.ts';
import type { TokenService } from './tokens.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requires a valid `Authorization: Bearer <token>` (machines) or, without one, a signed-in session cookie
 * (the console and sidebar; writes must echo the session's CSRF token): 401 without either
 * (`token_expired` for an expired token or session),
 * 429 with Retry-After once the client IP has failed too often. A blocked IP is refused before its token is
 * checked, so blocked requests cannot keep testing guesses.
 */
export function authenticate(deps: {
  tokens: Pick<TokenService, 'authenticate'>;
  /** Console sessions (cookie); absent, only bearer tokens are accepted. */
  sessions?: Pick<SessionService, 'authenticate'>;
  limiter: Pick<AuthFailureLimiter, 'retryAfterS' | 'recordFailure'>;
}) {
  const { tokens, sessions, limiter } = deps;
  return async (req: Request, res: Response, next: NextFunction) => {
    const ip = req.ip ?? 'unknown';
    const waitS = await limiter.retryAfterS(ip);
    if (waitS > 0) {
      await limiter.recordFailure(ip, 'rate_limited');
      res.setHeader('Retry-After', String(waitS));
      throw new AppError('rate_limited', {
        message: `too many failed authentications from this address; retry in ${waitS} s`,
        zh: `该地址的认证失败次数过多，请 ${waitS} 秒后再试。`,
        logged: true,
      });
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const cookie = sessions && !header ? readCookie(req.headers.cookie, SESSION_COOKIE) : undefined;
    if (cookie !== undefined && sessions) {
      const session = await sessions.authenticate(cookie);
      if (session.ok) {
        // A browser sends the cookie with any site's request; only Helix's own pages can read the token.
        // Pages that cannot add the header (Bull Board's own scripts) are recognised by Fetch Metadata:
        // browsers mark a request `Sec-Fetch-Site: same-origin` themselves, and no page can forge it.
        const sameOrigin = req.get('sec-fetch-site') === 'same-origin';
        if (
          !SAFE_METHODS.has(req.method) &&
          !sameOrigin &&
          !csrfMatches(req.get(CSRF_HEADER), session.csrfToken)
        ) {
          throw new AppError('forbidden', {
            message: `a signed-in write needs the ${CSRF_HEADER} header (the ${CSRF_COOKIE} cookie's value)`,
            zh: '请求缺少安全校验信息（CSRF），请刷新页面后重试。',
          });
        }
        res.locals.principal = session.principal;
        next();
        return;
      }
      await limiter.recordFailure(ip, session.reason);
      throw new AppError(session.reason === 'expired' ? 'token_expired' : 'unauthenticated', {
        message: session.reason === 'expired' ? 'the session has ended; sign in again' : 'not signed in',
        zh: session.reason === 'expired' ? '登录已过期，请重新登录。' : '您尚未登录，请先登录。',
        logged: true,
      });
    }
    const result = match?.[1]
      ? await tokens.authenticate(match[1])
      : ({ ok: false, reason: 'missing' } as const);
    if (result.ok) {
      res.locals.principal = result.principal;
      next();
      return;
    }
    // No credential at all is not a guess: a signed-out browser asking who it is, from an office whose staff
    // share one address, must not lock that office out. Only a presented, wrong credential counts.
    if (result.reason !== 'missing') await limiter.recordFailure(ip, result.reason);
    if (result.reason === 'expired') {
      throw new AppError('token_expired', {
        message: 'the API token has expired; ask for a new one',
        zh: 'API 令牌已过期，请申请新的令牌。',
        logged: true,
      });
    }
    throw new AppError('unauthenticated', {
      message: result.reason === 'missing' ? 'missing bearer token' : 'invalid or revoked token',
      zh: result.reason === 'missing' ? '缺少 Bearer 令牌，请先登录。' : '令牌无效或已被吊销。',
      logged: true,
    });
  };
}

/**
 * What a role gate declares about its route. The route table (`platform/http/route-table.ts`) reads it
 * from the handler, so the authorization matrix test covers every route without a list kept by hand.
 */
export type RoleGate = { roles: readonly Role[]; scoped: boolean };

// How a refusal names the roles to a caller who prefers Chinese.
const ROLE_ZH: Record<Role, string> = { admin: '管理员', ops: '运营', compliance: '合规', rm: '客户经理' };

type GateHandler = ((req: Request, res: Response, next: NextFunction) => void) & { gate: RoleGate };

function gate(roles: Role[], scoped: boolean): GateHandler {
  const handler = (_req: Request, res: Response, next: NextFunction) => {
    const p = locals(res).principal;
    if (!p)
      throw new AppError('unauthenticated', { message: 'not authenticated', zh: '您尚未登录，请先登录。' });
    if (!roles.includes(p.role)) {
      throw new AppError('forbidden', {
        message: `role "${p.role}" may not do this; needs ${roles.join(' or ')}`,
        zh: `您的角色（${ROLE_ZH[p.role]}）无权执行此操作，需要：${roles.map((r) => ROLE_ZH[r]).join('或')}。`,
      });
    }
    if (scoped) res.locals.scope = scopeFor(p);
    next();
  };
  return Object.assign(handler, { gate: { roles: Object.freeze([...roles]), scoped } });
}

/** Requires the authenticated principal to hold one of `roles`; 403 otherwise. */
export function requireRole(...roles: Role[]) {
  return gate(roles, false);
}

/**
 * Like `requireRole`, for routes over branch-owned data (RMs, clients, channels, conversations,
 * outcomes): also puts the principal's scope in `res.locals.scope` for the handler to pass to its
 * repository. Resources outside it answer 404, so their existence does not leak.
 */
export function requireScopedRole(...roles: Role[]) {
  return gate(roles, true);
}

/**
 * After a role gate: refuses a principal limited to a branch (403), for what speaks to every branch's
 * clients (events, flash sales) and is therefore run by head office. `what` names it in both languages.
 */
export function requireHeadOffice(what: { en: string; zh: string }) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (locals(res).principal?.branchScope)
      return next(
        new AppError('forbidden', {
          message: `${what.en} are run by head office only`,
          zh: `${what.zh}只能由总行管理。`,
        }),
      );
    next();
  };
}

/** The scope `requireScopedRole` attached; a route that forgot the gate fails loudly instead of seeing all. */
export function scopeOf(res: Response): Scope {
  const scope = locals(res).scope;
  if (!scope) throw new Error('scopeOf: the route has no requireScopedRole gate');
  return scope;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Requires `Authorization: Bearer <token>` equal to one configured secret (the metrics scraper's); 401
 * otherwise. Compared as SHA-256 digests in constant time, so neither content nor length leaks by timing.
 */
export function requireStaticBearer(token: string) {
  const expected = digest(token);
  return (req: Request, _res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      throw new AppError('unauthenticated', {
        message: 'this endpoint needs the metrics bearer token',
        zh: '此接口需要监控指标（metrics）的 Bearer 令牌。',
      });
    }
    next();
  };
}
