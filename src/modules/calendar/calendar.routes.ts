import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import {
  type CampaignStatsRepository,
  emptyStats,
  foldStats,
} from '../campaigns/campaign-stats.repository.ts';
import type { FanOut } from '../campaigns/fan-out.service.ts';
import type { CalendarRepository, EntryRow } from './calendar.repository.ts';
import {
  audienceSchema,
  CHANNELS,
  createEntrySchema,
  editEntrySchema,
  SKIP_RULES,
  scheduleSchema,
} from './calendar.schemas.ts';
import type { CalendarService } from './calendar.service.ts';
import { maskedRobotKey } from './robot-keys.ts';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
const idPath = z.object({ id: slug });
const occurrencePath = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 53 - 1),
});
const versionBody = z.object({ version: z.number().int().min(1) }).strict();
const rangeQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    entry: slug.optional(),
  })
  .strict();
const byQuery = z.object({ by: z.enum(['all', 'rm', 'branch']).default('all') }).strict();
const segmentFilter = audienceSchema.omit({ segment: true });
const createSegmentBody = z
  .object({
    id: slug,
    name: z.string().trim().min(1).max(64),
    filter: segmentFilter,
  })
  .strict();

const entryView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    componentId: z.string(),
    channel: z.enum(CHANNELS),
    audience: audienceSchema,
    schedule: scheduleSchema,
    skip: z.enum(SKIP_RULES),
    owner: z.string(),
    context: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    robotKeys: z
      .array(z.string())
      .optional()
      .meta({ description: 'masked as `robot:<key id>`; an edit may send a masked key back to keep it' }),
    status: z.enum(['active', 'paused', 'ended']),
    version: z.number().int().meta({ description: 'send it back with an edit or a status change' }),
    createdBy: z.string(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'CalendarEntry' });

const listedOccurrenceView = z
  .strictObject({
    entryId: z.string(),
    name: z.string(),
    channel: z.enum(CHANNELS),
    at: isoTime,
    status: z.enum(['running', 'done', 'failed', 'skipped', 'missed', 'scheduled', 'will_skip']),
    reason: z.string().nullable(),
    occurrenceId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'set once the occurrence is recorded (fired, skipped or missed)' }),
  })
  .meta({ id: 'CalendarListedOccurrence' });

const count = z.number().int();
const statsFields = {
  targeted: count,
  skipped: z.record(z.string(), count).meta({ description: 'recipients skipped, by reason' }),
  tasksCreated: count,
  tasksConfirmed: count,
  delivered: count,
  pending: count,
  failed: count,
  failedReasons: z.record(z.string(), count),
};
const statsView = z.strictObject(statsFields).meta({ id: 'CampaignStats' });
const statsField = {
  stats: z
    .union([
      statsView,
      z.array(z.strictObject({ rm: z.string().nullable(), ...statsFields })),
      z.array(z.strictObject({ branch: z.string().nullable(), ...statsFields })),
    ])
    .meta({ description: 'by=all: one set of figures; by=rm or by=branch: one set per RM or branch' }),
};

const statsOf = z.strictObject(statsField);

const occurrenceView = z
  .strictObject({
    id: z.number().int(),
    entryId: z.string(),
    scheduledAt: isoTime,
    entryVersion: z.number().int(),
    status: z.enum(['running', 'done', 'failed', 'skipped', 'missed']),
    reason: z.string().nullable(),
    firedAt: isoTime,
    finishedAt: isoTime.nullable(),
    ...statsField,
  })
  .meta({ id: 'CalendarOccurrence' });

const previewView = z.strictObject({
  targeted: count,
  eligible: count,
  skipped: z.record(z.string(), count).meta({ description: 'recipients who would be skipped, by reason' }),
  samples: z.array(
    z.union([
      z.strictObject({ persona: z.string().nullable(), variantId: z.string(), text: z.string() }),
      z.strictObject({
        persona: z.string().nullable(),
        variantId: z.string(),
        error: z.string().meta({ description: 'why this pair could not be rendered' }),
      }),
    ]),
  ),
  problem: z
    .string()
    .optional()
    .meta({ description: 'why nobody would be targeted (e.g. a missing segment)' }),
});

const segmentView = z
  .strictObject({ id: z.string(), name: z.string(), filter: segmentFilter, createdBy: z.string() })
  .meta({ id: 'AudienceSegment' });

