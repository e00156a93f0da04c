import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { ClientsRepository } from '../contacts/clients.repository.ts';
import { clientNotInScope } from '../contacts/clients.routes.ts';
import type { ClientTimelineService, TimelineEntry } from './client-timeline.service.ts';

const KINDS = ['touch', 'delivery', 'handoff'] as const;
const idPath = z.object({ id: z.string().min(1).max(64) });
const timelineCursor = z.tuple([
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
  z.enum(KINDS),
  z.string().regex(/^\d{1,19}$/),
]);

const timelineItem = z
  .strictObject({
    at: isoTime,
    kind: z.enum(KINDS),
    title: z.string().meta({
      description: "a touch's title, a delivery's calendar entry name, a hand-off's chat id",
    }),
    status: z.string().nullable().meta({
      description:
        'touch: due | done; delivery: pending | sent | failed | skipped; hand-off: its owner state',
    }),
    detail: z.string().nullable().meta({
      description:
        'touch: its kind; delivery: why it was skipped or failed; hand-off: sla_kept | sla_missed (null while open)',
    }),
    rm: z.string().nullable().meta({ description: 'the RM it went through, or who took the hand-off over' }),
  })
  .meta({ id: 'ClientTimelineEntry' });

/** An entry as the API answers it: milliseconds, like every other instant the API writes. */
const presentEntry = (e: TimelineEntry): z.infer<typeof timelineItem> => ({
  at: `${e.position.at.slice(0, 23)}Z`,
  kind: e.kind,
  title: e.title,
  status: e.status,
  detail: e.detail,
  rm: e.rm,
});

/**
 * `GET /api/v1/clients/:id/timeline`: what happened with one client, newest first, for admin, ops and RMs
 * within their scope. A client outside the scope answers 404, exactly as `GET /clients/:id` does.
 */
export function createClientTimelineRouter(deps: {
  db: Db;
  clients: Pick<ClientsRepository, 'find'>;
  timeline: ClientTimelineService;
}): Router {
  const router = Router();
  router.get(
    '/clients/:id/timeline',
    contract({
      tag: 'clients',
      summary: "One client's timeline: touches, deliveries and hand-offs, newest first",
      description:
        "Titles and statuses only: no message text of the client or the RM. 404 outside the caller's scope.",
      params: idPath,
      query: listQuery({}),
      responses: { 200: pageOf(timelineItem) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const q = parseListQuery({}, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, timelineCursor) : undefined;
      if (!(await deps.clients.find(deps.db, scopeOf(res), id))) throw clientNotInScope();
      const rows = await deps.timeline.page(deps.db, id, {
        ...(after ? { after: { at: after[0], kind: after[1], id: after[2] } } : {}),
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (e) => [e.position.at, e.position.kind, e.position.id]);
      res.json(mapPage(page, presentEntry));
    },
  );
  return router;
}
