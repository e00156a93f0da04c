import { z } from 'zod';
import type { Log } from '../../platform/logger.ts';
import type { Queues } from '../../platform/queue/queues.ts';
import {
  defineJob,
  defineNightlyJob,
  handle,
  type JobPolicy,
  type JobRegistration,
  TIME_CRITICAL_QUEUE,
} from '../../platform/queue/registry.ts';
import type { WelcomeSender } from './welcome.service.ts';

/** The nightly attribution backfill (externalcontact/list + get) for one business date. */
export const BackfillAttribution = defineNightlyJob('contacts.backfill-attribution', 'contacts-backfill');

const welcomeLanePolicy: JobPolicy = {
  // A few quick retries only: past its code's 20 s a welcome is the sweeper's to fail.
  attempts: 3,
  backoff: { type: 'fixed', delay: 500 },
  keepCompleted: { count: 1000, ageS: 3600 },
  keepFailed: { count: 1000, ageS: 7 * 24 * 3600 },
};

/**
 * Sends one pending welcome; enqueued right after the add event's transaction commits. It runs on the
 * time-critical queue, so a welcome code's 20 s are never spent behind bot questions and their LLM calls.
 */
export const SendWelcome = defineJob({
  name: 'contacts.send-welcome',
  queue: TIME_CRITICAL_QUEUE,
  version: 1,
  payload: z.object({ welcomeId: z.number().int().positive() }),
  policy: welcomeLanePolicy,
  jobId: (p) => `welcome-${p.welcomeId}`,
});

/**
 * One welcome sweep for a 5-second slot (`slot`: YYYYMMDDHHmmss of the slot's start, UTC); the id makes every
 * scheduler replica's tick one job.
 */
export const SweepWelcomes = defineJob({
  name: 'contacts.sweep-welcomes',
  queue: TIME_CRITICAL_QUEUE,
  version: 1,
  payload: z.object({ slot: z.string().regex(/^\d{14}$/) }),
  policy: { ...welcomeLanePolicy, attempts: 1, keepCompleted: { count: 100, ageS: 600 } },
  jobId: (p) => `welcome-sweep-${p.slot}`,
});

/** The slot a sweep at `at` belongs to: the start of its 5-second slot, as YYYYMMDDHHmmss (UTC). */
export function welcomeSweepSlot(at: Date): string {
  const start = new Date(Math.floor(at.getTime() / 5000) * 5000);
  return start.toISOString().slice(0, 19).replace(/\D/g, '');
}

/** Binds the module's jobs to their handlers. */
export function registerContactsJobs(deps: {
  backfill: () => Promise<unknown>;
  welcome: Pick<WelcomeSender, 'send' | 'sweep'>;
  queues: Pick<Queues, 'ensureQueued'>;
  log: Log;
}): JobRegistration[] {
  return [
    handle(BackfillAttribution, {
      async perform() {
        await deps.backfill();
      },
    }),
    handle(SendWelcome, {
      async perform({ welcomeId }) {
        await deps.welcome.send(welcomeId);
      },
    }),
    handle(SweepWelcomes, {
      async perform() {
        const { pending } = await deps.welcome.sweep();
        // A welcome committed while Redis was away, or whose job died with a worker, gets its job back
        // while its code is still good; a finished job is replaced, since the send checks the row first.
        const requeued = await deps.queues.ensureQueued(
          SendWelcome,
          pending.map((welcomeId) => ({ welcomeId })),
        );
        if (requeued > 0) deps.log.info({ requeued }, 'pending welcomes re-enqueued');
      },
    }),
  ];
}
