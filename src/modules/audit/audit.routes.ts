import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import type { auditLog } from '../../platform/db/schema.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import type { AuditRepository } from './audit.repository.ts';

const listFilters = { targetType: z.string().max(64).optional() };
const idCursor = z.tuple([z.number().int().min(1)]);

const auditEntryView = z
  .strictObject({
    id: z.string(),
    at: isoTime,
    actor: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

/** The API's view of one audit entry. */
function presentAuditEntry(r: typeof auditLog.$inferSelect): z.infer<typeof auditEntryView> {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
    requestId: r.requestId,
  };
}

/** `/api/v1/audit-log`: read-only view of the audit trail (admin, compliance). */
export function createAuditRouter(deps: { db: Db; repo: AuditRepository }): Router {
  const router = Router();
  router.get(
    '/audit-log',
    contract({
      tag: 'audit',
      summary: 'Read the audit trail, newest first',
      query: listQuery(listFilters),
      responses: { 200: pageOf(auditEntryView) },
    }),
    requireRole('admin', 'compliance'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.repo.list(deps.db, {
        ...(q.targetType ? { targetType: q.targetType } : {}),
        ...(q.cursor ? { before: decodeCursor(q.cursor, idCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (r) => [Number(r.id)]);
      res.json(mapPage(page, presentAuditEntry));
    },
  );
  return router;
}
