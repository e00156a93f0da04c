import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { launchChromium } from '../helpers/browser.ts';
import { createTestContext, TEST_WECOM } from '../helpers/infra.ts';

/**
 * The ops console in a real headless Chromium: staff sign in through the emulator's WeCom page, create a
 * channel and see its QR code, read the week's calendar, see the API's own error next to the field, and
 * see only the pages their role may. The console is built from source into a temporary folder first.
 */
const SECRETS = { app: 'e2e-app-secret', contact: 'e2e-contact-secret' };
const dist = mkdtempSync(path.join(tmpdir(), 'helix-console-'));
let emu: Awaited<ReturnType<typeof startWecomEmulator>>;
let web: WebApp;
let server: Server;
let base: string;
let browser: Browser;
let close: () => Promise<void>;

beforeAll(async () => {
  await build({
    configFile: path.resolve('console/vite.config.ts'),
    build: { outDir: dist, emptyOutDir: true },
    logLevel: 'silent',
  });
  emu = await startWecomEmulator({ corpId: TEST_WECOM.corpId, secrets: SECRETS });
  emu.emulator.seed({
    members: [
      { userid: 'ops_li', name: '李运营' },
      { userid: 'rm_wang', name: '王经理' },
    ],
  });
  const t = await createTestContext({
    WECOM_SECRET: SECRETS.app,
    WECOM_CONTACT_SECRET: SECRETS.contact,
    WECOM_API_BASE_URL: emu.url,
    WECOM_OAUTH_BASE_URL: emu.url,
    WECOM_SSO_BASE_URL: emu.url,
    CONSOLE_DIR: dist,
  });
  close = t.close;
  web = buildWebApp(t.ctx);
  await web.syncContentLibrary();
  const admin = (
    await createTokenService({ db: t.ctx.database.db, audit: createAuditRepository() }).create({
      name: 'root',
      role: 'admin',
      branchScope: null,
      actor: 'test',
    })
  ).secret;
  const as = (r: request.Test) => r.set('authorization', `Bearer ${admin}`);
  await as(request(web.app).put('/api/v1/staff/ops_li')).send({ name: '李运营', role: 'ops' }).expect(200);
  await as(request(web.app).put('/api/v1/rms/rm_wang'))
    .send({ name: '王经理', branch: '南山支行' })
    .expect(200);
  server = await new Promise<Server>((resolve) => {
    const s = web.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await web?.close();
  await close?.();
  await emu?.close();
  rmSync(dist, { recursive: true, force: true });
});

/** Opens the console, signs in as `name` on the emulator's WeCom page, and waits for the signed-in shell. */
async function signedIn(name: string, at = '/console/'): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  // Well inside the test's own timeout, so a missing element fails with Playwright's message.
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}${at}`);
  // Not signed in: the console sends the browser to WeCom's sign-in page (the emulator's).
  await page.getByRole('link', { name: new RegExp(name) }).click();
  await page.getByText('当前用户').waitFor();
  return page;
}

/** Accessibility problems axe-core rates serious or critical on the page as it is now. */
async function axeProblems(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the ops console', () => {
  it('signs ops in with WeCom, lands on the overview, and passes axe', async () => {
    const page = await signedIn('李运营');
    await expect(page.getByRole('heading', { name: '今日概览' }).isVisible()).resolves.toBe(true);
    expect(page.url()).toBe(`${base}/console/`);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('lets ops create a channel and shows its QR code, with the API refusal next to the field', async () => {
    const page = await signedIn('李运营', '/console/channels');
    const form = page.getByRole('form', { name: '新建渠道' });
    await form.getByLabel('渠道编号').fill('metro-ads');
    await form.getByLabel('渠道名称').fill('地铁广告');
    await form.getByLabel('渠道参数 state').fill('bad state!');
    await form.getByLabel('接待客户经理').fill('rm_wang');
    await form.getByRole('button', { name: '创建并生成活码' }).click();
    // The API's own problem for `state`, next to that field.
    const stateError = page.locator('#state-error');
    await stateError.waitFor();
    expect(await stateError.textContent()).toContain('at most 30 characters');
    expect(await form.getByLabel('渠道参数 state').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('渠道参数 state').fill('metro-ads');
    await form.getByRole('button', { name: '创建并生成活码' }).click();
    const qr = page.getByRole('img', { name: '渠道活码：地铁广告' });
    await qr.waitFor();
    // The image really loads (the emulator serves it, as WeCom's CDN would).
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await expect(page.getByRole('link', { name: '下载活码' }).isVisible()).resolves.toBe(true);
    await page.getByRole('cell', { name: '地铁广告' }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });

  it('shows the week of the content calendar with the seeded spiral', async () => {
    const page = await signedIn('李运营', '/console/calendar');
    await page.getByRole('heading', { name: '内容日历' }).waitFor();
    expect(await page.locator('.day').count()).toBe(7);
    // The 08:00 morning brief runs on working days: some day of any week shows it.
    await page.locator('.occ', { hasText: '08:00' }).first().waitFor();
    const before = await page.locator('.day h2').first().textContent();
    await page.getByRole('button', { name: '下一周' }).click();
    await expect.poll(() => page.locator('.day h2').first().textContent()).not.toBe(before);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('shows an RM only the pages an RM may see', async () => {
    const page = await signedIn('王经理');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.getByRole('link', { name: '概览' }).isVisible()).resolves.toBe(true);
    expect(await nav.getByRole('link', { name: '渠道活码' }).count()).toBe(0);
    await page.goto(`${base}/console/channels`);
    await page.getByText('你的角色无权查看此页面。').waitFor();
  });

  it('can be used from the keyboard: skip link, then the navigation', async () => {
    const page = await signedIn('李运营');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe(
      '跳到正文',
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe(
      '渠道活码',
    );
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '渠道活码' }).waitFor();
  });
});
