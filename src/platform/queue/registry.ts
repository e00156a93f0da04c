import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { Log } from '../logger.ts';

/**
 * The queue for work with a deadline measured in seconds (a welcome code lives 20 s). Its worker has its
 * own concurrency (WELCOME_CONCURRENCY), so nothing on the other queues (bot questions waiting on the LLM,
 * nightly jobs) can hold it up.
 */
export const TIME_CRITICAL_QUEUE = 'time-critical';

/** Retry and retention policy, explicit for every job. */
export type JobPolicy = {
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  /** Completed jobs kept for inspection: at most `count`, at most `ageS` seconds. */
  keepCompleted: { count: number; ageS: number };
  keepFailed: { count: number; ageS: number };
  /** BullMQ priority within the job's queue (1 is the highest); unset, jobs run first in, first out. */
  priority?: number;
};

/**
 * A job type: its name, the queue it runs on, its versioned zod payload and its deterministic id.
 * `version` is written with every job (see `JobEnvelope`); a job written under an older version runs only
 * through `migrate`, which turns the old payload into this version's input (it is validated after).
 */
export type JobDefinition<N extends string = string, S extends z.ZodType = z.ZodType> = {
  readonly name: N;
  readonly queue: string;
  readonly version: number;
  readonly payload: S;
  readonly policy: JobPolicy;
  // Method syntax on purpose: a definition of any payload must fit where any definition is accepted (the
  // job map, the queue list), and method parameters are compared bivariantly. Callers stay typed through S.
  /** Deterministic job id; BullMQ drops an add whose id already exists, which makes enqueues idempotent. */
  jobId(payload: z.output<S>): string;
  /** Upgrades a payload written under `fromVersion` (< `version`) to this version's input. */
  migrate?(old: unknown, fromVersion: number): z.input<S>;
};

/** Any job definition, whatever its payload. */
export type AnyJobDefinition = JobDefinition<string, z.ZodType>;

export type PayloadOf<D extends AnyJobDefinition> = z.output<D['payload']>;

/** What a producer passes to `enqueue` for a definition. */
export type PayloadInputOf<D extends AnyJobDefinition> = z.input<D['payload']>;

/** Declares a job type. */
export function defineJob<N extends string, S extends z.ZodType>(
  def: JobDefinition<N, S>,
): JobDefinition<N, S> {
  return def;
}

/** The one map of every job type a process knows: a key per definition, each job name used once. */
export type JobMap = Readonly<Record<string, AnyJobDefinition>>;

/** Declares the job map; throws when two entries share a job name (their jobs would be indistinguishable). */
export function defineJobMap<M extends JobMap>(jobs: M): M {
  const seen = new Set<string>();
  for (const d of Object.values(jobs)) {
    if (seen.has(d.name)) throw new Error(`job "${d.name}" is defined twice in the job map`);
    seen.add(d.name);
  }
  return Object.freeze(jobs);
}

/**
 * What BullMQ stores as a job's data: the payload and the version it was written under, so a worker of
 * another deploy can tell a payload it cannot read from one it can.
 */
export type JobEnvelope = { v: number; payload: unknown };

const envelopeSchema = z.object({ v: z.number().int().nonnegative(), payload: z.unknown() });

/** Wraps a validated payload for storage. */
export function toEnvelope<N extends string, S extends z.ZodType>(
  def: JobDefinition<N, S>,
  payload: z.output<S>,
): JobEnvelope {
  return { v: def.version, payload };
}

/**
 * Reads a stored job's data as `def`'s current payload. Data without an envelope was written before
 * versions were (version 0). A newer version, an older one the definition cannot migrate, a failing
 * migration or an invalid payload all fail the job for good, naming the job and the versions: retrying
 * cannot make this deploy read it.
 */
