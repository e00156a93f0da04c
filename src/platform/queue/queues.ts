import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  type AnyJobDefinition,
  type JobDefinition,
  type JobMap,
  type JobPolicy,
  toEnvelope,
} from './registry.ts';

/** Producer side of the job system: one BullMQ Queue per queue name, typed enqueue by job definition. */
export type Queues = ReturnType<typeof createQueues>;

/** BullMQ job options for a definition's policy. */
export function jobOptions(policy: JobPolicy) {
  return {
    attempts: policy.attempts,
    backoff: policy.backoff,
    ...(policy.priority === undefined ? {} : { priority: policy.priority }),
    removeOnComplete: { count: policy.keepCompleted.count, age: policy.keepCompleted.ageS },
    removeOnFail: { count: policy.keepFailed.count, age: policy.keepFailed.ageS },
  };
}

/**
 * Creates the queues for every definition in `jobs` on a fail-fast producer connection. Every job is
 * stored as an envelope `{ v, payload }` carrying its definition's version.
 */
export function createQueues(opts: { connection: Redis; prefix: string; jobs: JobMap }) {
  const queues = new Map<string, Queue>();
  const known = new Set<AnyJobDefinition>(Object.values(opts.jobs));
  for (const d of known) {
    if (!queues.has(d.queue)) {
      queues.set(d.queue, new Queue(d.queue, { connection: opts.connection, prefix: opts.prefix }));
    }
  }
  const queueFor = (def: AnyJobDefinition): Queue => {
    const q = queues.get(def.queue);
    if (!q || !known.has(def))
      throw new Error(`job "${def.name}" is not in the job map given to createQueues`);
    return q;
  };
  /** The validated payload in its envelope, and the job's deterministic id. */
  const prepare = <N extends string, S extends z.ZodType>(def: JobDefinition<N, S>, payload: z.input<S>) => {
    const data = def.payload.parse(payload);
    return { data: toEnvelope(def, data), jobId: def.jobId(data) };
  };
  return {
    queues,
    /**
     * Adds one job, after `delayMs` when given; a second add with the same deterministic id is a no-op.
     */
    async enqueue<N extends string, S extends z.ZodType>(
      def: JobDefinition<N, S>,
      payload: z.input<S>,
      opts: { delayMs?: number } = {},
    ): Promise<void> {
      const { data, jobId } = prepare(def, payload);
      const delay = opts.delayMs && opts.delayMs > 0 ? { delay: opts.delayMs } : {};
      await queueFor(def).add(def.name, data, { jobId, ...jobOptions(def.policy), ...delay });
    },
    /** Adds many jobs of one type in a single round trip. */
    async enqueueBulk<N extends string, S extends z.ZodType>(
      def: JobDefinition<N, S>,
      payloads: z.input<S>[],
    ): Promise<void> {
      if (payloads.length === 0) return;
      const opts = jobOptions(def.policy);
      await queueFor(def).addBulk(
        payloads.map((p) => {
          const { data, jobId } = prepare(def, p);
          return { name: def.name, data, opts: { jobId, ...opts } };
        }),
      );
    },
    /**
     * Makes sure each payload has a live job: adds it when no job with its id exists, and replaces a job
     * that already completed or failed (its handler is idempotent). Returns how many were (re)added.
     */
    async ensureQueued<N extends string, S extends z.ZodType>(
      def: JobDefinition<N, S>,
      payloads: z.input<S>[],
    ): Promise<number> {
      const queue = queueFor(def);
      const opts = jobOptions(def.policy);
      let added = 0;
      for (const p of payloads) {
        const { data, jobId } = prepare(def, p);
        const state = await queue.getJobState(jobId);
        if (state === 'completed' || state === 'failed') await queue.remove(jobId);
        else if (state !== 'unknown') continue;
        await queue.add(def.name, data, { jobId, ...opts });
        added++;
      }
      return added;
    },
    /** The state of the job a payload would have ('unknown' when BullMQ holds no such job). */
    async jobState<N extends string, S extends z.ZodType>(def: JobDefinition<N, S>, payload: z.input<S>) {
      return queueFor(def).getJobState(prepare(def, payload).jobId);
    },
    /** Counts of jobs per queue and state, for /metrics. */
    async depth(): Promise<{ queue: string; state: string; count: number }[]> {
      const rows: { queue: string; state: string; count: number }[] = [];
      for (const [name, q] of queues) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, count] of Object.entries(counts)) rows.push({ queue: name, state, count });
      }
      return rows;
    },
    async close(): Promise<void> {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
