import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';
import { type EntryBody, entryBodySchema } from './calendar.schemas.ts';

/** A seed file's problems, one `<file>: <field>: <reason>` line each. */
export class CalendarSeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarSeedError';
  }
}

const seedFileSchema = z
  .object({
    entries: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
          })
          .passthrough()
          .transform((e, ctx) => {
            const { id, ...rest } = e;
            const body = entryBodySchema.safeParse(rest);
            if (!body.success) {
              for (const i of body.error.issues) ctx.addIssue({ ...i, path: [id, ...i.path] } as never);
              return z.NEVER;
            }
            return { id, body: body.data };
          }),
      )
      .max(500),
  })
  .strict();

/** The content calendar's seed entries: `calendar/entries.yaml` under the library, or none without it. */
export function loadCalendarSeeds(libraryDir: string): { id: string; body: EntryBody }[] {
  const file = path.join(libraryDir, 'calendar', 'entries.yaml');
  if (!existsSync(file)) return [];
  const { entries } = loadYamlFile(file, seedFileSchema, (m) => new CalendarSeedError(m));
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) throw new CalendarSeedError(`${file}: entries: ${e.id} appears twice`);
    ids.add(e.id);
  }
  return entries;
}
