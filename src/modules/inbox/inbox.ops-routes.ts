import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { InboxRepository, InboxRow } from './inbox.repository.ts';

const INBOX_STATUSES = ['received', 'processed', 'dead'] as const;

const inboxView = z
  .strictObject({
    id: z.string(),
    source: z.enum(['app', 'bot']).meta({ description: 'the self-built app (XML) or the AI bot (JSON)' }),
    kind: z.string(),
    msgId: z.string().nullable(),
    status: z.enum(INBOX_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    receivedAt: isoTime,
    processedAt: isoTime.nullable(),
  })
  .meta({ id: 'InboxCallback' });

/** The operator's view of a stored callback. The decrypted payload is left out: it can hold client PII. */
export function presentInboxRow(r: InboxRow): z.infer<typeof inboxView> {
  return {
    id: String(r.id),
    source: r.source,
    kind: r.kind,
    msgId: r.msgId,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: r.processedAt?.toISOString() ?? null,
  };
}

const listFilters = { status: z.enum(INBOX_STATUSES).optional() };
const idCursor = z.tuple([z.number().int().min(1)]);
const idPath = z.object({ id: z.string().regex(/^\d{1,15}$/) });

/** `/api/v1/inbox`: lets ops see pending and dead-lettered callbacks (admin, ops). */
export function createInboxOpsRouter(deps: { db: Db; repo: InboxRepository }): Router {
  const router = Router();
  router.get(
    '/inbox',
    contract({
      tag: 'inbox',
      summary: 'List stored callbacks, newest first',
      query: listQuery(listFilters),
      responses: { 200: pageOf(inboxView) },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.repo.list(deps.db, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { before: decodeCursor(q.cursor, idCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (r) => [Number(r.id)]),
          presentInboxRow,
        ),
      );
    },
  );
  router.get(
    '/inbox/:id',
    contract({
      tag: 'inbox',
      summary: 'One stored callback (without its payload)',
      params: idPath,
      responses: { 200: inboxView },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const row = await deps.repo.findById(deps.db, Number(id));
      if (!row)
        throw new AppError('not_found', {
          message: `no inbox row ${id}`,
          zh: `没有编号为 ${id} 的收件记录。`,
        });
      res.json(presentInboxRow(row));
    },
  );
  return router;
}