export function readEnvelope<N extends string, S extends z.ZodType>(
  def: JobDefinition<N, S>,
  data: unknown,
): z.output<S> {
  const env = envelopeSchema.safeParse(data);
  const v = env.success ? env.data.v : 0;
  let raw: unknown = env.success ? env.data.payload : data;
  if (v > def.version) {
    throw new UnrecoverableError(
      `job "${def.name}" payload is version ${v}, newer than this deploy's version ${def.version}; ` +
        'a newer deploy wrote it and must run it',
    );
  }
  if (v < def.version) {
    if (!def.migrate) {
      throw new UnrecoverableError(
        `job "${def.name}" payload is version ${v}, older than version ${def.version}, ` +
          'and the definition declares no migrate',
      );
    }
    try {
      raw = def.migrate(raw, v);
    } catch (err) {
      throw new UnrecoverableError(
        `job "${def.name}" payload version ${v} could not be migrated to version ${def.version}: ${
          err instanceof Error ? err.message : String(err)
        }`,
      );
    }
  }
  const parsed = def.payload.safeParse(raw);
  if (!parsed.success) {
    throw new UnrecoverableError(
      `invalid payload for job "${def.name}" (version ${def.version}): ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/** What a handler gets besides its payload. */
export type JobContext = { job: Job; log: Log; attempt: number; isFinalAttempt: boolean };

/** The code that performs one job type. `onGaveUp` runs once when the last attempt has failed. */
export type JobHandler<P> = {
  perform: (payload: P, ctx: JobContext) => Promise<void>;
  onGaveUp?: (payload: P, error: Error, ctx: JobContext) => Promise<void>;
};

/**
 * A definition bound to its handler. The payload type lives only inside the closures `handle` builds, so a
 * list of registrations of different payloads needs no cast: each one reads its own envelope.
 */
export type JobRegistration = {
  readonly definition: AnyJobDefinition;
  /** Reads the stored data (version checked, migrated, validated) and performs the job. */
  run: (data: unknown, ctx: JobContext) => Promise<void>;
  /** Runs `onGaveUp`, if any, when the data is still readable; a payload that never was has nothing to undo. */
  gaveUp: (data: unknown, error: Error, ctx: JobContext) => Promise<void>;
};

/** Binds `handler` to `definition` with the payload type checked. */
export function handle<N extends string, S extends z.ZodType>(
  definition: JobDefinition<N, S>,
  handler: JobHandler<z.output<S>>,
): JobRegistration {
  return {
    definition,
    run: async (data, ctx) => handler.perform(readEnvelope(definition, data), ctx),
    async gaveUp(data, error, ctx) {
      if (!handler.onGaveUp) return;
      let payload: z.output<S>;
      try {
        payload = readEnvelope(definition, data);
      } catch {
        return;
      }
      await handler.onGaveUp(payload, error, ctx);
    },
  };
}

/** The validated set of job types for a process: every definition has exactly one handler. */
export type JobRegistry = {
  definitions: readonly AnyJobDefinition[];
  handlerFor: (name: string) => JobRegistration | undefined;
  queueNames: () => string[];
};

/**
 * Builds the registry. Throws at boot when a definition has no handler, two handlers, or when a handler
 * names a job that is not in the map (or is a different definition under the same name), so a missing
 * wire-up cannot surface as silently stuck jobs.
 */
export function createJobRegistry(jobs: JobMap, registrations: readonly JobRegistration[]): JobRegistry {
  const problems: string[] = [];
  const definitions = Object.values(jobs);
  const defined = new Map<string, AnyJobDefinition>();
  for (const d of definitions) {
    if (defined.has(d.name)) problems.push(`job "${d.name}" is defined twice`);
    defined.set(d.name, d);
  }
  const byName = new Map<string, JobRegistration>();
  for (const r of registrations) {
    const name = r.definition.name;
    const known = defined.get(name);
    if (!known) problems.push(`handler for undefined job "${name}"`);
    else if (known !== r.definition) problems.push(`handler for job "${name}" binds another definition`);
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
