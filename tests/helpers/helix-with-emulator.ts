import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import type { AppContext } from '../../src/app/context.ts';
import type { HelixPorts } from '../../src/app/services.ts';
import type { InboundHandler } from '../../src/modules/inbox/inbound-dispatcher.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';
import { TEST_WECOM } from './infra.ts';
import { startWebAndWorker } from './web-and-worker.ts';

/** Helix (web + worker, listening) on test infrastructure, talking to an emulator that calls it back. */
export type HelixWithEmulator = Awaited<ReturnType<typeof startHelixWithEmulator>>;

/**
 * Starts the emulator (with Helix's dev secrets), then web + worker (`startWebAndWorker`, content library
 * synced) on a test context pointed at it (plus `env` overrides), with the worker taking any extra
 * `inboundHandlers`; the web role listens on a free port, and the emulator's callback driver is connected
 * to it. `logTo` receives Helix's log lines.
 */
export async function startHelixWithEmulator(
  opts: {
    groupCapacity?: number;
    env?: Record<string, string>;
    inboundHandlers?: InboundHandler[];
    logTo?: DestinationStream;
    /** Helix's clock and the emulator's (one clock, so WeCom's caps and windows move with Helix's time). */
    clock?: Clock;
    /** The emulator's per-API calls a minute before 45009. */
    rateLimitPerMinute?: number;
    /** Ports hung on the web role's services (see `startWebAndWorker`). */
    ports?: HelixPorts;
  } = {},
) {
  const emu = await startWecomEmulator({
    corpId: TEST_WECOM.corpId,
    secrets: { app: 'helixDevAppSecret', contact: 'helixDevContactSecret' },
    ...(opts.groupCapacity ? { groupCapacity: opts.groupCapacity } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.rateLimitPerMinute ? { rateLimitPerMinute: opts.rateLimitPerMinute } : {}),
  });
  const { ctx, web, worker, stop } = await startWebAndWorker({
    env: { ...opts.env, WECOM_API_BASE_URL: emu.url },
    syncContentLibrary: true,
    ...(opts.logTo ? { logTo: opts.logTo } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.inboundHandlers ? { inboundHandlers: opts.inboundHandlers } : {}),
    ...(opts.ports ? { ports: opts.ports } : {}),
  });
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
      await stop();
      await emu.close();
    },
  };
}
