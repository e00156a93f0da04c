import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type CookieOptions, type Request, type Response, Router } from 'express';
import {
  CSRF_COOKIE,
  readCookie,
  SESSION_COOKIE,
  type SessionService,
} from '../../platform/auth/sessions.ts';
import type { Log } from '../../platform/logger.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { StaffService } from './staff.service.ts';

/** The short-lived cookie that ties WeCom's redirect back to the browser that started signing in. */
const SIGN_IN_COOKIE = 'helix_signin';
const SIGN_IN_TTL_MS = 10 * 60_000;
const REAL_OAUTH = 'https://open.weixin.qq.com';
const REAL_SSO = 'https://login.work.weixin.qq.com';

export type SignInSettings = {
  corpId: string;
  agentId: string;
  sessionTtlMs: number;
  publicBaseUrl: string | undefined;
  oauthBaseUrl: string;
  ssoBaseUrl: string;
  secureCookies: boolean;
  production: boolean;
};

/** Where WeCom's sign-in pages are: configured, the built-in emulator when it stands in, else WeCom's own. */
export function signInPages(
  configured: { oauthBaseUrl: string | undefined; ssoBaseUrl: string | undefined },
  emulatorUrl: string | undefined,
) {
  return {
    oauthBaseUrl: configured.oauthBaseUrl ?? emulatorUrl ?? REAL_OAUTH,
    ssoBaseUrl: configured.ssoBaseUrl ?? emulatorUrl ?? REAL_SSO,
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain page for what a person must read (this flow runs in a browser, not through the API). */
function refuse(res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Helix 登录</title></head>` +
        `<body><h1>无法登录 Helix</h1><p>${escapeHtml(message)}</p><p><a href="/auth/wecom/login">重新登录</a></p></body></html>`,
    );
}

/** Only a path on this site (not `//host`, not a URL) may be where sign-in lands. */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(v) && v.length <= 512 ? v : '/console/';
}

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Staff sign-in with WeCom: `/auth/wecom/login` sends the browser to WeCom (OAuth in WeCom's own browser,
 * the web login QR elsewhere), `/auth/wecom/callback` turns WeCom's code into a session for a member Helix
 * knows (a staff record, or an RM), and `/auth/logout` ends it. The session is an httpOnly SameSite=Lax
 * cookie; a second, readable cookie carries the CSRF token the console echoes on writes.
 */
export function createSignInRouter(deps: {
  settings: SignInSettings;
  staff: Pick<StaffService, 'identify'>;
  sessions: Pick<SessionService, 'open' | 'close'>;
  /** auth/getuserinfo with the app's secret: the member behind a code, or null for a non-member. */
  signInUser: (code: string) => Promise<string | null>;
  audit: AuditRepository;
  db: Parameters<AuditRepository['append']>[0];
  log: Log;
}): Router {
  const { settings } = deps;
  const router = Router();
  const cookie = (maxAgeMs: number, httpOnly: boolean, path = '/'): CookieOptions => ({
    httpOnly,
    secure: settings.secureCookies,
    sameSite: 'lax',
    path,
    maxAge: maxAgeMs,
  });

  router.get('/auth/wecom/login', (req: Request, res: Response) => {
    const base =
      settings.publicBaseUrl ?? (settings.production ? undefined : `${req.protocol}://${req.get('host')}`);
    if (!base) return refuse(res, 503, '服务器未配置 PUBLIC_BASE_URL，无法完成企业微信登录。请联系管理员。');
    const state = randomBytes(18).toString('base64url');
    const next = safeNext(req.query.next);
    res.cookie(SIGN_IN_COOKIE, `${state}.${Buffer.from(next).toString('base64url')}`, {
      ...cookie(SIGN_IN_TTL_MS, true, '/auth/wecom'),
    });
    const redirectUri = `${base.replace(/\/+$/, '')}/auth/wecom/callback`;
    const inWecom = /wxwork/i.test(req.get('user-agent') ?? '') || req.query.via === 'oauth';
    const target = inWecom
      ? new URL('/connect/oauth2/authorize', settings.oauthBaseUrl)
      : new URL('/wwlogin/sso/login', settings.ssoBaseUrl);
    const params: Record<string, string> = inWecom
      ? { appid: settings.corpId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base' }
      : { login_type: 'CorpApp', appid: settings.corpId, redirect_uri: redirectUri };
    for (const [k, v] of Object.entries({ ...params, state, agentid: settings.agentId }))
      target.searchParams.set(k, v);
    // WeCom's in-app OAuth page wants this fragment.
    res.redirect(302, inWecom ? `${target.href}#wechat_redirect` : target.href);
  });

  router.get('/auth/wecom/callback', async (req: Request, res: Response) => {
    const [state, encodedNext] = (readCookie(req.headers.cookie, SIGN_IN_COOKIE) ?? '').split('.');
    res.clearCookie(SIGN_IN_COOKIE, { path: '/auth/wecom' });
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const returned = typeof req.query.state === 'string' ? req.query.state : '';
    if (!state || !returned || !sameToken(state, returned)) {
      deps.log.warn({ reason: 'state' }, 'sign-in refused');
      return refuse(res, 400, '登录请求已过期或不是从本页面发起的，请重新登录。');
    }
    if (!code || code.length > 512) return refuse(res, 400, '企业微信没有返回登录码，请重新登录。');
    let userid: string | null;
    try {
      userid = await deps.signInUser(code);
    } catch (err) {
      const errcode = (err as { errcode?: unknown }).errcode;
      deps.log.warn({ err, errcode }, 'sign-in: WeCom did not accept the code');
      return errcode === 40029
        ? refuse(res, 400, '登录码无效或已过期，请重新登录。')
        : refuse(res, 503, '暂时无法连接企业微信，请稍后再试。');
    }
    const who = userid ? await deps.staff.identify(userid) : undefined;
    if (!userid || !who) {
      deps.log.warn({ reason: userid ? 'no_access' : 'not_a_member' }, 'sign-in refused');
      return refuse(res, 403, '你的企业微信账号还没有 Helix 的使用权限，请联系管理员开通。');
    }
    const opened = await deps.sessions.open({ userid, role: who.role, branchScope: who.branchScope });
    await deps.audit.append(deps.db, {
      actor: userid,
      action: 'session.open',
      targetType: 'staff',
      targetId: userid,
      details: { role: who.role, branchScope: who.branchScope },
    });
    res.cookie(SESSION_COOKIE, opened.secret, cookie(settings.sessionTtlMs, true));
    res.cookie(CSRF_COOKIE, opened.csrfToken, {
      ...cookie(settings.sessionTtlMs, false),
      sameSite: 'strict',
    });
    const next = encodedNext ? safeNext(Buffer.from(encodedNext, 'base64url').toString()) : '/console/';
    res.redirect(302, next);
  });

  return router;
}
