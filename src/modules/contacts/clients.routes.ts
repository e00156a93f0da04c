import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { guardRequestInput, parseOrThrow } from '../../platform/http/validate.ts';
import type { ClientsRepository } from './clients.repository.ts';
import type { ProfileImportService } from './profile-import.service.ts';

/** Largest profile file accepted over HTTP; bigger feeds go through `helix import clients`. */
export const IMPORT_BODY_LIMIT = '50mb';

const listFilters = {
  channel: z.string().max(64).optional(),
  tier: z.string().max(32).optional(),
};
const clientCursor = z.tuple([z.string().max(64)]);

/**
 * `/api/v1/clients`: profile import (ops, admin) and client lookup (rm, ops, admin), both within the
 * caller's scope: an RM sees their own clients, branch ops their branch's, admin everything.
 */
export function createClientsRouter(deps: {
  db: Db;
  repo: ClientsRepository;
  imports: ProfileImportService;
}): Router {
  const router = Router();

  router.post(
    '/clients/import',
    requireScopedRole('admin', 'ops'),
    // Raw bytes, not express.text: the file's encoding is detected from its bytes (Excel in China saves
    // GB18030 and labels nothing), and decoding them as UTF-8 here would turn every name into mojibake.
    express.raw({
      type: ['text/csv', 'application/x-ndjson', 'application/jsonl'],
      limit: IMPORT_BODY_LIMIT,
    }),
    guardRequestInput(),
    async (req: Request, res: Response) => {
      const type = req.headers['content-type'] ?? '';
      if (!Buffer.isBuffer(req.body)) {
        throw new AppError('unsupported_media_type', {
          message: 'send the file as text/csv or application/x-ndjson',
        });
      }
      const p = locals(res).principal;
      const outcome = await deps.imports.importProfiles({
        file: req.body,
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
    const q = parseListQuery(listFilters, req.query);
    const rows = await deps.repo.list(deps.db, scopeOf(res), {
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.tier ? { tier: q.tier } : {}),
      ...(q.cursor ? { after: decodeCursor(q.cursor, clientCursor)[0] } : {}),
      limit: q.limit + 1,
    });
    res.json(toPage(rows, q.limit, (c) => [c.externalUserid]));
  });

  router.get('/clients/:id', requireScopedRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const { id } = parseOrThrow(z.object({ id: z.string().min(1).max(64) }), req.params, 'path');
    const row = await deps.repo.find(deps.db, scopeOf(res), id);
    // Out of scope looks the same as absent: an RM cannot probe for other RMs' clients.
    // The id is left out of the message: it may be an ID or phone number, and messages reach the log.
    if (!row) throw new AppError('not_found', { message: 'no such client in your scope' });
    res.json(row);
  });
  return router;
}
