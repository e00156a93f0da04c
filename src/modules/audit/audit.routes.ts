import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import type { AuditRepository } from './audit.repository.ts';

const listFilters = { targetType: z.string().max(64).optional() };
const idCursor = z.tuple([z.number().int().min(1)]);

/** `/api/v1/audit-log`: read-only view of the audit trail (admin, compliance). */
export function createAuditRouter(deps: { db: Db; repo: AuditRepository }): Router {
  const router = Router();
  router.get('/audit-log', requireRole('admin', 'compliance'), async (req: Request, res: Response) => {
    const q = parseListQuery(listFilters, req.query);
    const rows = await deps.repo.list(deps.db, {
      ...(q.targetType ? { targetType: q.targetType } : {}),
      ...(q.cursor ? { before: decodeCursor(q.cursor, idCursor)[0] } : {}),
      limit: q.limit + 1,
    });
    const page = toPage(rows, q.limit, (r) => [Number(r.id)]);
    res.json(
      mapPage(page, (r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        details: r.details,
        requestId: r.requestId,
      })),
    );
  });
  return router;
}
