import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { InboxRepository, InboxRow } from './inbox.repository.ts';

/** The operator's view of a stored callback. The decrypted payload is left out: it can hold client PII. */
export function presentInboxRow(r: InboxRow) {
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

const listFilters = { status: z.enum(['received', 'processed', 'dead']).optional() };
const idCursor = z.tuple([z.number().int().min(1)]);

/** `/api/v1/inbox`: lets ops see pending and dead-lettered callbacks (admin, ops). */
export function createInboxOpsRouter(deps: { db: Db; repo: InboxRepository }): Router {
  const router = Router();
  router.get('/inbox', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
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
  });
  router.get('/inbox/:id', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
    const { id } = parseOrThrow(z.object({ id: z.string().regex(/^\d{1,15}$/) }), req.params, 'path');
    const row = await deps.repo.findById(deps.db, Number(id));
    if (!row) throw new AppError('not_found', { message: `no inbox row ${id}` });
    res.json(presentInboxRow(row));
  });
  return router;
}
