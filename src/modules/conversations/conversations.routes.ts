import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { PG_ID_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ConversationView } from './conversations.repository.ts';
import type { ConversationsService } from './conversations.service.ts';

const ownerState = z.enum(['bot', 'pending-human', 'human', 'resolved']);
const listFilters = { state: ownerState.optional() };
const idCursor = z.tuple([z.number().int().min(1)]);
const idPath = z.object({ id: z.coerce.number().int().min(1).max(PG_ID_MAX) });

const conversationView = z
  .strictObject({
    id: z.number().int(),
    chatId: z.string(),
    clientUserid: z.string(),
    ownerState,
    rmUserid: z.string().nullable().meta({ description: 'the RM it was handed to' }),
    takenOverBy: z.string().nullable(),
    slaDueAt: isoTime.nullable().meta({ description: 'when a person must have taken over' }),
    slaKept: z
      .boolean()
      .nullable()
      .meta({ description: 'whether a person took over in time; null until decided' }),
  })
  .meta({ id: 'Conversation' });

/** The API's view of a conversation. */
function presentConversation(c: ConversationView): z.infer<typeof conversationView> {
  return { ...c, ownerState: ownerState.parse(c.ownerState) };
}

/**
 * `/api/v1/conversations`: hand-offs to work on, and closing one once the client is helped. An RM sees
 * their own, branch ops their branch's, admin all; anything else answers 404.
 */
export function createConversationsRouter(deps: {
  db: Db;
  conversations: Pick<ConversationsService, 'list' | 'resolve'>;
  audit: AuditRepository;
}): Router {
  const router = Router();
  router.get(
    '/conversations',
    contract({
      tag: 'conversations',
      summary: 'List bot conversations and hand-offs in your scope, newest first',
      query: listQuery(listFilters),
      responses: { 200: pageOf(conversationView) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.conversations.list(deps.db, scopeOf(res), {
        ...(q.state ? { state: q.state } : {}),
        ...(q.cursor ? { before: decodeCursor(q.cursor, idCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (c) => [c.id]),
          presentConversation,
        ),
      );
    },
  );
  router.post(
    '/conversations/:id/resolve',
    contract({
      tag: 'conversations',
      summary: 'Resolve an open hand-off (pending or taken over) in your scope',
      params: idPath,
      responses: { 200: conversationView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const p = locals(res).principal as Principal;
      const row = await deps.db.transaction(async (tx) => {
        const c = await deps.conversations.resolve(tx, scopeOf(res), id);
        if (!c)
          throw new AppError('not_found', {
            message: `no open hand-off ${id} in your scope`,
            zh: `在您的权限范围内没有编号为 ${id} 的待处理转人工会话。`,
          });
        await deps.audit.append(tx, {
          actor: p.name,
          action: 'conversation.resolve',
          targetType: 'conversation',
          targetId: String(id),
          requestId: locals(res).requestId ?? null,
        });
        return c;
      });
      res.json(presentConversation(row));
    },
  );
  return router;
}
