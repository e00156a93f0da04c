import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { assertMayPlaceRm } from '../../platform/auth/scope.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { DirectoryRepository } from './directory.repository.ts';

const rmBody = z
  .object({
    name: z.string().trim().min(1).max(64),
    branch: z.string().trim().min(1).max(64).nullable().default(null),
    persona: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/)
      .nullable()
      .default(null),
    capacity: z.number().int().min(1).max(100_000).default(2000),
  })
  .strict();

/**
 * `/api/v1/rms`: ops set up RMs (name, branch, persona, capacity); WeCom events only carry their userid.
 * Branch ops see and edit their branch's RMs only; moving an RM between branches needs admin.
 */
export function createRmsRouter(deps: { db: Db; audit: AuditRepository; repo: DirectoryRepository }): Router {
  const router = Router();
  router.get('/rms', requireScopedRole('admin', 'ops'), async (_req: Request, res: Response) => {
    res.json({ items: await deps.repo.listRms(deps.db, scopeOf(res)) });
  });
  router.put('/rms/:userid', requireScopedRole('admin', 'ops'), async (req: Request, res: Response) => {
    const { userid } = parseOrThrow(
      z.object({ userid: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/) }),
      req.params,
      'path',
    );
    const body = parseOrThrow(rmBody, req.body, 'body');
    const p = locals(res).principal as Principal;
    const row = await deps.db.transaction(async (tx) => {
      const current = await deps.repo.rmForUpdate(tx, scopeOf(res), userid);
      // Another branch's RM looks absent, so a branch token cannot probe for it.
      if (current && !current.inScope)
        throw new AppError('not_found', { message: `no RM ${userid} in your scope` });
      assertMayPlaceRm(p, { exists: current !== undefined, branch: current?.branch ?? null }, body.branch);
      const rm = await deps.repo.upsertRm(tx, { userid, ...body });
      await deps.audit.append(tx, {
        actor: p.name,
        action: 'rm.upsert',
        targetType: 'rm',
        targetId: userid,
        details: { ...body, previousBranch: current?.branch ?? null },
        requestId: locals(res).requestId ?? null,
      });
      return rm;
    });
    res.json(row);
  });
  return router;
}
