import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { createContentRepository } from '../../src/modules/content/content.repository.ts';
import { createContentRenderService } from '../../src/modules/content/content-render.service.ts';
import { createHttpMarketData } from '../../src/modules/content/market-data.ts';
import { createTestContext } from '../helpers/infra.ts';

// The morning brief through the real composition: config (MARKET_DATA_FILE) → provider → render service,
// with the library's approved versions in a real database.
const dir = mkdtempSync(path.join(tmpdir(), 'helix-brief-'));
const file = path.join(dir, 'market.json');
const writeMarket = (asOf: Date, csi300: number) => {
  writeFileSync(
    file,
    JSON.stringify({ asOf: asOf.toISOString(), values: { csi300, csi300Change: 0.52, usdCny: 7.1 } }),
  );
  // A distinct modification time per write, so the provider sees the change however fast the test runs.
  const stamp = new Date(Date.now() + Math.random() * 1000);
  utimesSync(file, stamp, stamp);
};
const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600_000);
writeMarket(threeDaysAgo, 3800.12);

const brief = {
  client: { externalUserid: 'wm_brief_1' },
  rm: { name: '张敏' },
  personaId: 'wenjian-laoshi',
} as const;

let ctx: AppContext;
let services: Services;
let close: (() => Promise<void>) | undefined;
beforeAll(async () => {
  const t = await createTestContext({ MARKET_DATA_FILE: file, MARKET_DATA_MAX_AGE_MINUTES: '1440' });
  ctx = t.ctx;
  close = t.close;
  services = createServices(ctx);
  await services.ensureContentLibrary();
});
afterAll(async () => {
  await services?.close();
  await close?.();
});

describe('morning brief with a market-data file', () => {
  it('is not sendable with stale figures, and says why everywhere it is asked', async () => {
    const rendering = services.rendering();
    const reason = `market data is stale: as of ${threeDaysAgo.toISOString()}, older than 1440 minutes`;
    expect(await rendering.marketDataProblem()).toBe(reason);
    await expect(
      rendering.renderApproved('morning-brief-daily', { ...brief, channel: 'text' }),
    ).rejects.toMatchObject({
      name: 'AppError',
      code: 'conflict',
      message: `morning-brief-daily: ${reason}`,
    });
    const preview = await rendering.preview('morning-brief-daily', { ...brief, channel: 'text' });
    expect(preview).toMatchObject({
      status: 'approved',
      sendable: false,
      unsendableReason: reason,
      marketData: 'live',
      marketDataAsOf: threeDaysAgo.toISOString(),
    });
    // The stale figures are shown to the reviewer, flagged, never sent.
    expect('payload' in preview && preview.payload.text).toContain('3800.12');
  });

  it('becomes sendable when the file is replaced with fresh figures, without a restart', async () => {
    writeMarket(new Date(), 3950.5);
    const rendering = services.rendering();
    expect(await rendering.marketDataProblem()).toBeUndefined();
    const sent = await rendering.renderApproved('morning-brief-daily', { ...brief, channel: 'text' });
    expect(sent).toMatchObject({ marketData: 'live', version: 1 });
    expect(sent.payload.text).toContain('3950.5');
    // Content without market figures never reads the provider, so a bad feed cannot stop a welcome.
    writeFileSync(file, '{ not json');
    expect(await rendering.marketDataProblem()).toMatch(/^market-data file is not valid JSON/);
    const reply = await rendering.renderApprovedText('bot-unreadable-reply', brief);
    expect(reply.text.length).toBeGreaterThan(0);
  });
});

describe('morning brief with a market-data feed that is down', () => {
  it('previews as not sendable with the reason, and refuses to render for sending', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const rendering = createContentRenderService({
      db: ctx.database.db,
      repo: createContentRepository(),
      check: services.checker(),
      library: services.library(),
      market: createHttpMarketData({
        url: `http://127.0.0.1:${port}/market`,
        fields: { csi300: 'csi300', csi300Change: 'change', usdCny: 'usdCny' },
        asOfField: 'asOf',
        maxAgeMs: 24 * 3600_000,
        timeoutMs: 500,
        clock: ctx.clock,
      }),
      sampleMarketDataSendable: true,
      clock: ctx.clock,
    });
    const reason = 'market-data feed unreachable: ECONNREFUSED';
    const preview = await rendering.preview('morning-brief-daily', { ...brief, channel: 'text' });
    expect(preview).toEqual({
      version: 1,
      status: 'approved',
      sendable: false,
      unsendableReason: reason,
      componentId: 'morning-brief-daily',
    });
    await expect(
      rendering.renderApproved('morning-brief-daily', { ...brief, channel: 'text' }),
    ).rejects.toMatchObject({ code: 'conflict', retryable: true, message: `morning-brief-daily: ${reason}` });
  });
});
