import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type request from 'supertest';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { launchChromium } from './browser.ts';
import { createTestContext, TEST_WECOM } from './infra.ts';
import { startWebAndWorker } from './web-and-worker.ts';

const SECRETS = { app: 'e2e-app-secret', contact: 'e2e-contact-secret' };

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** What a console end-to-end test works with; the fields are filled once `beforeAll` has run. */
export type ConsoleWorld = {
  ctx: AppContext;
  web: WebApp;
  emu: Awaited<ReturnType<typeof startWecomEmulator>>;
  /** The console's address, e.g. `http://127.0.0.1:41234`. */
  base: string;
  browser: Browser;
  /** A supertest request with an admin token, for seeding through the API. */
  asAdmin: (r: request.Test) => request.Test;
  /**
   * Opens the console at `at`, signed in as the member named `name`: on the emulator's WeCom page the
   * first time in a file (or after their session ended), with that session's cookies after that. With
   * `clock`, the page runs on Playwright's clock (installed before it loads, time flowing as usual), so a
   * test can move the page's timers on with `page.clock.runFor(ms)` instead of waiting for them. The
   * page's browser context is closed when the test ends.
   */
  signedIn: (name: string, at?: string, opts?: { clock?: boolean }) => Promise<Page>;
  /** The accessibility problems axe-core rates serious or critical on the page as it is now. */
  axeProblems: (page: Page) => Promise<string[]>;
};

/** Every file under `dir` (recursively), sorted, skipping build output. */
function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name !== 'dist' && e.name !== 'node_modules')
    .flatMap((e) => (e.isDirectory() ? sourcesOf(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/**
 * The console built from the current sources, once per version of them: the build lands in a folder of
 * the temp directory named by a hash of `console/`'s files, so the test files of a run (and later runs of
 * the same sources) share one build instead of each running Vite. Files that start together may each
 * build; the first to finish moves its build into place and the others discard theirs.
 */
async function consoleBuild(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of sourcesOf(path.resolve('console'))) hash.update(file).update(readFileSync(file));
  const dir = path.join(tmpdir(), `helix-console-e2e-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  const building = mkdtempSync(`${dir}-building-`);
  await build({
    configFile: path.resolve('console/vite.config.ts'),
    build: { outDir: building, emptyOutDir: true },
    logLevel: 'silent',
  });
  try {
    renameSync(building, dir);
  } catch {
    // Another file's build got there first: it is the same build.
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Registers hooks that build the console from source (or reuse the build of the same sources), start the WeCom emulator
 * with `members` and a Helix web role (content library synced) on a real port, and launch Debian's
 * Chromium. Seed data in the test file's own `beforeAll`, which runs after this one.
 */
export function useConsoleWorld(
  members: { userid: string; name: string }[],
  /** `env`: more variables for Helix, e.g. `WECOM_EMULATOR: 'on'` to treat the emulator as the built-in one. */
  opts: { worker?: boolean; env?: Record<string, string> } = {},
): ConsoleWorld {
  const world = {} as ConsoleWorld;
  let server: Server | undefined;
  let close: (() => Promise<void>) | undefined;
  /** Chromium, launched while Helix boots. */
  let launching: Promise<Browser> | undefined;
  /**
   * The cookies of each member's console session, by name: signing in through WeCom's page once per file
   * is enough, later tests open the console with them (and sign in again if that session has ended).
   */
  const sessions = new Map<string, StorageState>();
  /** The browser contexts the current test opened. */
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Chromium starts while Helix boots: neither needs the other until a test signs in.
    launching = launchChromium();
    // Awaited at the end of this hook, and closed in afterAll even when the boot fails before then.
    launching.catch(() => {});
    const dist = await consoleBuild();
    world.emu = await startWecomEmulator({ corpId: TEST_WECOM.corpId, secrets: SECRETS });
    world.emu.emulator.seed({ members });
    const env = {
      WECOM_SECRET: SECRETS.app,
      WECOM_CONTACT_SECRET: SECRETS.contact,
      WECOM_API_BASE_URL: world.emu.url,
      WECOM_OAUTH_BASE_URL: world.emu.url,
      WECOM_SSO_BASE_URL: world.emu.url,
      CONSOLE_DIR: dist,
      ...opts.env,
    };
    if (opts.worker) {
      // The worker role too, for tests whose data arrives as WeCom callbacks.
      const helix = await startWebAndWorker({ env, syncContentLibrary: true });
      close = helix.stop;
      world.ctx = helix.ctx;
      world.web = helix.web;
    } else {
      const t = await createTestContext(env);
      close = async () => {
        await world.web?.close();
        await t.close();
      };
      world.ctx = t.ctx;
      world.web = buildWebApp(t.ctx);
      await world.web.syncContentLibrary();
    }
    const admin = (
      await createTokenService({ db: world.ctx.database.db, audit: createAuditRepository() }).create({
        name: 'root',
        role: 'admin',
        branchScope: null,
        actor: 'test',
      })
    ).secret;
    world.asAdmin = (r) => r.set('authorization', `Bearer ${admin}`);
    server = await new Promise<Server>((resolve) => {
      const s = world.web.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    world.base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    if (opts.worker)
      world.emu.emulator.connectCallbacks({
        helixUrl: world.base,
        corpId: TEST_WECOM.corpId,
        agentId: '1000002',
        app: { token: TEST_WECOM.token, encodingAesKey: TEST_WECOM.encodingAesKey },
        bot: { token: TEST_WECOM.botToken, encodingAesKey: TEST_WECOM.botEncodingAesKey },
        responseBaseUrl: world.emu.url,
      });
    world.browser = await launching;
  }, 60_000);

  // A test's pages stop with it: a page left open keeps polling and ticking while later tests run.
  afterEach(async () => {
    const open = contexts;
    contexts = [];
    await Promise.all(open.map((c) => c.close()));
  });

  afterAll(async () => {
    // Also when the boot failed before `world.browser` was set.
    await (await launching?.catch(() => undefined))?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await close?.();
    await world.emu?.close();
  });

  world.signedIn = async (name, at = '/console/', opts = {}) => {
    const saved = sessions.get(name);
    const context = await world.browser.newContext({
      locale: 'zh-CN',
      ...(saved ? { storageState: saved } : {}),
    });
    contexts.push(context);
    if (opts.clock) await context.clock.install();
    const page = await context.newPage();
    // Well inside the test's own timeout, so a missing element fails with Playwright's message.
    page.setDefaultTimeout(10_000);
    await page.goto(`${world.base}${at}`);
    // Not signed in: the console sends the browser to WeCom's sign-in page (the emulator's).
    const inConsole = page.getByText('当前用户');
    const weCom = page.getByRole('link', { name: new RegExp(name) });
    // With a session from before, the console opens at once, unless that session has ended meanwhile
    // (changing a staff record ends its sessions): then it goes to WeCom's page as without one.
    if (saved) await inConsole.or(weCom).first().waitFor();
    if (!saved || page.url().startsWith(world.emu.url)) await weCom.click();
    await inConsole.waitFor();
    sessions.set(name, await context.storageState());
    return page;
  };
  world.axeProblems = async (page) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  return world;
}
