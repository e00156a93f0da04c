import { randomBytes } from 'node:crypto';
import type { Express, Request, Response, Router } from 'express';
import type { Clock } from '../../platform/clock.ts';
import { fail, ok, queryOf } from './api-kit.ts';
import type { EmulatorState } from './emulator-state.ts';

/** How long a sign-in code lives: WeCom's codes are good for five minutes and one use. */
const CODE_TTL_MS = 5 * 60_000;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:32rem;margin:2rem auto">
<h1 style="font-size:1.25rem">${escapeHtml(title)}</h1>
${body}
</body></html>`;

/**
 * Staff sign-in as WeCom does it: the in-app OAuth page (`/connect/oauth2/authorize`, scope snsapi_base) and
 * the PC web login (`/wwlogin/sso/login`, login_type=CorpApp) each send the browser back to `redirect_uri`
 * with `code` and `state`; `/cgi-bin/auth/getuserinfo` turns a code (once, within five minutes) into the
 * member's userid. Where WeCom asks the member to confirm or scan, the emulator lists its members to pick.
 */
export function createSignIn(deps: { corpId: string; state: EmulatorState; clock: Clock }) {
  const codes = new Map<string, { userid: string; expiresAtMs: number }>();

  /** A fresh code for `userid`, as WeCom issues one after the member confirms. */
  const issueCode = (userid: string) => {
    const code = randomBytes(16).toString('hex');
    codes.set(code, { userid, expiresAtMs: deps.clock.now().getTime() + CODE_TTL_MS });
    return code;
  };

  /** Why a sign-in request cannot be served, or its redirect target and state. */
  const readRequest = (q: Record<string, string>): { problem: string } | { redirect: URL; state: string } => {
    if (q.appid !== deps.corpId) return { problem: `appid 不是本企业的 CorpID（${q.appid ?? '缺少'}）` };
    let redirect: URL;
    try {
      redirect = new URL(q.redirect_uri ?? '');
    } catch {
      return { problem: 'redirect_uri 缺少或不是网址' };
    }
    if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:')
      return { problem: 'redirect_uri 只能是 http 或 https 网址' };
    return { redirect, state: q.state ?? '' };
  };

  const choose = (req: Request, res: Response) => {
    const r = readRequest(queryOf(req));
    if ('problem' in r) {
      res
        .status(400)
        .type('html')
        .send(page('企业微信登录失败', `<p>${escapeHtml(r.problem)}</p>`));
      return;
    }
    const members = [...deps.state.members.values()];
    const links = members
      .map((m) => {
        const pick = new URLSearchParams({ userid: m.userid, redirect_uri: r.redirect.href, state: r.state });
        return `<li><a href="/emulator/sign-in/pick?${escapeHtml(pick.toString())}">${escapeHtml(m.name)}（${escapeHtml(m.userid)}）</a></li>`;
      })
      .join('\n');
    res
      .type('html')
      .send(
        page(
          '企业微信登录（Helix 模拟器）',
          members.length > 0
            ? `<p>选择以哪位成员的身份登录：</p><ul>${links}</ul>`
            : '<p>模拟器中还没有成员。</p>',
        ),
      );
  };

  return {
    issueCode,
    /** The pages a browser is sent to, at WeCom's own paths. */
    registerPages(app: Express): void {
      app.get('/connect/oauth2/authorize', choose);
      app.get('/wwlogin/sso/login', choose);
      // The member confirmed: back to Helix with a code, as WeCom redirects.
      app.get('/emulator/sign-in/pick', (req: Request, res: Response) => {
        const q = queryOf(req);
        const r = readRequest({ ...q, appid: deps.corpId });
        if ('problem' in r || !q.userid || !deps.state.members.has(q.userid)) {
          res.status(400).type('html').send(page('企业微信登录失败', '<p>没有这位成员，或请求不完整。</p>'));
          return;
        }
        r.redirect.searchParams.set('code', issueCode(q.userid));
        r.redirect.searchParams.set('state', r.state);
        res.redirect(302, r.redirect.href);
      });
    },
    /** `GET /cgi-bin/auth/getuserinfo`: the userid behind a code, once; 40029 for an unknown, used or old one. */
    registerApi(router: Router): void {
      router.get('/auth/getuserinfo', (req: Request, res: Response) => {
        const code = queryOf(req).code ?? '';
        const c = codes.get(code);
        codes.delete(code);
        if (!c || c.expiresAtMs <= deps.clock.now().getTime()) return fail(res, 'invalidCode');
        ok(res, { userid: c.userid });
      });
    },
  };
}
