import { sql } from 'drizzle-orm';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { locals } from '../../platform/http/request-context.ts';
import { PG_ID_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';

type ConversationView = {
  id: number;
  chatId: string;
  clientUserid: string;
  ownerState: string;
  rmUserid: string | null;
  takenOverBy: string | null;
  slaDueAt: string | null;
  slaKept: boolean | null;
};

const select = sql`SELECT id::int AS id, chat_id AS "chatId", client_userid AS "clientUserid", owner_state AS "ownerState",
                          rm_userid AS "rmUserid", taken_over_by AS "takenOverBy", sla_due_at AS "slaDueAt",
                          sla_kept AS "slaKept"
                   FROM conversations`;
// An RM sees the conversations handed to them or taken over by them; ops and admin see all.
const scope = (p: Principal) =>
  p.role === 'rm' ? sql`(rm_userid = ${p.name} OR taken_over_by = ${p.name})` : sql`TRUE`;

/** `/api/v1/conversations`: hand-offs to work on, and closing one once the client is helped. */
export function createConversationsRouter(deps: { db: Db; audit: AuditRepository }): Router {
  const router = Router();
  router.get('/conversations', requireRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const q = parseOrThrow(
      z.object({ state: z.enum(['bot', 'pending-human', 'human', 'resolved']).optional() }),
      req.query,
      'query',
    );
    const p = locals(res).principal as Principal;
    const items = await queryRows<ConversationView>(
      deps.db,
      sql`${select} WHERE ${scope(p)} ${q.state ? sql`AND owner_state = ${q.state}` : sql``} ORDER BY id DESC LIMIT 200`,
    );
    res.json({ items });
  });
  router.post(
    '/conversations/:id/resolve',
    requireRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(
        z.object({ id: z.coerce.number().int().min(1).max(PG_ID_MAX) }),
        req.params,
        'path',
      );
      const p = locals(res).principal as Principal;
      const row = await deps.db.transaction(async (tx) => {
        const [c] = await queryRows<ConversationView>(
          tx,
          sql`UPDATE conversations SET owner_state = 'resolved', updated_at = now()
            WHERE id = ${id} AND owner_state IN ('pending-human', 'human') AND ${scope(p)}
            RETURNING id::int AS id, chat_id AS "chatId", client_userid AS "clientUserid", owner_state AS "ownerState",
                      rm_userid AS "rmUserid", taken_over_by AS "takenOverBy", sla_due_at AS "slaDueAt", sla_kept AS "slaKept"`,
        );
        if (!c) throw new AppError('not_found', { message: `no open hand-off ${id} in your scope` });
        await deps.audit.append(tx, {
          actor: p.name,
          action: 'conversation.resolve',
          targetType: 'conversation',
          targetId: String(id),
          requestId: locals(res).requestId ?? null,
        });
        return c;
      });
      res.json(row);
    },
  );
  return router;
}
