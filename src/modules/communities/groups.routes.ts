import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { GroupView } from './communities.repository.ts';
import type { GroupsService } from './groups.service.ts';

const registerBody = z
  .object({
    chatId: z.string().min(1).max(128),
    name: z.string().trim().min(1).max(64),
    groupKey: z.string().regex(/^[a-z0-9-]{1,32}$/, 'a tier, interest group or circle id'),
    capacity: z.number().int().min(2).max(2000).default(500),
    topicTags: z.array(z.string().min(1).max(32)).max(20).default([]),
  })
  .strict();
const listFilters = {
  groupKey: z.string().max(32).optional(),
  archived: z.enum(['true', 'false']).default('false'),
};
const groupCursor = z.tuple([z.string().max(32), z.string().max(64), z.string().max(128)]);
const chatPath = z.object({ chatId: z.string().min(1).max(128) });

const groupView = z
  .strictObject({
    chatId: z.string(),
    name: z.string(),
    groupKey: z.string().nullable().meta({ description: 'the tier, interest group or circle it serves' }),
    capacity: z.number().int(),
    memberCount: z.number().int(),
    status: z.string(),
    joinWayQr: z.string().nullable().meta({ description: "the QR code of its key's join way" }),
    archivedAt: isoTime.nullable(),
    ownerRm: z
      .string()
      .nullable()
      .meta({ description: "the group owner's WeCom userid (an RM), once known" }),
  })
  .meta({ id: 'Group' });

/** The API's view of a group. */
export function presentGroup(g: GroupView): z.infer<typeof groupView> {
  return {
    chatId: g.chatId,
    name: g.name,
    groupKey: g.groupKey,
    capacity: g.capacity,
    memberCount: g.memberCount,
    status: g.status,
    joinWayQr: g.joinWayQr,
    archivedAt: g.archivedAt ? new Date(g.archivedAt).toISOString() : null,
    ownerRm: g.ownerRm,
  };
}

/**
 * `/api/v1/groups`: ops register the customer groups routing may use, list them, and archive them.
 * Registering one refreshes the join way of its key: one QR code over the key's open groups (oldest first,
 * at most five) that WeCom fills in order and, when all are full, extends with a new group.
 */
export function createGroupsRouter(deps: { groups: GroupsService }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  router.get(
    '/groups',
    contract({
      tag: 'groups',
      summary: 'List the customer groups routing may use',
      query: listQuery(listFilters),
      responses: { 200: pageOf(groupView) },
    }),
    requireRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.groups.list({
        ...(q.groupKey ? { groupKey: q.groupKey } : {}),
        archived: q.archived === 'true',
        ...(q.cursor ? { after: decodeCursor(q.cursor, groupCursor) } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (g) => [g.groupKey ?? '', g.sortAt, g.chatId]),
          presentGroup,
        ),
      );
    },
  );
  router.post(
    '/groups',
    contract({
      tag: 'groups',
      summary: "Register a customer group and refresh its key's join way",
      body: registerBody,
      responses: { 201: groupView },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const body = parseOrThrow(registerBody, req.body, 'body');
      res.status(201).json(presentGroup(await deps.groups.register(body, actor(res))));
    },
  );
  router.post(
    '/groups/:chatId/archive',
    contract({
      tag: 'groups',
      summary: 'Archive a group (routing stops sending clients to it)',
      params: chatPath,
      responses: { 200: groupView },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { chatId } = parseOrThrow(chatPath, req.params, 'path');
      res.json(presentGroup(await deps.groups.archive(chatId, actor(res))));
    },
  );
  return router;
}
