import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Jobs } from '../../src/app/jobs.ts';
import type { Queues } from '../../src/platform/queue/queues.ts';
import {
  createJobRegistry,
  defineJob,
  defineJobMap,
  handle,
  type JobContext,
  readEnvelope,
  toEnvelope,
} from '../../src/platform/queue/registry.ts';

const policy = {
  attempts: 1,
  backoff: { type: 'fixed' as const, delay: 1 },
  keepCompleted: { count: 1, ageS: 1 },
  keepFailed: { count: 1, ageS: 1 },
};

/** Version 2 renamed `count` to `n`; version 1 payloads still in Redis are migrated. */
const Counted = defineJob({
  name: 'test.counted',
  queue: 'q',
  version: 2,
  payload: z.object({ n: z.number().int() }),
  policy,
  jobId: (p) => `counted-${p.n}`,
  migrate(old, from) {
    const v1 = z.object({ count: z.number().int() }).parse(old);
    if (from !== 1) throw new Error(`no migration from version ${from}`);
    return { n: v1.count };
  },
});

/** Version 2 with no migration: older payloads cannot be read. */
const Strict = defineJob({
  name: 'test.strict',
  queue: 'q',
  version: 2,
  payload: z.object({ id: z.string() }),
  policy,
  jobId: (p) => `strict-${p.id}`,
});

const ctx = {} as JobContext;

// Never called: these lines only have to type-check (tsc runs over tests), the wrong ones must not.
function typeChecks(queues: Queues) {
  void queues.enqueue(Jobs.SendWelcome, { welcomeId: 7 });
  // @ts-expect-error the welcome id is a number, not a string
  void queues.enqueue(Jobs.SendWelcome, { welcomeId: '7' });
  // @ts-expect-error an inbox batch carries inboxIds, not a welcome id
  void queues.enqueue(Jobs.ProcessInbound, { welcomeId: 7 });
  handle(Jobs.SendWelcome, {
    async perform(payload) {
      const id: number = payload.welcomeId;
      // @ts-expect-error the handler's payload has no inboxIds
      void payload.inboxIds;
      void id;
    },
  });
}

describe('job payload versions', () => {
  it('types enqueue and handler payloads from the job map (checked by tsc)', () => {
    expect(typeChecks).toBeTypeOf('function');
  });

  it('writes the definition version with every payload, and reads its own version back unchanged', () => {
    const stored = toEnvelope(Counted, { n: 3 });
    expect(stored).toEqual({ v: 2, payload: { n: 3 } });
    expect(readEnvelope(Counted, JSON.parse(JSON.stringify(stored)))).toEqual({ n: 3 });
  });

  it('migrates an older payload through the definition’s migrate before the handler sees it', async () => {
    const seen: unknown[] = [];
    const reg = handle(Counted, {
      async perform(p) {
        seen.push(p);
      },
    });
    await reg.run({ v: 1, payload: { count: 5 } }, ctx);
    expect(seen).toEqual([{ n: 5 }]);
  });

  it('refuses an older payload it cannot migrate, naming the job and both versions', () => {
    expect(() => readEnvelope(Strict, { v: 1, payload: { id: 'x' } })).toThrow(UnrecoverableError);
    expect(() => readEnvelope(Strict, { v: 1, payload: { id: 'x' } })).toThrow(
      'job "test.strict" payload is version 1, older than version 2, and the definition declares no migrate',
    );
    // Data written before versions were has no envelope: version 0.
    expect(() => readEnvelope(Strict, { id: 'x' })).toThrow(/payload is version 0, older than version 2/);
    // A migrate that cannot handle the payload fails the job for good too, with the versions.
    expect(() => readEnvelope(Counted, { v: 1, payload: { n: 1 } })).toThrow(
      /job "test.counted" payload version 1 could not be migrated to version 2/,
    );
  });

  it('refuses a payload from a newer deploy instead of guessing at it', async () => {
    const reg = handle(Counted, { perform: async () => expect.unreachable() });
    const run = reg.run({ v: 3, payload: { n: 1, extra: true } }, ctx);
    await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(reg.run({ v: 3, payload: { n: 1 } }, ctx)).rejects.toThrow(
      'job "test.counted" payload is version 3, newer than this deploy\'s version 2',
    );
  });

  it('does not run onGaveUp for a payload it could never read', async () => {
    let gaveUp = 0;
    const reg = handle(Strict, {
      perform: async () => {},
      onGaveUp: async () => {
        gaveUp++;
      },
    });
    await reg.gaveUp({ v: 9, payload: {} }, new Error('x'), ctx);
    await reg.gaveUp({ v: 2, payload: { id: 'a' } }, new Error('x'), ctx);
    expect(gaveUp).toBe(1);
  });
});

describe('the job map', () => {
  it('holds each job name once, and the registry refuses a handler bound to a definition outside it', () => {
    expect(() => defineJobMap({ Strict, Again: { ...Strict } })).toThrow(/"test.strict" is defined twice/);
    const impostor = { ...Strict };
    expect(() => createJobRegistry({ Strict }, [handle(impostor, { perform: async () => {} })])).toThrow(
      /handler for job "test.strict" binds another definition/,
    );
  });

  it('has a handler for every job Helix defines (the worker would refuse to start otherwise)', () => {
    expect(Object.values(Jobs).map((d) => d.name)).toEqual(
      expect.arrayContaining(['inbox.process', 'inbox.process-urgent', 'contacts.send-welcome']),
    );
  });
});
