import type { DestinationStream } from 'pino';
import type { AppContext } from '../../src/app/context.ts';
import type { HelixPorts } from '../../src/app/services.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { startWorkerRole, type WorkerRole } from '../../src/app/worker.ts';
import type { InboundHandler } from '../../src/modules/inbox/inbound-dispatcher.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createTestContext } from './infra.ts';

/** Helix's web and worker roles on one test context (in process, not listening), and their teardown. */
export type WebAndWorker = {
  ctx: AppContext;
  web: WebApp;
  worker: WorkerRole;
  /** Stops the worker, closes its queues, the web role and the context (and drops its database). */
  stop: () => Promise<void>;
};

export type WebAndWorkerOptions = {
  /** Environment overrides for the test context (see `testEnv`). */
  env?: Record<string, string | undefined>;
  /** Receives Helix's log lines. */
  logTo?: DestinationStream;
  /** Extra inbound handlers for the worker. */
  inboundHandlers?: InboundHandler[];
  /**
   * Runs on the fresh context before either role starts (to create tables, recorders…); the handlers it
   * returns are added to the worker's, after `inboundHandlers`.
   */
  prepare?: (ctx: AppContext) => Promise<InboundHandler[] | undefined> | InboundHandler[] | undefined;
  /** Syncs the content library into the database before the worker starts. */
  syncContentLibrary?: boolean;
  /** Helix's clock (the real one when unset). */
  clock?: Clock;
  /** Ports other modules hang on the web role's services (e.g. a recorder for referral rewards). */
  ports?: HelixPorts;
};

/** Starts a test context, then the web role and the worker role on it. */
export async function startWebAndWorker(opts: WebAndWorkerOptions = {}): Promise<WebAndWorker> {
  const { ctx, close } = await createTestContext(opts.env, {
    ...(opts.logTo ? { logTo: opts.logTo } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  let web: WebApp | undefined;
  let worker: WorkerRole | undefined;
  const stop = async () => {
    await worker?.stopWorkers();
    await worker?.closeQueues();
    await web?.close();
    await close();
  };
  try {
    const prepared = (await opts.prepare?.(ctx)) ?? [];
    const inboundHandlers = [...(opts.inboundHandlers ?? []), ...prepared];
    web = buildWebApp(ctx, opts.ports ? { ports: opts.ports } : {});
    if (opts.syncContentLibrary) await web.syncContentLibrary();
    worker = await startWorkerRole(ctx, { inboundHandlers });
    return { ctx, web, worker, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}
