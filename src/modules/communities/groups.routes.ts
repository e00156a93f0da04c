import { sql } from 'drizzle-orm';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';

/** A join way covers at most this many groups (WECOM.md). */
const JOIN_WAY_MAX_GROUPS = 5;

const registerBody = z
  .object({
    chatId: z.string().min(1).max(128),
    name: z.string().trim().min(1).max(64),
    groupKey: z.string().regex(/^[a-z0-9-]{1,32}$/, 'a tier, interest group or circle id'),
    capacity: z.number().int().min(2).max(2000).default(500),
    topicTags: z.array(z.string().min(1).max(32)).max(20).default([]),
  })
  .strict();

type GroupView = {
  chatId: string;
  name: string;
  groupKey: string | null;
  capacity: number;
  memberCount: number;
  status: string;
  joinWayQr: string | null;
};

const selectGroups = sql`SELECT chat_id AS "chatId", name, group_key AS "groupKey", capacity,
                                member_count AS "memberCount", status, join_way_qr AS "joinWayQr"
                         FROM community_groups`;

/**
 * `/api/v1/groups`: ops register the customer groups routing may use. Registering one refreshes the join
 * way of its key: one QR code over the key's open groups (oldest first, at most five) that WeCom fills in
 * order and, when all are full, extends with a new group of the same base name.
 */
export function createGroupsRouter(deps: {
  db: Db;
  audit: AuditRepository;
  contact: Pick<WecomClient, 'addGroupJoinWay' | 'getGroupJoinWay'>;
}): Router {
  const router = Router();
  router.get('/groups', requireRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const q = parseOrThrow(z.object({ groupKey: z.string().max(32).optional() }), req.query, 'query');
    const rows = await queryRows<GroupView>(
      deps.db,
      sql`${selectGroups} ${q.groupKey ? sql`WHERE group_key = ${q.groupKey}` : sql``} ORDER BY group_key, created_at`,
    );
    res.json({ items: rows });
  });

  router.post('/groups', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
    const body = parseOrThrow(registerBody, req.body, 'body');
    const actor = locals(res).principal?.name ?? 'unknown';
    await queryRows(
      deps.db,
      sql`INSERT INTO community_groups (chat_id, name, group_key, capacity, topic_tags)
          VALUES (${body.chatId}, ${body.name}, ${body.groupKey}, ${body.capacity}, ${sql.param(body.topicTags)}::text[])
          ON CONFLICT (chat_id) DO UPDATE SET name = EXCLUDED.name, group_key = EXCLUDED.group_key,
            capacity = EXCLUDED.capacity, topic_tags = EXCLUDED.topic_tags`,
    );
    const open = await queryRows<{ chat_id: string }>(
      deps.db,
      sql`SELECT chat_id FROM community_groups
          WHERE group_key = ${body.groupKey} AND status = 'active' AND member_count < capacity
          ORDER BY created_at LIMIT ${JOIN_WAY_MAX_GROUPS}`,
    );
    if (open.length === 0) {
      throw new AppError('conflict', { message: `every group of "${body.groupKey}" is full or inactive` });
    }
    // The WeCom call happens outside any transaction; its result is recorded afterwards.
    const way = await deps.contact.addGroupJoinWay({
      scene: 2,
      chatIds: open.map((g) => g.chat_id),
      state: `grp-${body.groupKey}`.slice(0, 30),
      autoCreateRoom: true,
      roomBaseName: body.name.replace(/\d+群?$/, ''),
    });
    const { qrCode } = await deps.contact.getGroupJoinWay(way.configId);
    const row = await deps.db.transaction(async (tx) => {
      await queryRows(
        tx,
        sql`UPDATE community_groups SET join_way_config_id = ${way.configId},
              join_way_qr = ${qrCode}
            WHERE chat_id = ANY(${sql.param(open.map((g) => g.chat_id))}::text[])`,
      );
      await deps.audit.append(tx, {
        actor,
        action: 'group.register',
        targetType: 'community_group',
        targetId: body.chatId,
        details: { groupKey: body.groupKey, capacity: body.capacity, joinWay: way.configId },
        requestId: locals(res).requestId ?? null,
      });
      const [g] = await queryRows<GroupView>(tx, sql`${selectGroups} WHERE chat_id = ${body.chatId}`);
      return g;
    });
    res.status(201).json(row);
  });
  return router;
}
