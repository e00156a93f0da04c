import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { startWorkerRole, type WorkerRole } from '../../src/app/worker.ts';
import type { InboundHandler } from '../../src/modules/inbox/inbound-dispatcher.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { createTestContext, TEST_WECOM } from './infra.ts';

/** Helix (web + worker, listening) on test infrastructure, talking to an emulator that calls it back. */
export type HelixWithEmulator = Awaited<ReturnType<typeof startHelixWithEmulator>>;

/**
 * Starts the emulator (with Helix's dev secrets), a test context pointed at it (plus `env` overrides), the web role (content library
 * synced) on a free port and the worker (with any extra `inboundHandlers`), and connects the emulator's
 * callback driver to Helix. `logTo` receives Helix's log lines.
 */
export async function startHelixWithEmulator(
  opts: {
    groupCapacity?: number;
    env?: Record<string, string>;
    inboundHandlers?: InboundHandler[];
    logTo?: DestinationStream;
  } = {},
) {
  const emu = await startWecomEmulator({
    corpId: TEST_WECOM.corpId,
    secrets: { app: 'helixDevAppSecret', contact: 'helixDevContactSecret' },
    ...(opts.groupCapacity ? { groupCapacity: opts.groupCapacity } : {}),
  });
  const { ctx, close } = await createTestContext(
    { ...opts.env, WECOM_API_BASE_URL: emu.url },
    opts.logTo ? { logTo: opts.logTo } : {},
  );
  const web: WebApp = buildWebApp(ctx);
  await web.syncContentLibrary();
  const worker: WorkerRole = await startWorkerRole(
    ctx,
    opts.inboundHandlers ? { inboundHandlers: opts.inboundHandlers } : {},
  );
  const server: Server = await new Promise((resolve) => {
    const s = web.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  /** (Re)connects the emulator's callback driver to this Helix, optionally with its own clock. */
  const connectDriver = (clock?: Clock) =>
    emu.emulator.connectCallbacks({
      helixUrl: url,
      corpId: TEST_WECOM.corpId,
      agentId: '1000002',
      app: { token: TEST_WECOM.token, encodingAesKey: TEST_WECOM.encodingAesKey },
      bot: { token: TEST_WECOM.botToken, encodingAesKey: TEST_WECOM.botEncodingAesKey },
      responseBaseUrl: emu.url,
      ...(clock ? { clock } : {}),
    });
  connectDriver();
  return {
    emu,
    ctx: ctx as AppContext,
    web,
    worker,
    server,
    url,
    connectDriver,
    async stop() {
      await new Promise((r) => server.close(r));
      await worker.stopWorkers();
      await worker.closeQueues();
      await web.close();
      await close();
      await emu.close();
    },
  };
}
