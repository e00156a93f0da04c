import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { JobDefinition, JobPolicy } from './registry.ts';

/** Producer side of the job system: one BullMQ Queue per queue name, typed enqueue by job definition. */
export type Queues = ReturnType<typeof createQueues>;

/** BullMQ job options for a definition's policy. */
export function jobOptions(policy: JobPolicy) {
  return {
    attempts: policy.attempts,
    backoff: policy.backoff,
    removeOnComplete: { count: policy.keepCompleted.count, age: policy.keepCompleted.ageS },
    removeOnFail: { count: policy.keepFailed.count, age: policy.keepFailed.ageS },
  };
}

/** Creates the queues for `definitions` on a fail-fast producer connection. */
export function createQueues(opts: {
  connection: Redis;
  prefix: string;
  definitions: readonly JobDefinition[];
}) {
  const queues = new Map<string, Queue>();
  for (const d of opts.definitions) {
    if (!queues.has(d.queue)) {
      queues.set(d.queue, new Queue(d.queue, { connection: opts.connection, prefix: opts.prefix }));
    }
  }
  const queueFor = (def: JobDefinition): Queue => {
    const q = queues.get(def.queue);
    if (!q) throw new Error(`no queue "${def.queue}" for job "${def.name}"; was it passed to createQueues?`);
    return q;
  };
  return {
    queues,
    /** Adds one job; a second add with the same deterministic id is a no-op. */
    async enqueue<S extends z.ZodType>(def: JobDefinition<string, S>, payload: z.infer<S>): Promise<void> {
      const data = def.payload.parse(payload);
      await queueFor(def as unknown as JobDefinition).add(def.name, data, {
        jobId: def.jobId(data),
        ...jobOptions(def.policy),
      });
    },
    /** Adds many jobs of one type in a single round trip. */
    async enqueueBulk<S extends z.ZodType>(
      def: JobDefinition<string, S>,
      payloads: z.infer<S>[],
    ): Promise<void> {
      if (payloads.length === 0) return;
      const opts = jobOptions(def.policy);
      await queueFor(def as unknown as JobDefinition).addBulk(
        payloads.map((p) => {
          const data = def.payload.parse(p);
          return { name: def.name, data, opts: { jobId: def.jobId(data), ...opts } };
        }),
      );
    },
    /**
     * Makes sure each payload has a live job: adds it when no job with its id exists, and replaces a job
     * that already completed or failed (its handler is idempotent). Returns how many were (re)added.
     */
    async ensureQueued<S extends z.ZodType>(
      def: JobDefinition<string, S>,
      payloads: z.infer<S>[],
    ): Promise<number> {
      const queue = queueFor(def as unknown as JobDefinition);
      const opts = jobOptions(def.policy);
      let added = 0;
      for (const p of payloads) {
        const data = def.payload.parse(p);
        const jobId = def.jobId(data);
        const state = await queue.getJobState(jobId);
        if (state === 'completed' || state === 'failed') await queue.remove(jobId);
        else if (state !== 'unknown') continue;
        await queue.add(def.name, data, { jobId, ...opts });
        added++;
      }
      return added;
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
