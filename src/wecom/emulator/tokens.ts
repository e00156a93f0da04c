import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Clock } from '../../platform/clock.ts';
import { fail, ok, queryOf } from './api-kit.ts';

/** Issues and checks access tokens the way gettoken does (developer.work.weixin.qq.com/document/path/91039). */
export type TokenStore = ReturnType<typeof createTokenStore>;

/** Creates the token store: one token per secret label, each expiring `ttlS` after issue (by `clock`). */
export function createTokenStore(deps: {
  corpId: string;
  secrets: Record<string, string>;
  ttlS: number;
  clock: Clock;
}) {
  const tokens = new Map<string, { label: string; expiresAtMs: number }>();
  const labelBySecret = new Map(Object.entries(deps.secrets).map(([label, secret]) => [secret, label]));

  return {
    /** gettoken: 40013 for a wrong corp, 40001 for a wrong secret, else a fresh token. */
    issue(
      corpId: string | undefined,
      secret: string | undefined,
    ): { err: 'invalidCorpId' | 'invalidSecret' } | { token: string; expiresIn: number } {
      if (corpId !== deps.corpId) return { err: 'invalidCorpId' };
      const label = secret === undefined ? undefined : labelBySecret.get(secret);
      if (label === undefined) return { err: 'invalidSecret' };
      const token = randomBytes(32).toString('hex');
      tokens.set(token, { label, expiresAtMs: deps.clock.now().getTime() + deps.ttlS * 1000 });
      return { token, expiresIn: deps.ttlS };
    },
    /** Why a token cannot be used, or undefined when it can. */
    check(token: string | undefined): 'missingToken' | 'invalidToken' | 'tokenExpired' | undefined {
      if (!token) return 'missingToken';
      const t = tokens.get(token);
      if (!t) return 'invalidToken';
      return deps.clock.now().getTime() >= t.expiresAtMs ? 'tokenExpired' : undefined;
    },
    /** The secret label a valid token was issued for (e.g. 'app' or 'contact'). */
    labelOf: (token: string): string | undefined => tokens.get(token)?.label,
    /** Expires every token now, so tests can expire a token mid-flight without moving the clock. */
    expireAll(): void {
      const now = deps.clock.now().getTime();
      for (const t of tokens.values()) t.expiresAtMs = now;
    },
  };
}

/** Mounts `GET /gettoken` on the /cgi-bin router. */
export function registerTokenRoutes(router: Router, store: TokenStore, issuedTickets: string[] = []): void {
  router.get('/gettoken', (req: Request, res: Response) => {
    const q = queryOf(req);
    const r = store.issue(q.corpid, q.corpsecret);
    if ('err' in r) return fail(res, r.err);
    ok(res, { access_token: r.token, expires_in: r.expiresIn });
  });
  // The JS-SDK tickets (get_jsapi_ticket for the corp, ticket/get?type=agent_config for the app), two hours
  // each like WeCom's. The emulator issues a fresh one per call; Helix caches them.
  const ticket = (res: Response, kind: 'corp' | 'agent') => {
    const t = `emu-${kind}-ticket-${randomBytes(12).toString('hex')}`;
    issuedTickets.push(t);
    ok(res, { ticket: t, expires_in: 7200 });
  };
  router.get('/get_jsapi_ticket', (_req: Request, res: Response) => ticket(res, 'corp'));
  router.get('/ticket/get', (req: Request, res: Response) => {
    if (queryOf(req).type !== 'agent_config')
      return fail(res, 'invalidParameter', 'type must be agent_config');
    ticket(res, 'agent');
  });
}

/** Middleware: every /cgi-bin call except gettoken (and the robot webhook, keyed instead) needs a live token. */
export function requireAccessToken(store: TokenStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // The robot webhook is keyed, and a bot's response_url carries its own one-time code.
    if (req.path === '/gettoken' || req.path === '/webhook/send' || req.path === '/aibot/response') {
      next();
      return;
    }
    const problem = store.check(queryOf(req).access_token);
    if (problem) fail(res, problem);
    else next();
  };
}
