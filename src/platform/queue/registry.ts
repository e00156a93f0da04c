import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Log } from '../logger.ts';

/** Retry and retention policy, explicit for every job. */
export type JobPolicy = {
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  /** Completed jobs kept for inspection: at most `count`, at most `ageS` seconds. */
  keepCompleted: { count: number; ageS: number };
  keepFailed: { count: number; ageS: number };
};

/** A job type: its name, the queue it runs on, its versioned zod payload and its deterministic id. */
export type JobDefinition<N extends string = string, S extends z.ZodType = z.ZodType> = {
  name: N;
  queue: string;
  version: number;
  payload: S;
  policy: JobPolicy;
  /** Deterministic job id; BullMQ drops an add whose id already exists, which makes enqueues idempotent. */
  jobId: (payload: z.infer<S>) => string;
};

/** Declares a job type. */
export function defineJob<N extends string, S extends z.ZodType>(
  def: JobDefinition<N, S>,
): JobDefinition<N, S> {
  return def;
}

/** What a handler gets besides its payload. */
export type JobContext = { job: Job; log: Log; attempt: number; isFinalAttempt: boolean };

/** The code that performs one job type. `onGaveUp` runs once when the last attempt has failed. */
export type JobHandler<S extends z.ZodType = z.ZodType> = {
  perform: (payload: z.infer<S>, ctx: JobContext) => Promise<void>;
  onGaveUp?: (payload: z.infer<S>, error: Error, ctx: JobContext) => Promise<void>;
};

/** A definition bound to its handler. */
export type JobRegistration = { definition: JobDefinition; handler: JobHandler };

/** Binds `handler` to `definition` with the payload type checked. */
export function handle<S extends z.ZodType>(
  definition: JobDefinition<string, S>,
  handler: JobHandler<S>,
): JobRegistration {
  return { definition: definition as unknown as JobDefinition, handler: handler as unknown as JobHandler };
}

/** The validated set of job types for a process: every definition has exactly one handler. */
export type JobRegistry = {
  definitions: readonly JobDefinition[];
  handlerFor: (name: string) => JobRegistration | undefined;
  queueNames: () => string[];
};

/**
 * Builds the registry. Throws at boot when a definition has no handler, two handlers, or when a handler
 * names a job that was never defined, so a missing wire-up cannot surface as silently stuck jobs.
 */
export function createJobRegistry(
  definitions: readonly JobDefinition[],
  registrations: readonly JobRegistration[],
): JobRegistry {
  const problems: string[] = [];
  const defined = new Map<string, JobDefinition>();
  for (const d of definitions) {
    if (defined.has(d.name)) problems.push(`job "${d.name}" is defined twice`);
    defined.set(d.name, d);
  }
  const byName = new Map<string, JobRegistration>();
  for (const r of registrations) {
    const name = r.definition.name;
    if (!defined.has(name)) problems.push(`handler for undefined job "${name}"`);
    else if (byName.has(name)) problems.push(`job "${name}" has two handlers`);
    byName.set(name, r);
  }
  for (const name of defined.keys()) {
    if (!byName.has(name)) problems.push(`job "${name}" has no handler`);
  }
  if (problems.length > 0) throw new Error(`job registry is invalid: ${problems.join('; ')}`);
  return {
    definitions,
    handlerFor: (name) => byName.get(name),
    queueNames: () => [...new Set(definitions.map((d) => d.queue))],
  };
}

/**
 * A once-a-day maintenance job for one business date (`runDate`, YYYY-MM-DD). Its id is
 * `<idPrefix>-<runDate>`, so every scheduler replica's enqueue of the same night lands on one job.
 */
export function defineNightlyJob<N extends string>(name: N, idPrefix: string) {
  return defineJob({
    name,
    queue: 'maintenance',
    version: 1,
    payload: z.object({ runDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    policy: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 60_000 },
      keepCompleted: { count: 100, ageS: 30 * 24 * 3600 },
      keepFailed: { count: 100, ageS: 30 * 24 * 3600 },
    },
    jobId: (p) => `${idPrefix}-${p.runDate}`,
  });
}
