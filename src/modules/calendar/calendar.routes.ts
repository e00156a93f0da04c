import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import {
  type CampaignStatsRepository,
  emptyStats,
  foldStats,
} from '../campaigns/campaign-stats.repository.ts';
import type { FanOut } from '../campaigns/fan-out.service.ts';
import type { CalendarRepository, EntryRow } from './calendar.repository.ts';
import { audienceSchema, entryBodySchema } from './calendar.schemas.ts';
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

/** The API's view of an entry. */
export function presentEntry(e: EntryRow) {
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
      throw new AppError('forbidden', { message: 'the content calendar is changed by head office only' });
  };
  const write = requireRole('admin', 'ops');
  // The plan itself is no branch's data; the figures (stats) are, and are cut to the caller's scope.
  const read = requireRole('admin', 'ops', 'compliance', 'rm');
  const readFigures = requireScopedRole('admin', 'ops', 'compliance', 'rm');

  router.get('/calendar', read, async (req: Request, res: Response) => {
    const q = parseOrThrow(rangeQuery, req.query, 'query');
    const rows = await deps.calendar.occurrences(new Date(q.from), new Date(q.to), q.entry);
    res.json({
      items: rows.map((o) => ({ ...o, at: o.at.toISOString() })),
    });
  });

  router.get('/calendar/entries', read, async (_req: Request, res: Response) => {
    res.json({ items: (await deps.calendar.list()).map(presentEntry) });
  });

  router.get('/calendar/entries/:id', read, async (req: Request, res: Response) => {
    const { id } = parseOrThrow(idPath, req.params, 'path');
    res.json(presentEntry(await deps.calendar.get(id)));
  });

  router.post('/calendar/entries', write, async (req: Request, res: Response) => {
    headOffice(res);
    const body = parseOrThrow(z.object({ id: slug }).passthrough(), req.body, 'body');
    const { id, ...rest } = body;
    const row = await deps.calendar.create(id, parseEntry(rest), actor(res));
    res.status(201).json(presentEntry(row));
  });

  router.put('/calendar/entries/:id', write, async (req: Request, res: Response) => {
    headOffice(res);
    const { id } = parseOrThrow(idPath, req.params, 'path');
    const body = parseOrThrow(z.object({ version: z.number().int().min(1) }).passthrough(), req.body, 'body');
    const { version, ...rest } = body;
    res.json(presentEntry(await deps.calendar.edit(id, version, parseEntry(rest), actor(res))));
  });

  for (const [verb, status] of [
    ['pause', 'paused'],
    ['resume', 'active'],
    ['end', 'ended'],
  ] as const) {
    router.post(`/calendar/entries/:id/${verb}`, write, async (req: Request, res: Response) => {
      headOffice(res);
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const { version } = parseOrThrow(versionBody, req.body ?? {}, 'body');
      res.json(presentEntry(await deps.calendar.setStatus(id, version, status, actor(res))));
    });
  }

  router.post('/calendar/entries/:id/preview', write, async (req: Request, res: Response) => {
    const { id } = parseOrThrow(idPath, req.params, 'path');
    const entry = await deps.calendar.get(id);
    res.json(await deps.fanOut.preview(entry.body));
  });

  router.get('/calendar/entries/:id/stats', readFigures, async (req: Request, res: Response) => {
    const { id } = parseOrThrow(idPath, req.params, 'path');
    const { by } = parseOrThrow(byQuery, req.query, 'query');
    await deps.calendar.get(id);
    res.json(await statsFor(await deps.repo.occurrenceIdsOf(deps.db, id), scopeOf(res), by));
  });

  router.get('/calendar/occurrences/:id', readFigures, async (req: Request, res: Response) => {
    const { id } = parseOrThrow(occurrencePath, req.params, 'path');
    const { by } = parseOrThrow(byQuery, req.query, 'query');
    const o = await deps.repo.findOccurrence(deps.db, id);
    if (!o) throw new AppError('not_found', { message: `no occurrence ${id}` });
    res.json({
      id: o.id,
      entryId: o.entryId,
      scheduledAt: new Date(o.scheduledAt).toISOString(),
      entryVersion: o.entryVersion,
      status: o.status,
      reason: o.reason,
      firedAt: new Date(o.firedAt).toISOString(),
      finishedAt: o.finishedAt ? new Date(o.finishedAt).toISOString() : null,
      ...(await statsFor([o.id], scopeOf(res), by)),
    });
  });

  router.get('/calendar/segments', read, async (_req: Request, res: Response) => {
    const rows = await deps.calendar.listSegments();
    res.json({
      items: rows.map((s) => ({ id: s.id, name: s.name, filter: s.filter, createdBy: s.createdBy })),
    });
  });

  router.post('/calendar/segments', write, async (req: Request, res: Response) => {
    headOffice(res);
    const body = parseOrThrow(
      z
        .object({
          id: slug,
          name: z.string().trim().min(1).max(64),
          filter: audienceSchema.omit({ segment: true }),
        })
        .strict(),
      req.body,
      'body',
    );
    await deps.calendar.createSegment(body, actor(res));
    res.status(201).json(body);
  });

  async function statsFor(ids: number[], scope: ReturnType<typeof scopeOf>, by: 'all' | 'rm' | 'branch') {
    const folded = foldStats(
      await deps.stats.deliveries(deps.db, ids, scope, by),
      await deps.stats.tasks(deps.db, ids, scope, by),
    );
    if (by === 'all') return { stats: folded.get(null) ?? emptyStats() };
    return { stats: [...folded].map(([key, s]) => ({ [by]: key, ...s })) };
  }

  return router;
}

/** Validates an entry body as a 400 naming each bad field (the service parses it again, typed). */
function parseEntry(raw: Record<string, unknown>) {
  return parseOrThrow(entryBodySchema, raw, 'body');
}
