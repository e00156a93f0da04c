import { sql } from 'drizzle-orm';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { locals } from '../../platform/http/request-context.ts';
import { guardRequestInput, parseOrThrow } from '../../platform/http/validate.ts';
import type { ProfileImportService } from './profile-import.service.ts';

/** Largest profile file accepted over HTTP; bigger feeds go through `helix import clients`. */
export const IMPORT_BODY_LIMIT = '50mb';

type ClientView = {
  externalUserid: string;
  name: string | null;
  aumBand: string | null;
  riskLevel: string | null;
  tags: string[];
  ownerRm: string | null;
  branch: string | null;
  channelId: string | null;
  status: string;
  tier: string | null;
  tierSince: string | null;
  acquiredAt: string | null;
};

/**
 * Who may see which clients: an RM only their own (the token's name is their WeCom userid), ops only
 * their branch when the token has a branch scope, admin everything.
 */
function scopeFilter(p: Principal) {
  if (p.role === 'rm') return sql`c.owner_rm = ${p.name}`;
  if (p.role === 'ops' && p.branchScope) return sql`r.branch = ${p.branchScope}`;
  return sql`TRUE`;
}

const listQuery = z.object({
  channel: z.string().max(64).optional(),
  tier: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** `/api/v1/clients`: profile import (ops, admin) and scoped client lookup (rm, ops, admin). */
export function createClientsRouter(deps: { db: Db; imports: ProfileImportService }): Router {
  const router = Router();
  const select = sql`SELECT c.external_userid AS "externalUserid", c.name, c.aum_band AS "aumBand",
                            c.risk_level AS "riskLevel", c.tags, c.owner_rm AS "ownerRm", r.branch,
                            c.channel_id AS "channelId", c.status, c.tier, c.tier_since AS "tierSince",
                            c.acquired_at AS "acquiredAt"
                     FROM clients c LEFT JOIN rms r ON r.userid = c.owner_rm`;

  router.post(
    '/clients/import',
    requireRole('admin', 'ops'),
    express.text({
      type: ['text/csv', 'application/x-ndjson', 'application/jsonl'],
      limit: IMPORT_BODY_LIMIT,
    }),
    guardRequestInput(),
    async (req: Request, res: Response) => {
      const type = req.headers['content-type'] ?? '';
      if (typeof req.body !== 'string') {
        throw new AppError('unsupported_media_type', {
          message: 'send the file as text/csv or application/x-ndjson',
        });
      }
      const p = locals(res).principal;
      const outcome = await deps.imports.importProfiles({
        text: req.body,
        format: type.startsWith('text/csv') ? 'csv' : 'jsonl',
        fileName: typeof req.query.fileName === 'string' ? req.query.fileName.slice(0, 200) : null,
        actor: p?.name ?? 'unknown',
        via: 'api',
        requestId: locals(res).requestId ?? null,
      });
      if (!outcome.ok) {
        throw new AppError('bad_request', {
          message: `import rejected: ${outcome.problems.length} problem(s); nothing was changed`,
          details: { rows: outcome.rows, problems: outcome.problems },
        });
      }
      res.status(201).json(outcome);
    },
  );

  router.get('/clients', requireRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const q = parseOrThrow(listQuery, req.query, 'query');
    const p = locals(res).principal as Principal;
    const rows = await queryRows<ClientView>(
      deps.db,
      sql`${select} WHERE ${scopeFilter(p)}
          ${q.channel ? sql`AND c.channel_id = ${q.channel}` : sql``}
          ${q.tier ? sql`AND c.tier = ${q.tier}` : sql``}
          ORDER BY c.external_userid LIMIT ${q.limit}`,
    );
    res.json({ items: rows });
  });

  router.get('/clients/:id', requireRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const { id } = parseOrThrow(z.object({ id: z.string().min(1).max(64) }), req.params, 'path');
    const p = locals(res).principal as Principal;
    const [row] = await queryRows<ClientView>(
      deps.db,
      sql`${select} WHERE c.external_userid = ${id} AND ${scopeFilter(p)}`,
    );
    // Out of scope looks the same as absent: an RM cannot probe for other RMs' clients.
    if (!row) throw new AppError('not_found', { message: `no client ${id} in your scope` });
    res.json(row);
  });
  return router;
}
