import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
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

const listQuery = z.object({
  status: z.enum(['received', 'processed', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** `/api/v1/inbox`: lets ops see pending and dead-lettered callbacks (admin, ops). */
export function createInboxOpsRouter(deps: { db: Db; repo: InboxRepository }): Router {
  const router = Router();
  router.get('/inbox', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
    const q = parseOrThrow(listQuery, req.query, 'query');
    const rows = await deps.repo.list(deps.db, q);
    res.json({ items: rows.map(presentInboxRow) });
  });
  router.get('/inbox/:id', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
    const { id } = parseOrThrow(z.object({ id: z.string().regex(/^\d{1,15}$/) }), req.params, 'path');
    const row = await deps.repo.findById(deps.db, Number(id));
    if (!row) throw new AppError('not_found', { message: `no inbox row ${id}` });
    res.json(presentInboxRow(row));
  });
  return router;
}
