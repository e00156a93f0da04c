import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EmulatorState } from './emulator-state.ts';

/**
 * The parts of the state that are data (not functions, clock or call counters) and survive a restart. Tokens
 * are left out on purpose: a restarted WeCom invalidates them, and clients must cope with 40014 anyway.
 */
const PERSISTED = [
  'members',
  'contacts',
  'groups',
  'contactWays',
  'joinWays',
  'tagGroups',
  'welcomeCodes',
  'tasks',
  'moments',
  'momentJobs',
  'webhookMessages',
  'botReplies',
] as const satisfies readonly (keyof EmulatorState)[];

const FORMAT_VERSION = 1;

// Only the envelope is checked: the contents are written by this same code, and checking every nested entity
// here would duplicate emulator-state.ts's types for no gain. A file from another version is refused.
const fileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  savedAt: z.string().optional(),
  seq: z.number().int().min(0),
  state: z.record(z.string(), z.unknown()),
});

/** Maps become `{"$map": [[key, value], …]}` so they (nested ones too, like a task's senders) round-trip. */
function mapsToJson(_key: string, value: unknown): unknown {
  return value instanceof Map ? { $map: [...value] } : value;
}

function jsonToMaps(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const rec = value as Record<string, unknown>;
    if (Array.isArray(rec.$map) && Object.keys(rec).length === 1) {
      return new Map(rec.$map as [unknown, unknown][]);
    }
  }
  return value;
}

/** Serialises the state's data as the state file holds it. */
export function serializeState(state: EmulatorState, savedAt: Date): string {
  const data = Object.fromEntries(PERSISTED.map((k) => [k, state[k]]));
  return `${JSON.stringify({ version: FORMAT_VERSION, savedAt: savedAt.toISOString(), seq: state.seq, state: data }, mapsToJson, 2)}\n`;
}

/** Replaces the state's data with what `text` holds; maps are refilled in place, as the routes hold them. */
export function restoreState(state: EmulatorState, text: string): void {
  const parsed = fileSchema.parse(JSON.parse(text, jsonToMaps));
  for (const key of PERSISTED) {
    const saved = parsed.state[key];
    if (saved === undefined) continue;
    if (!(saved instanceof Map)) throw new Error(`state file: "${key}" is not a map`);
    const target = state[key] as Map<unknown, unknown>;
    target.clear();
    for (const [k, v] of saved) target.set(k, v);
  }
  state.seq = Math.max(state.seq, parsed.seq);
}

/** Loading at start, and debounced atomic saves, of one emulator's state file. */
export type StateFile = ReturnType<typeof createStateFile>;

/**
 * Keeps `state` in `file`. `load()` reads it once (a missing file is a fresh start); `schedule()` saves
 * `debounceMs` after the last change; `flush()` saves now and waits. Each save writes a temporary file and
 * renames it over the old one, so a crash leaves the previous or the new state, never half of one.
 */
export function createStateFile(
  state: EmulatorState,
  file: string,
  opts: { debounceMs?: number; onError?: (err: unknown) => void } = {},
) {
  const debounceMs = opts.debounceMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  // Saves run one after another, so an older snapshot can never be renamed over a newer one.
  let chain: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    const text = serializeState(state, state.clock.now());
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  };
  const save = (): Promise<void> => {
    const next = chain.then(write);
    chain = next.catch(() => {});
    return next;
  };

  return {
    file,
    /** Reads the file into the state; false when there is none yet. A file that cannot be read is an error. */
    load(): boolean {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ENOENT') {
          mkdirSync(path.dirname(file), { recursive: true });
          return false;
        }
        throw err;
      }
      try {
        restoreState(state, text);
      } catch (err) {
        // Refuse rather than overwrite: the file may hold a long-built demo corp someone wants back.
        throw new Error(`WeCom emulator state file ${file} is unreadable; fix or delete it`, { cause: err });
      }
      return true;
    },
    /** Saves after `debounceMs` without further changes. */
    schedule(): void {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        save().catch((err) => opts.onError?.(err));
      }, debounceMs);
      timer.unref();
    },
    /** Saves now (dropping a pending debounced save) and resolves once the file is renamed into place. */
    async flush(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await save();
    },
  };
}
