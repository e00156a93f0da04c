/**
 * `npm run bench:console -- [--runs 5] [--json] [--screenshots docs/console]`
 *
 * The ops console's first load, in Debian's Chromium (playwright-core), against a real Helix web role on a
 * scratch PostgreSQL database (DATABASE_URL or the local default) and Redis, with the in-process WeCom
 * emulator and the content library's calendar seeds:
 * - `initialJsGzipKB`: the JavaScript the first load needs (index.html's module script and its
 *   modulepreloads), gzip-compressed as a server would send it; `totalJsGzipKB` adds the pages loaded on
 *   demand. Goal: initial under 300 KB.
 * - `ttiMs`: median over `--runs` cold loads (a fresh browser context each, so nothing is cached) of the
 *   time from navigation start until the overview is interactive: its figures and today's posts are shown
 *   (every API call it makes has answered and rendered).
 * - `baselineMs`: the floor of the same work without the console: a fresh context loads a tiny file (the
 *   console's stylesheet) from the same server and makes the overview's five API calls with fetch, in parallel. `ratio` = ttiMs /
 *   baselineMs, so the figure is comparable across noisy machines.
 * With `--screenshots DIR`, PNGs of the overview, the channels page (after creating a channel), the
 * calendar's week and month, the groups and tiers page, the clients page and the FAQ page are written there
 * (docs/console.md shows them).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import type { BrowserContext, Cookie } from 'playwright-core';
import { build } from 'vite';
import { openContext } from '../../src/app/context.ts';
import { buildWebApp } from '../../src/app/web.ts';
import { loadConfig } from '../../src/config.ts';
import { createRmsRepository } from '../../src/modules/contacts/rms.repository.ts';
import { createStaffRepository } from '../../src/modules/staff/staff.repository.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { launchChromium } from '../helpers/browser.ts';
import { createScratchDatabase } from '../helpers/scratch-database.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    screenshots: { type: 'string' },
  },
});
const runs = Number(args.runs);
const say = (m: string) => {
  if (!args.json) process.stderr.write(`${m}\n`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));

const CORP = 'wwbenchconsole0001';
const SECRETS = { app: 'bench-console-app', contact: 'bench-console-contact' };

say('building the console…');
const dist = mkdtempSync(path.join(tmpdir(), 'helix-console-bench-'));
await build({
  configFile: path.resolve('console/vite.config.ts'),
  build: { outDir: dist, emptyOutDir: true },
  logLevel: 'silent',
});
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const initialFiles = [
  ...html.matchAll(/<script type="module"[^>]*src="\/console\/([^"]+)"/g),
  ...html.matchAll(/<link rel="modulepreload"[^>]*href="\/console\/([^"]+)"/g),
].map((m) => m[1]!);
// The baseline's tiny page: the console's stylesheet, served under the console's own CSP (fetch allowed).
const stylesheet = /<link rel="stylesheet"[^>]*href="\/console\/([^"]+)"/.exec(html)?.[1] ?? 'index.html';
const gz = (file: string) => gzipSync(readFileSync(path.join(dist, file))).length;
const initialJs = initialFiles.reduce((s, f) => s + gz(f), 0);
const allJs = (await import('node:fs'))
  .readdirSync(path.join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .reduce((s, f) => s + gz(path.join('assets', f)), 0);

const emu = await startWecomEmulator({ corpId: CORP, secrets: SECRETS });
emu.emulator.seed({
  members: [
    { userid: 'ops_bench', name: '压测运营' },
    { userid: 'rm_bench', name: '压测经理' },
  ],
});
const scratch = await createScratchDatabase('helix_bench_console');
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: scratch.url,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: `{benchconsole${process.pid}}`,
  HELIX_DATA_DIR: 'memory://',
  WECOM_CORP_ID: CORP,
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: SECRETS.app,
  WECOM_CONTACT_SECRET: SECRETS.contact,
  WECOM_API_BASE_URL: emu.url,
  WECOM_OAUTH_BASE_URL: emu.url,
  WECOM_SSO_BASE_URL: emu.url,
  CONSOLE_DIR: dist,
  API_RESPONSE_CHECK: 'off',
});
const log = createLogger({ level: 'warn', name: 'helix-bench', destination: pino.destination(2) });
const opened = await openContext(config, log);
const web = buildWebApp(opened.ctx);
const browser = await launchChromium();
let server: Server | undefined;
let failed = false;
try {
  await web.syncContentLibrary();
  await createStaffRepository().upsert(opened.ctx.database.db, {
    userid: 'ops_bench',
    name: '压测运营',
    role: 'ops',
    branchScope: null,
    disabled: false,
  });
  await opened.ctx.database.db.transaction((tx) =>
    createRmsRepository().upsert(tx, 'rm_bench', {
      name: '压测经理',
      branch: '南山支行',
      persona: null,
      capacity: 2000,
    }),
  );
  server = await new Promise<Server>((resolve) => {
    const s = web.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  // Sign in once through the emulator's WeCom page; every measured load reuses the session's cookies.
  const signIn = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const first = await signIn.newPage();
  await first.goto(`${base}/console/`);
  await first.getByRole('link', { name: /压测运营/ }).click();
  await first.locator('header').getByText('当前用户').waitFor();
  const cookies: Cookie[] = await signIn.cookies();

  const fresh = async (): Promise<BrowserContext> => {
    const c = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    await c.addCookies(cookies);
    return c;
  };
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const from = new Date(`${today}T00:00:00+08:00`).toISOString();
  const to = new Date(new Date(from).getTime() + 86_400_000).toISOString();
  const calls = [
    '/api/v1/whoami',
    `/api/v1/calendar?from=${from}&to=${to}`,
    '/api/v1/conversations?state=pending-human&limit=500',
    '/api/v1/faq/deflection?days=1',
    '/api/v1/deliveries/daily?days=14',
  ];

  const tti: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = await fresh();
    const page = await c.newPage();
    // The last change the app makes to the page, timed from navigation start.
    await page.addInitScript(`
      window.__lastPaint = 0;
      new MutationObserver(() => { window.__lastPaint = performance.now(); })
        .observe(document, { childList: true, subtree: true, characterData: true });
    `);
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { name: '今日概览' }).waitFor();
    await page.waitForLoadState('networkidle');
    // Interactive once every API answer has arrived and the page has stopped changing.
    tti.push(
      await page.evaluate(`Math.max(window.__lastPaint, ...performance.getEntriesByType('resource')
        .filter((r) => r.name.includes('/api/v1/')).map((r) => r.responseEnd))`),
    );
    await c.close();

    const b = await fresh();
    const blank = await b.newPage();
    const started = Date.now();
    await blank.goto(`${base}/console/${stylesheet}`);
    await blank.evaluate(
      `Promise.all(${JSON.stringify(calls)}.map((u) => fetch(u, { credentials: 'same-origin' }).then((r) => r.json())))`,
    );
    baseline.push(Date.now() - started);
    await b.close();
  }

  if (args.screenshots) {
    const dir = path.resolve(args.screenshots);
    mkdirSync(dir, { recursive: true });
    const c = await fresh();
    const page = await c.newPage();
    await page.goto(`${base}/console/`);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(dir, 'overview.png') });
    await page.goto(`${base}/console/channels`);
    const form = page.getByRole('form', { name: '新建渠道' });
    await form.getByLabel('渠道编号').fill('metro-ads');
    await form.getByLabel('渠道名称').fill('地铁广告');
    await form.getByLabel('渠道参数 state').fill('metro-ads');
    await form.getByLabel('接待客户经理').fill('rm_bench');
    await form.getByRole('button', { name: '创建并生成活码' }).click();
    await page.getByRole('status').or(page.getByRole('alert')).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(dir, 'channels.png'), fullPage: true });
    await page.goto(`${base}/console/calendar`);
    await page.locator('.occ').first().waitFor();
    await page.screenshot({ path: path.join(dir, 'calendar.png'), fullPage: true });
    await page.getByRole('button', { name: '月', exact: true }).click();
    await page.locator('.week.month .occ').first().waitFor();
    await page.screenshot({ path: path.join(dir, 'calendar-month.png'), fullPage: true });
    for (const [at, file] of [
      ['groups', 'groups.png'],
      ['clients', 'clients.png'],
      ['faq', 'faq.png'],
    ] as const) {
      await page.goto(`${base}/console/${at}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: path.join(dir, file), fullPage: true });
    }
    await c.close();
    say(`screenshots in ${dir}`);
  }

  const ttiMs = Number(median(tti).toFixed(1));
  const baselineMs = median(baseline);
  const result = {
    initialJsGzipKB: kb(initialJs),
    totalJsGzipKB: kb(allJs),
    initialFiles: initialFiles.length,
    runs,
    ttiMs,
    baselineMs,
    ratio: Number((ttiMs / baselineMs).toFixed(2)),
    goalInitialUnder300KB: initialJs < 300 * 1024,
  };
  process.stdout.write(`${JSON.stringify(result, null, args.json ? 0 : 2)}\n`);
} catch (err) {
  failed = true;
  process.stderr.write(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
} finally {
  await browser.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await web.close();
  await opened.close();
  await emu.close();
  await scratch.drop();
  rmSync(dist, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
