import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EmulatorState } from './emulator-state.ts';
import type { MassMessages } from './group-messages.ts';
import type { Moments } from './moments.ts';

/**
 * Body of `POST /emulator/rm/simulate`: the share of pending senders who act, what makes the pick repeat,
 * and optionally the only senders who may act (everyone by default).
 */
export const rmSimulationSchema = z
  .object({
    confirmRate: z.number().min(0).max(1),
    seed: z.string().max(256).default(''),
    senders: z.array(z.string().min(1).max(256)).max(10_000).optional(),
  })
  .strict();

/** Simulation input, the seed optional. */
export type RmSimulationInput = z.input<typeof rmSimulationSchema>;

/**
 * Whether the simulated RM `sender` acts on task `id`: a hash of seed, id and sender, read as a fraction of
 * 2^32, below `rate`. Hashing rather than drawing random numbers makes a run repeat exactly for the same
 * seed and state, whatever order the tasks are visited in.
 */
export function rmActs(seed: string, id: string, sender: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const digest = createHash('sha256').update(`${seed}\u0000${id}\u0000${sender}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < rate;
}

/**
 * The simulated RMs work through everything pending: a deterministic share of the senders of each open
 * mass-message task confirm it, and of each moment publish it. Cancelled tasks are skipped.
 */
export function simulateRms(
  deps: { state: EmulatorState; mass: Pick<MassMessages, 'confirm'>; moments: Pick<Moments, 'publish'> },
  input: RmSimulationInput,
) {
  const { confirmRate, seed, senders } = rmSimulationSchema.parse(input);
  const mayAct = senders ? new Set(senders) : undefined;
  const acts = (id: string, sender: string) =>
    (mayAct === undefined || mayAct.has(sender)) && rmActs(seed, id, sender, confirmRate);
  const massMessages: { msgid: string; confirmed: string[]; left: string[] }[] = [];
  for (const task of deps.state.tasks.values()) {
    if (task.cancelledAt !== undefined) continue;
    const pending = [...task.senders].filter(([, p]) => p.status === 0).map(([userid]) => userid);
    if (pending.length === 0) continue;
    const confirmed = pending.filter((s) => acts(task.msgid, s));
    for (const sender of confirmed) deps.mass.confirm(task.msgid, sender);
    massMessages.push({ msgid: task.msgid, confirmed, left: pending.filter((s) => !confirmed.includes(s)) });
  }
  const moments: { momentId: string; published: string[]; left: string[] }[] = [];
  for (const moment of deps.state.moments.values()) {
    const pending = [...moment.senders].filter(([, p]) => p.publishStatus === 0).map(([userid]) => userid);
    if (pending.length === 0) continue;
    const published = pending.filter((s) => acts(moment.momentId, s));
    for (const sender of published) deps.moments.publish(moment.momentId, sender);
    moments.push({
      momentId: moment.momentId,
      published,
      left: pending.filter((s) => !published.includes(s)),
    });
  }
  return { massMessages, moments };
}

/** What a simulation did. */
export type RmSimulationResult = ReturnType<typeof simulateRms>;
