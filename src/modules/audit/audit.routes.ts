import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { AuditRepository } from './audit.repository.ts';

const listQuery = z.object({
  targetType: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `/api/v1/audit-log`: read-only view of the audit trail (admin, compliance). */
export function createAuditRouter(deps: { db: Db; repo: AuditRepository }): Router {
  const router = Router();
  router.get('/audit-log', requireRole('admin', 'compliance'), async (req: Request, res: Response) => {
    const q = parseOrThrow(listQuery, req.query, 'query');
    const rows = await deps.repo.list(deps.db, q);
    res.json({
      items: rows.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        details: r.details,
        requestId: r.requestId,
      })),
    });
  });
  return router;
}
