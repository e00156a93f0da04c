import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { createTestContext, TEST_WECOM } from '../helpers/infra.ts';

/**
 * Staff sign-in end to end against the emulator's WeCom pages: login → WeCom's page → pick a member →
 * callback → session cookie; then the API with the cookie, CSRF on writes, roles from Helix's records,
 * and sign-out.
 */
const SECRETS = { app: 'sign-in-app-secret', contact: 'sign-in-contact-secret' };
let emu: Awaited<ReturnType<typeof startWecomEmulator>>;
let web: WebApp;
let close: () => Promise<void>;
let adminToken: string;

beforeAll(async () => {
  emu = await startWecomEmulator({ corpId: TEST_WECOM.corpId, secrets: SECRETS });
  emu.emulator.seed({
    members: [
      { userid: 'ops_li', name: '李运营' },
      { userid: 'rm_wang', name: '王经理' },
      { userid: 'stranger', name: '路人' },
    ],
  });
  const t = await createTestContext({
    WECOM_SECRET: SECRETS.app,
    WECOM_CONTACT_SECRET: SECRETS.contact,
    WECOM_API_BASE_URL: emu.url,
    WECOM_OAUTH_BASE_URL: emu.url,
    WECOM_SSO_BASE_URL: emu.url,
  });
  close = t.close;
  web = buildWebApp(t.ctx);
  adminToken = (
    await createTokenService({ db: t.ctx.database.db, audit: createAuditRepository() }).create({
      name: 'root',
      role: 'admin',
      branchScope: null,
      actor: 'test',
    })
  ).secret;
  await request(web.app)
    .put('/api/v1/staff/ops_li')
    .set('authorization', `Bearer ${adminToken}`)
    .send({ name: '李运营', role: 'ops', branchScope: '南山支行' })
    .expect(200);
  await request(web.app)
    .put('/api/v1/rms/rm_wang')
    .set('authorization', `Bearer ${adminToken}`)
    .send({ name: '王经理', branch: '南山支行' })
    .expect(200);
});
afterAll(async () => {
  await web?.close();
  await close?.();
  await emu?.close();
});

const cookieOf = (res: request.Response, name: string) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1);

