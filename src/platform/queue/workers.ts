import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import { type Log, withLogContext } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { scrubErrorInPlace } from '../pii/log-scrubber.ts';
import type { JobContext, JobRegistry } from './registry.ts';

/** Consumer side: one BullMQ Worker per queue, dispatching each job to its registered handler. */
export type Workers = { close: () => Promise<void>; workers: Worker[] };

/** Starts a worker for every queue in `registry`. `connection` builds a blocking connection per worker. */
export function startWorkers(opts: {
  registry: JobRegistry;
  connection: () => Redis;
  prefix: string;
  concurrency: number;
  /** Queues that run with their own concurrency (the welcome lane), so they never wait for the others. */
  queueConcurrency?: Readonly<Record<string, number>>;
  lockDurationMs: number;
  stalledIntervalMs: number;
  log: Log;
  metrics: Metrics;
}): Workers {
  const { registry, log, metrics } = opts;

  const contextFor = (job: Job): JobContext => {
    const attempt = job.attemptsMade + 1;
    const max = job.opts.attempts ?? 1;
    return { job, log: log.child({ jobId: job.id, job: job.name }), attempt, isFinalAttempt: attempt >= max };
  };

  const processor = async (job: Job): Promise<void> => {
    const reg = registry.handlerFor(job.name);
    if (!reg) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    const ctx = contextFor(job);
    await withLogContext({ jobId: job.id ?? '' }, async () => {
      try {
        // The registration reads the envelope: version checked (migrated or refused), payload validated.
        await reg.run(job.data, ctx);
      } catch (err) {
        // BullMQ keeps a failed job's message and stack in Redis, where queue tools show them.
        scrubErrorInPlace(err);
        // A permanent AppError must not be retried: fail the job now.
        if (err instanceof AppError && !err.retryable) throw new UnrecoverableError(err.message);
        throw err;
      }
    });
  };

  const connections: Redis[] = [];
  const workers = registry.queueNames().map((queue) => {
    const connection = opts.connection();
    connections.push(connection);
    const worker = new Worker(queue, processor, {
      connection,
      prefix: opts.prefix,
      concurrency: opts.queueConcurrency?.[queue] ?? opts.concurrency,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      autorun: true,
    });
    worker.on('completed', (job) => metrics.jobsCompleted.inc({ job: job.name }));
    worker.on('failed', (job, err) => {
      if (!job) return;
      const ctx = contextFor(job);
      const gaveUp = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      metrics.jobFailures.inc({ job: job.name, final: String(gaveUp) });
      ctx.log.warn({ err, attempt: job.attemptsMade, gaveUp }, 'job failed');
      const reg = registry.handlerFor(job.name);
      if (gaveUp && reg) {
        reg.gaveUp(job.data, err, ctx).catch((e: unknown) => {
          ctx.log.error({ err: e }, 'onGaveUp handler failed');
        });
      }
    });
    worker.on('error', (err) => log.error({ err, queue }, 'worker error'));
    return worker;
  });

  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      // BullMQ leaves connections it was handed open; they are ours to close.
      for (const c of connections) c.disconnect();
    },
  };
}
