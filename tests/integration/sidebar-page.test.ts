import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createTestContext } from '../helpers/infra.ts';

/**
 * `GET /sidebar` serves the built sidebar page, never cached and never framed; only with the built-in
 * emulator standing in for WeCom (development) may the emulator's origin frame it.
 */
const dist = mkdtempSync(path.join(tmpdir(), 'helix-sidebar-page-'));
const PAGE = '<!doctype html><title>sidebar</title><div id="root"></div>';
const helixes: { web: WebApp; close: () => Promise<void> }[] = [];

const start = async (env: Record<string, string>) => {
  const t = await createTestContext({ CONSOLE_DIR: dist, ...env });
  const web = buildWebApp(t.ctx);
  helixes.push({ web, close: t.close });
  return web;
};
let plain: WebApp;
let emulated: WebApp;

beforeAll(async () => {
  writeFileSync(path.join(dist, 'sidebar.html'), PAGE);
  plain = await start({});
  // The emulator is "on" with WeCom's API at 127.0.0.1:9: nothing here calls it.
  emulated = await start({ WECOM_EMULATOR: 'on' });
});
afterAll(async () => {
  for (const h of helixes) {
    await h.web.close();
    await h.close();
  }
  rmSync(dist, { recursive: true, force: true });
});

const directive = (csp: string | undefined, name: string) =>
  csp
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe('the sidebar page', () => {
  it('is served from the build, not cached, and may not be framed by anyone with real WeCom', async () => {
    const res = await request(plain.app).get('/sidebar').expect(200);
    expect(res.text).toBe(PAGE);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'];
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it("may be framed by the emulator's origin when the built-in emulator stands in for WeCom", async () => {
    const res = await request(emulated.app).get('/sidebar').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(directive(csp, 'frame-ancestors')).toBe('frame-ancestors http://127.0.0.1:9');
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    // frame-ancestors decides; no contradicting X-Frame-Options.
    expect(res.headers['x-frame-options']).toBeUndefined();
  });

  it('says so when the console has not been built', async () => {
    rmSync(path.join(dist, 'sidebar.html'));
    const res = await request(plain.app).get('/sidebar').expect(503);
    expect(res.text).toContain('npm run build:console');
    expect(directive(res.headers['content-security-policy'], 'frame-ancestors')).toBe(
      "frame-ancestors 'none'",
    );
    writeFileSync(path.join(dist, 'sidebar.html'), PAGE);
  });
});