/** Signs `userid` in the way a browser does, following each redirect by hand. */
async function signIn(userid: string, opts: { next?: string; userAgent?: string } = {}) {
  const login = await request(web.app)
    .get(`/auth/wecom/login${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`)
    .set('user-agent', opts.userAgent ?? 'Mozilla/5.0 Chrome');
  expect(login.status).toBe(302);
  const signInCookie = cookieOf(login, 'helix_signin');
  const wecomPage = new URL(login.headers.location as string);
  // WeCom's page, served by the emulator: it lists the members to sign in as.
  const pageRes = await fetch(wecomPage.href.replace(/#.*$/, ''));
  const html = await pageRes.text();
  const pick = [...html.matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1]!.replaceAll('&amp;', '&'))
    .find((href) => href.includes(`userid=${userid}`));
  expect(pick, `the WeCom page lists ${userid}`).toBeDefined();
  const back = await fetch(new URL(pick!, emu.url), { redirect: 'manual' });
  const callback = new URL(back.headers.get('location') as string);
  const res = await request(web.app)
    .get(`${callback.pathname}${callback.search}`)
    .set('cookie', `helix_signin=${signInCookie}`);
  return {
    login,
    wecomPage,
    res,
    session: cookieOf(res, 'helix_session'),
    csrf: cookieOf(res, 'helix_csrf'),
  };
}

describe('staff sign-in with WeCom', () => {
  it('signs ops staff in through the PC web login and gives them their role and branch', async () => {
    const { wecomPage, res, session, csrf } = await signIn('ops_li', { next: '/console/calendar' });
    expect(wecomPage.pathname).toBe('/wwlogin/sso/login');
    expect(wecomPage.searchParams.get('login_type')).toBe('CorpApp');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/console/calendar');
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    expect(set).toMatch(/helix_session=[^;]+;.*HttpOnly/);
    expect(set).toMatch(/helix_session=[^;]+;.*SameSite=Lax/);
    expect(set).not.toMatch(/helix_csrf=[^;]+;.*HttpOnly/);
    const me = await request(web.app).get('/api/v1/whoami').set('cookie', `helix_session=${session}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ name: 'ops_li', role: 'ops', branchScope: '南山支行' });
    expect(csrf).toBeTruthy();
  });

  it('uses WeCom OAuth inside the WeCom browser, and signs an RM in as an RM', async () => {
    const { wecomPage, session } = await signIn('rm_wang', { userAgent: 'Mozilla/5.0 wxwork/4.1' });
    expect(wecomPage.pathname).toBe('/connect/oauth2/authorize');
    expect(wecomPage.searchParams.get('scope')).toBe('snsapi_base');
    expect(wecomPage.hash).toBe('#wechat_redirect');
    const me = await request(web.app).get('/api/v1/whoami').set('cookie', `helix_session=${session}`);
    expect(me.body).toMatchObject({ name: 'rm_wang', role: 'rm' });
    // An RM's session is an RM's scope: staff records are admin-only.
    const staff = await request(web.app).get('/api/v1/staff').set('cookie', `helix_session=${session}`);
    expect(staff.status).toBe(403);
  });

  it('refuses a member Helix has no record of, and a callback it did not start', async () => {
    const { res, session } = await signIn('stranger');
    expect(res.status).toBe(403);
    expect(res.text).toContain('还没有 Helix 的使用权限');
    expect(session).toBeUndefined();
    const forged = await request(web.app).get(
      `/auth/wecom/callback?code=${emu.emulator.signInCode('ops_li')}&state=x`,
    );
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('重新登录');
  });

  it('refuses a code used twice', async () => {
    const login = await request(web.app).get('/auth/wecom/login');
    const state = new URL(login.headers.location as string).searchParams.get('state');
    const code = emu.emulator.signInCode('ops_li');
    const cookie = `helix_signin=${cookieOf(login, 'helix_signin')}`;
    const first = await request(web.app)
      .get(`/auth/wecom/callback?code=${code}&state=${state}`)
      .set('cookie', cookie);
    expect(first.status).toBe(302);
    const again = await request(web.app)
      .get(`/auth/wecom/callback?code=${code}&state=${state}`)
      .set('cookie', cookie);
    expect(again.status).toBe(400);
    expect(again.text).toContain('登录码无效或已过期');
  });

  it('needs the CSRF token for writes made with the session, and signs out', async () => {
    const { session, csrf } = await signIn('ops_li');
    const cookie = `helix_session=${session}; helix_csrf=${csrf}`;
    /** A compliance check sent with the session cookie and `headers`. */
    const check = (headers: Record<string, string> = {}) =>
      request(web.app)
        .post('/api/v1/compliance/check')
        .set('cookie', cookie)
        .set(headers)
        .send({ text: '保本保息，稳赚不赔' });
    const refused = await check();
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('x-csrf-token');
    expect((await check({ 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    // A cross-site page cannot send the token; a page of this origin is known by the browser's Fetch Metadata.
    expect((await check({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await check({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await check({ 'x-csrf-token': csrf! })).status).toBe(200);
    const out = await request(web.app)
      .post('/api/v1/auth/logout')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf!);
    expect(out.status).toBe(204);
    expect((await request(web.app).get('/api/v1/whoami').set('cookie', cookie)).status).toBe(401);
  });

  it("ends a person's sessions when an admin changes their record", async () => {
    const { session } = await signIn('ops_li');
    const cookie = `helix_session=${session}`;
    expect((await request(web.app).get('/api/v1/whoami').set('cookie', cookie)).status).toBe(200);
    await request(web.app)
      .put('/api/v1/staff/ops_li')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ name: '李运营', role: 'ops', branchScope: '南山支行', disabled: true })
      .expect(200);
    expect((await request(web.app).get('/api/v1/whoami').set('cookie', cookie)).status).toBe(401);
    const again = await signIn('ops_li');
    expect(again.res.status).toBe(403);
    await request(web.app)
      .put('/api/v1/staff/ops_li')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ name: '李运营', role: 'ops', branchScope: '南山支行' })
      .expect(200);
  });

  it('keeps a sign-in from landing anywhere but this site', async () => {
    const { res } = await signIn('ops_li', { next: '//evil.example/steal' });
    expect(res.headers.location).toBe('/console/');
  });
});
