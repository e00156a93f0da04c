import type { Config } from '../config.ts';
import type { Clock } from '../platform/clock.ts';
import type { Log } from '../platform/logger.ts';
import { type AppContext, openContext } from './context.ts';
import { ensureDevSignIn } from './dev-sign-in.ts';
import { startSchedulerRole } from './scheduler.ts';
import { createServices } from './services.ts';
import { buildWebApp, startWebServer } from './web.ts';
import { connectEmulatorCallbacks, type RunningEmulator, startConfiguredEmulator } from './wecom-runtime.ts';
import { startWorkerRole } from './worker.ts';

/** A process role selectable from the CLI. */
export type ProcessRole = 'web' | 'worker' | 'scheduler' | 'all';

/** A running Helix process. `shutdown` runs the ordered stop sequence once. */
export type RunningHelix = {
  url?: string;
  /** The built-in WeCom emulator, when Helix started one in place of WeCom. */
  emulator?: RunningEmulator;
  /** The shared infrastructure, for embedding Helix (the demo, tools). */
  ctx: AppContext;
  shutdown: () => Promise<void>;
};

/**
 * Starts the roles `role` names and returns the ordered shutdown: stop HTTP, stop the scheduler, close
 * workers (active jobs finish), close queues, then close the database and Redis.
 */
export async function runHelix(
  config: Config,
  log: Log,
  role: ProcessRole,
  opts: { clock?: Clock } = {},
): Promise<RunningHelix> {
  const clockOpt = opts.clock ? { clock: opts.clock } : {};
  const emulator = config.wecom.emulator.enabled
    ? await startConfiguredEmulator(config, log, clockOpt)
    : undefined;
  if (emulator) {
    log.info(
      { emulatorUrl: emulator.url },
      `WeCom emulator: no WeCom credentials are configured, so Helix started its built-in WeCom emulator at ${emulator.url} and talks to it instead of WeCom. Set WECOM_CORP_ID, WECOM_SECRET and the other WECOM_* variables to use real WeCom.`,
    );
  }
  const opened = await openContext(config, log, {
    ...clockOpt,
    ...(emulator ? { wecomBaseUrl: emulator.url } : {}),
  }).catch(async (err: unknown) => {
    await emulator?.close();
    throw err;
  });
  const { ctx } = opened;
  // Built once for every role this process runs: one checker, one library, one FAQ index, one set of
  // WeCom clients and queues.
  const services = createServices(ctx);
  const close = async () => {
    await services.close();
    await opened.close();
    await emulator?.close();
  };
  const has = (r: ProcessRole) => role === 'all' || role === r;
  // Filled as roles start, run in this order at shutdown.
  const slots: Record<'http' | 'scheduler' | 'workers' | 'queues', (() => Promise<void>)[]> = {
    http: [],
    scheduler: [],
    workers: [],
    queues: [],
  };
  const ordered = () => [...slots.http, ...slots.scheduler, ...slots.workers, ...slots.queues, close];
  let url: string | undefined;
  try {
    if (has('web')) {
      const web = buildWebApp(ctx, { services });
      slots.queues.push(web.close);
      await services.ensureContentLibrary();
      const server = await startWebServer(web, {
        port: config.http.port,
        host: config.http.host,
        drainMs: config.shutdownTimeoutMs,
      });
      url = server.url;
      slots.http.push(server.stopHttp);
      // The emulator calls this Helix back, as WeCom would call the configured callback URL.
      if (emulator) {
        connectEmulatorCallbacks(emulator, config, server.url);
        await ensureDevSignIn({
          emulator: emulator.emulator,
          db: ctx.database.db,
          log,
          url: server.url,
          emulatorUrl: emulator.url,
        });
      }
      log.info({ url }, 'web role listening');
    }
    if (has('worker')) {
      const worker = await startWorkerRole(ctx, { services });
      slots.workers.push(worker.stopWorkers);
      slots.queues.push(worker.closeQueues);
    }
    if (has('scheduler')) {
      const scheduler = await startSchedulerRole(ctx, { services });
      slots.scheduler.push(scheduler.stop);
    }
  } catch (err) {
    for (const step of ordered()) await step().catch(() => {});
    throw err;
  }

  let done: Promise<void> | undefined;
  const shutdown = () => {
    done ??= (async () => {
      for (const step of ordered()) {
        try {
          await step();
        } catch (err) {
          log.error({ err }, 'shutdown step failed');
        }
      }
      log.info('shutdown complete');
    })();
    return done;
  };
  return { ...(url ? { url } : {}), ...(emulator ? { emulator } : {}), ctx, shutdown };
}
