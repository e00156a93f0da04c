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
 * The console's FAQ page in a real headless Chromium: an RM's question nobody could answer reaches the
 * review queue; ops sign in through the emulator's WeCom page, attach it to an entry, and see the
 * entry's new draft waiting for compliance; the deflection chart draws; axe finds nothing serious.
 */
const SECRETS = { app: 'e2e-app-secret', contact: 'e2e-contact-secret' };
const QUESTION = '我那张卡找不着了咋弄';
const dist = mkdtempSync(path.join(tmpdir(), 'helix-console-faq-'));
let emu: Awaited<ReturnType<typeof startWecomEmulator>>;
let web: WebApp;
let server: Server;
let base: string;
let browser: Browser;
let close: () => Promise<void>;
let as: (r: request.Test) => request.Test;

beforeAll(async () => {
  await build({
    configFile: path.resolve('console/vite.config.ts'),
    build: { outDir: dist, emptyOutDir: true },
    logLevel: 'silent',
  });
  emu = await startWecomEmulator({ corpId: TEST_WECOM.corpId, secrets: SECRETS });
  emu.emulator.seed({ members: [{ userid: 'ops_li', name: '李运营' }] });
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
  as = (r) => r.set('authorization', `Bearer ${admin}`);
  await as(request(web.app).put('/api/v1/staff/ops_li')).send({ name: '李运营', role: 'ops' }).expect(200);
  // A question the assist sidebar cannot answer joins the review queue, as the bot's hand-offs do.
  await as(request(web.app).post('/api/v1/assist/suggest')).send({ message: QUESTION }).expect(200);
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
async function signedIn(name: string, at: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}${at}`);
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

describe('the FAQ page of the ops console', () => {
  it('Ops attach a question from the review queue to an FAQ entry', async () => {
    const page = await signedIn('李运营', '/console/faq');
    await page.getByRole('heading', { name: '问答知识库', level: 1 }).waitFor();
    const queue = page.getByRole('region', { name: '待处理的未解答问题' });
    const cluster = queue.getByRole('region', { name: QUESTION });
    await cluster.waitFor();

    // The deflection chart draws as SVG, named by a summary; the table beside it is its text form.
    const chart = page.getByRole('img', { name: /各类别自助解答率柱状图/ });
    await chart.locator('svg').first().waitFor();
    await page.getByRole('table', { name: '各类别明细（图表的文字版）' }).waitFor();
    expect(await axeProblems(page)).toEqual([]);

    // An unknown entry: the API's refusal shows next to the entry field, and nothing changes.
    const entry = cluster.getByLabel('归入的条目编号');
    await entry.fill('no-such-entry');
    await cluster.getByRole('button', { name: '归入该条目' }).click();
    const refusal = cluster.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('no-such-entry');
    expect(await entry.getAttribute('aria-invalid')).toBe('true');

    await entry.fill('card-lost');
    await cluster.getByRole('button', { name: '归入该条目' }).click();
    await page.getByRole('status').filter({ hasText: '已归入 card-lost' }).waitFor();
    await queue.getByRole('region', { name: QUESTION }).waitFor({ state: 'detached' });
    expect(await queue.getByText(QUESTION).count()).toBe(0);

    // The entry's new draft waits for compliance, on the page and in the API.
    const pending = page.getByRole('table', { name: '待合规审核的草稿' });
    await pending.getByRole('row').filter({ hasText: 'card-lost' }).filter({ hasText: 'ops_li' }).waitFor();
    const drafts = await as(request(web.app).get('/api/v1/faq/pending')).expect(200);
    expect(drafts.body.items).toContainEqual(
      expect.objectContaining({ entryId: 'card-lost', author: 'ops_li' }),
    );
    const open = await as(request(web.app).get('/api/v1/faq/review-queue')).expect(200);
    expect(open.body.clusters.flatMap((c: { texts: string[] }) => c.texts)).not.toContain(QUESTION);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('lists every bad row of an import the API refuses', async () => {
    const page = await signedIn('李运营', '/console/faq');
    const form = page.getByRole('form', { name: '批量导入' });
    const header = 'id\tcategory\tquestion\tsimilar\tanswer\ttiers\trisk_level\tvalid_from\tvalid_until';
    const rows = [
      'Bad Id!\t信用卡\t怎么办卡\t\t去网点办理\t\t\t\t',
      'card-new\t信用卡\t怎么办新卡\t\t\t\t\t\t',
    ];
    await form.getByLabel('问答文件').setInputFiles({
      name: 'faq.tsv',
      mimeType: 'text/tab-separated-values',
      buffer: Buffer.from([header, ...rows].join('\n')),
    });
    await form.getByRole('button', { name: '导入', exact: true }).click();
    const problems = form.getByRole('alert').getByRole('row');
    await problems.nth(1).waitFor();
    // The header row, then one row per problem: both bad lines are there.
    const text = (await problems.allTextContents()).join('\n');
    expect(text).toMatch(/2\s*id/);
    expect(text).toMatch(/3\s*answer/);
    expect(await axeProblems(page)).toEqual([]);
  });
});
