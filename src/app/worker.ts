import { createInboundDispatcher, type InboundHandler } from '../modules/inbox/inbound-dispatcher.ts';
import { registerInboxJobs } from '../modules/inbox/inbox.jobs.ts';
import { createInboxRepository } from '../modules/inbox/inbox.repository.ts';
import { createInboxSweeper } from '../modules/inbox/inbox.sweeper.ts';
import { createJobRegistry, TIME_CRITICAL_QUEUE } from '../platform/queue/registry.ts';
import { startWorkers } from '../platform/queue/workers.ts';
import { createRedis } from '../platform/redis/connection.ts';
import { NIGHTLY_ANALYTICS } from './analytics-nightly.ts';
import type { AppContext } from './context.ts';
import { Jobs } from './jobs.ts';
import { wireWorkerModules } from './module-wiring.ts';
import { createServices, type Services } from './services.ts';

/** The worker role: BullMQ workers for every job, plus the inbox sweeper (and the modules' sweeps on it). */
export type WorkerRole = Awaited<ReturnType<typeof startWorkerRole>>;

/** Starts the worker role. Fails at boot if any job type lacks a handler or has two. */
export async function startWorkerRole(
  ctx: AppContext,
  opts: { inboundHandlers?: readonly InboundHandler[]; services?: Services } = {},
) {
  const { config, database, log, metrics } = ctx;
  const db = database.db;
  const inboxRepo = createInboxRepository();
  // Alone (tests, tools) the worker builds its own services; under `runHelix` it shares the process's.
  const services = opts.services ?? createServices(ctx);
  // Handlers enqueue follow-up jobs (a welcome's send) on the shared producer connection.
  const queues = services.queues();
  const modules = wireWorkerModules(ctx, services);
  await services.ensureContentLibrary();
  const dispatcher = createInboundDispatcher([...modules.inboundHandlers, ...(opts.inboundHandlers ?? [])]);
  const registry = createJobRegistry(Jobs, [
    ...registerInboxJobs({ db, repo: inboxRepo, dispatcher }),
    ...modules.jobs,
  ]);

  const workers = startWorkers({
    registry,
    connection: () => createRedis(ctx.redisUrl, 'worker'),
    prefix: config.queue.prefix,
    concurrency: config.queue.concurrency,
    queueConcurrency: { [TIME_CRITICAL_QUEUE]: config.queue.welcomeConcurrency },
    lockDurationMs: config.queue.lockDurationMs,
    stalledIntervalMs: config.queue.stalledIntervalMs,
    log,
    metrics,
  });
  // A nightly analytics job has replaced aggregate rows: the web processes' kept report answers are stale.
  const analytics = new Set<string>(NIGHTLY_ANALYTICS.map((j) => j.name));
  for (const w of workers.workers) {
    w.on('completed', (job) => {
      if (analytics.has(job.name)) void services.reportCache().invalidate();
    });
  }
  const sweeper = createInboxSweeper({
    db,
    repo: inboxRepo,
    queues,
    log,
    metrics,
    intervalMs: config.inbox.sweepIntervalMs,
    minAgeMs: config.inbox.sweepMinAgeMs,
    retentionS: config.inbox.dedupRetentionS,
    hooks: modules.sweeps,
  });
  sweeper.start();
  await Promise.all(workers.workers.map((w) => w.waitUntilReady()));
  log.info({ queues: registry.queueNames() }, 'worker role started');

  return {
    sweeper,
    workers,
    /** Stops taking jobs; lets the active ones finish. */
    async stopWorkers() {
      await sweeper.stop();
      await workers.close();
    },
    async closeQueues() {
      if (!opts.services) await services.close();
    },
  };
}
