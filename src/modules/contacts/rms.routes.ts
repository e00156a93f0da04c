import { sql } from 'drizzle-orm';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';

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

type RmView = {
  userid: string;
  name: string;
  branch: string | null;
  persona: string | null;
  capacity: number;
};
const selectRms = sql`SELECT userid, name, branch, persona, capacity FROM rms`;

/** `/api/v1/rms`: ops set up RMs (name, branch, persona, capacity); WeCom events only carry their userid. */
export function createRmsRouter(deps: { db: Db; audit: AuditRepository }): Router {
  const router = Router();
  router.get('/rms', requireRole('admin', 'ops'), async (_req: Request, res: Response) => {
    res.json({ items: await queryRows<RmView>(deps.db, sql`${selectRms} ORDER BY userid`) });
  });
  router.put('/rms/:userid', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
    const { userid } = parseOrThrow(
      z.object({ userid: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/) }),
      req.params,
      'path',
    );
    const body = parseOrThrow(rmBody, req.body, 'body');
    const actor = locals(res).principal?.name ?? 'unknown';
    const row = await deps.db.transaction(async (tx) => {
      await queryRows(
        tx,
        sql`INSERT INTO rms (userid, name, branch, persona, capacity)
            VALUES (${userid}, ${body.name}, ${body.branch}, ${body.persona}, ${body.capacity})
            ON CONFLICT (userid) DO UPDATE SET name = EXCLUDED.name, branch = EXCLUDED.branch,
              persona = EXCLUDED.persona, capacity = EXCLUDED.capacity, updated_at = now()`,
      );
      await deps.audit.append(tx, {
        actor,
        action: 'rm.upsert',
        targetType: 'rm',
        targetId: userid,
        details: body,
        requestId: locals(res).requestId ?? null,
      });
      const [rm] = await queryRows<RmView>(tx, sql`${selectRms} WHERE userid = ${userid}`);
      return rm;
    });
    res.json(row);
  });
  return router;
}