/** The API's view of an entry. */
export function presentEntry(e: EntryRow): z.infer<typeof entryView> {
  return {
    id: e.id,
    ...e.body,
    // Webhook keys are secrets: shown masked; an edit may send a masked key back to keep it.
    ...(e.body.robotKeys ? { robotKeys: e.body.robotKeys.map(maskedRobotKey) } : {}),
    status: e.status,
    version: e.version,
    createdBy: e.createdBy,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
  };
}

/**
 * `/api/v1/calendar`: the content calendar. Head-office ops and admins create, edit, pause, resume and end
 * entries and saved segments; everyone with a scoped role may read it, and the figures are cut to their scope.
 */
export function createCalendarRouter(deps: {
  db: Db;
  calendar: CalendarService;
  repo: Pick<CalendarRepository, 'findOccurrence' | 'occurrenceIdsOf'>;
  fanOut: Pick<FanOut, 'preview'>;
  stats: CampaignStatsRepository;
}): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  // The calendar speaks to every branch's clients, so only head office (ops without a branch) changes it.
  const headOffice = (res: Response) => {
    if (locals(res).principal?.branchScope)
      throw new AppError('forbidden', {
        message: 'the content calendar is changed by head office only',
        zh: '内容日历只能由总行更改。',
      });
  };
  const write = requireRole('admin', 'ops');
  // The plan itself is no branch's data; the figures (stats) are, and are cut to the caller's scope.
  const read = requireRole('admin', 'ops', 'compliance', 'rm');
  const readFigures = requireScopedRole('admin', 'ops', 'compliance', 'rm');

  router.get(
    '/calendar',
    contract({
      tag: 'calendar',
      summary: "The calendar's occurrences in a range (at most 92 days), recorded or still to come",
      query: rangeQuery,
      responses: { 200: z.strictObject({ items: z.array(listedOccurrenceView) }) },
    }),
    read,
    async (req: Request, res: Response) => {
      const q = parseOrThrow(rangeQuery, req.query, 'query');
      const rows = await deps.calendar.occurrences(new Date(q.from), new Date(q.to), q.entry);
      res.json({
        items: rows.map((o) => ({ ...o, at: o.at.toISOString() })),
      });
    },
  );

  router.get(
    '/calendar/entries',
    contract({
      tag: 'calendar',
      summary: 'List the calendar entries',
      responses: { 200: z.strictObject({ items: z.array(entryView) }) },
    }),
    read,
    async (_req: Request, res: Response) => {
      res.json({ items: (await deps.calendar.list()).map(presentEntry) });
    },
  );

  router.get(
    '/calendar/entries/:id',
    contract({
      tag: 'calendar',
      summary: 'Get a calendar entry',
      params: idPath,
      responses: { 200: entryView },
    }),
    read,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      res.json(presentEntry(await deps.calendar.get(id)));
    },
  );

  router.post(
    '/calendar/entries',
    contract({
      tag: 'calendar',
      summary: 'Create a calendar entry (head office only)',
      description: 'The component must have an approved version; context values pass the compliance rules.',
      body: createEntrySchema,
      responses: { 201: entryView },
    }),
    write,
    async (req: Request, res: Response) => {
      headOffice(res);
      const { id, ...rest } = parseOrThrow(createEntrySchema, req.body, 'body');
      const row = await deps.calendar.create(id, rest, actor(res));
      res.status(201).json(presentEntry(row));
    },
  );

  router.put(
    '/calendar/entries/:id',
    contract({
      tag: 'calendar',
      summary: "Edit a calendar entry's definition (head office only; affects future occurrences)",
      description: 'Names the version it was made from; a stale version is a 409.',
      params: idPath,
      body: editEntrySchema,
      responses: { 200: entryView },
    }),
    write,
    async (req: Request, res: Response) => {
      headOffice(res);
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const { version, ...rest } = parseOrThrow(editEntrySchema, req.body, 'body');
      res.json(presentEntry(await deps.calendar.edit(id, version, rest, actor(res))));
    },
  );

  for (const [verb, status, summary] of [
    ['pause', 'paused', 'Pause a calendar entry: it fires no more until resumed (head office only)'],
    ['resume', 'active', 'Resume a paused calendar entry (head office only)'],
    ['end', 'ended', 'End a calendar entry: it never fires again (head office only)'],
  ] as const) {
    router.post(
      `/calendar/entries/:id/${verb}`,
      contract({
        tag: 'calendar',
        summary,
        params: idPath,
        body: versionBody,
        responses: { 200: entryView },
      }),
      write,
      async (req: Request, res: Response) => {
        headOffice(res);
        const { id } = parseOrThrow(idPath, req.params, 'path');
        const { version } = parseOrThrow(versionBody, req.body ?? {}, 'body');
        res.json(presentEntry(await deps.calendar.setStatus(id, version, status, actor(res))));
      },
    );
  }

  router.post(
    '/calendar/entries/:id/preview',
    contract({
      tag: 'calendar',
      summary: 'What an occurrence of the entry would do now, without recording anything',
      description: 'How many recipients, how many would be skipped and why, and sample texts per persona.',
      params: idPath,
      responses: { 200: previewView },
    }),
    write,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const entry = await deps.calendar.get(id);
      res.json(await deps.fanOut.preview(entry.body));
    },
  );

  router.get(
    '/calendar/entries/:id/stats',
    contract({
      tag: 'calendar',
      summary: "An entry's figures over all its occurrences, within the caller's scope",
      params: idPath,
      query: byQuery,
      responses: { 200: statsOf },
    }),
    readFigures,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const { by } = parseOrThrow(byQuery, req.query, 'query');
      await deps.calendar.get(id);
      res.json(await statsFor(await deps.repo.occurrenceIdsOf(deps.db, id), scopeOf(res), by));
    },
  );

  router.get(
    '/calendar/occurrences/:id',
    contract({
      tag: 'calendar',
      summary: "A recorded occurrence with its figures, within the caller's scope",
      params: occurrencePath,
      query: byQuery,
      responses: { 200: occurrenceView },
    }),
    readFigures,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(occurrencePath, req.params, 'path');
      const { by } = parseOrThrow(byQuery, req.query, 'query');
      const o = await deps.repo.findOccurrence(deps.db, id);
      if (!o)
        throw new AppError('not_found', {
          message: `no occurrence ${id}`,
          zh: `没有编号为 ${id} 的发送排期。`,
        });
      const view: z.infer<typeof occurrenceView> = {
        id: o.id,
        entryId: o.entryId,
        scheduledAt: new Date(o.scheduledAt).toISOString(),
        entryVersion: o.entryVersion,
        status: o.status,
        reason: o.reason,
        firedAt: new Date(o.firedAt).toISOString(),
        finishedAt: o.finishedAt ? new Date(o.finishedAt).toISOString() : null,
        ...(await statsFor([o.id], scopeOf(res), by)),
      };
      res.json(view);
    },
  );

  router.get(
    '/calendar/segments',
    contract({
      tag: 'calendar',
      summary: 'List the saved audience segments',
      responses: { 200: z.strictObject({ items: z.array(segmentView) }) },
    }),
    read,
    async (_req: Request, res: Response) => {
      const rows = await deps.calendar.listSegments();
      res.json({
        items: rows.map((s) => ({ id: s.id, name: s.name, filter: s.filter, createdBy: s.createdBy })),
      });
    },
  );

  router.post(
    '/calendar/segments',
    contract({
      tag: 'calendar',
      summary: 'Save an audience segment entries can name (head office only)',
      body: createSegmentBody,
      responses: { 201: createSegmentBody },
    }),
    write,
    async (req: Request, res: Response) => {
      headOffice(res);
      const body = parseOrThrow(createSegmentBody, req.body, 'body');
      await deps.calendar.createSegment(body, actor(res));
      res.status(201).json(body);
    },
  );

  async function statsFor(
    ids: number[],
    scope: ReturnType<typeof scopeOf>,
    by: 'all' | 'rm' | 'branch',
  ): Promise<z.infer<typeof statsOf>> {
    const folded = foldStats(
      await deps.stats.deliveries(deps.db, ids, scope, by),
      await deps.stats.tasks(deps.db, ids, scope, by),
    );
    if (by === 'all') return { stats: folded.get(null) ?? emptyStats() };
    const keyed = [...folded];
    return by === 'rm'
      ? { stats: keyed.map(([rm, s]) => ({ rm, ...s })) }
      : { stats: keyed.map(([branch, s]) => ({ branch, ...s })) };
  }

  return router;
}
