import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { createTestContext, TEST_WECOM, waitUntil } from '../helpers/infra.ts';

/** The sidebar's JS-SDK signatures: made with WeCom's tickets, cached, and only for pages of this site. */
const SECRETS = { app: 'sidebar-app-secret', contact: 'sidebar-contact-secret' };
const SITE = 'https://helix.bank.example';
let emu: Awaited<ReturnType<typeof startWecomEmulator>>;
let web: WebApp;
let close: () => Promise<void>;
let rmToken: string;

beforeAll(async () => {
  emu = await startWecomEmulator({ corpId: TEST_WECOM.corpId, secrets: SECRETS });
  const t = await createTestContext({
    WECOM_SECRET: SECRETS.app,
    WECOM_CONTACT_SECRET: SECRETS.contact,
    WECOM_API_BASE_URL: emu.url,
    PUBLIC_BASE_URL: SITE,
  });
  close = t.close;
  web = buildWebApp(t.ctx);
  // The tickets are cached in Redis: the first signature waits for its connection, as a replica's
  // load balancer waits for /readyz.
  await waitUntil(async () => (await request(web.app).get('/readyz')).status === 200, 10_000, 'ready');
  rmToken = (
    await createTokenService({ db: t.ctx.database.db, audit: createAuditRepository() }).create({
      name: 'rm_wang',
      role: 'rm',
      branchScope: null,
      actor: 'test',
    })
  ).secret;
});
afterAll(async () => {
  await web?.close();
  await close?.();
  await emu?.close();
});

const config = (url: string) =>
  request(web.app)
    .post('/api/v1/sidebar/jssdk-config')
    .set('authorization', `Bearer ${rmToken}`)
    .send({ url });
const calls = (api: string) => emu.emulator.inspect().callCounts[api] ?? 0;

describe('sidebar JS-SDK configuration', () => {
  it('signs a page of this site for ww.register, fetching each ticket once for every later page', async () => {
    const first = await config(`${SITE}/sidebar/?entry=single_chat_tools#top`);
    expect(first.status).toBe(200);
    // WeCom itself (no built-in emulator): the page uses WeCom's JS-SDK.
    expect(first.body).toMatchObject({ corpId: TEST_WECOM.corpId, agentId: '1000002', emulatorOrigin: null });
    for (const kind of ['corp', 'agent'] as const) {
      expect(first.body[kind].signature).toMatch(/^[0-9a-f]{40}$/);
      expect(first.body[kind].nonceStr).toMatch(/^[0-9a-f]{24}$/);
    }
    const second = await config(`${SITE}/sidebar/other`);
    expect(second.status).toBe(200);
    expect(second.body.corp.signature).not.toBe(first.body.corp.signature);
    expect(calls('get_jsapi_ticket')).toBe(1);
    expect(calls('ticket/get')).toBe(1);
  });

  it("signs WeCom's way: SHA-1 of the ticket, nonce, time and the URL without its fragment", async () => {
    const res = await config(`${SITE}/sidebar/?c=1#x`);
    const ticket = (kind: 'corp' | 'agent') =>
      emu.emulator.jsapiTickets().find((t) => t.startsWith(`emu-${kind}-`));
    for (const kind of ['corp', 'agent'] as const) {
      const s = res.body[kind] as { nonceStr: string; timestamp: number; signature: string };
      const expected = createHash('sha1')
        .update(
          `jsapi_ticket=${ticket(kind)}&noncestr=${s.nonceStr}&timestamp=${s.timestamp}&url=${SITE}/sidebar/?c=1`,
        )
        .digest('hex');
      expect(s.signature, kind).toBe(expected);
    }
  });

  it('refuses a page of another site, naming the field', async () => {
    const res = await config('https://evil.example/sidebar/');
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([expect.stringContaining('url: must be a page of this site')]);
  });
});
