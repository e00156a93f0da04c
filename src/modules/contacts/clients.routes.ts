import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { DirectoryRepository } from './directory.repository.ts';
import type { ProfileImportService } from './profile-import.service.ts';

/** Largest profile file accepted over HTTP; bigger feeds go through `helix import clients`. */
export const IMPORT_BODY_LIMIT = '50mb';

const listQuery = z.object({
  channel: z.string().max(64).optional(),
  tier: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * `/api/v1/clients`: profile import (ops, admin) and client lookup (rm, ops, admin), both within the
 * caller's scope: an RM sees their own clients, branch ops their branch's, admin everything.
 */
export function createClientsRouter(deps: {
  db: Db;
  imports: ProfileImportService;
  repo: DirectoryRepository;
}): Router {
  const router = Router();

  router.post(
    '/clients/import',
    requireScopedRole('admin', 'ops'),
    express.text({
      type: ['text/csv', 'application/x-ndjson', 'application/jsonl'],
      limit: IMPORT_BODY_LIMIT,
    }),
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
        scope: scopeOf(res),
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

  router.get('/clients', requireScopedRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const q = parseOrThrow(listQuery, req.query, 'query');
    res.json({ items: await deps.repo.listClients(deps.db, scopeOf(res), q) });
  });

  router.get('/clients/:id', requireScopedRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const { id } = parseOrThrow(z.object({ id: z.string().min(1).max(64) }), req.params, 'path');
    const row = await deps.repo.findClient(deps.db, scopeOf(res), id);
    // Out of scope looks the same as absent: an RM cannot probe for other RMs' clients.
    if (!row) throw new AppError('not_found', { message: `no client ${id} in your scope` });
    res.json(row);
  });
  return router;
}
