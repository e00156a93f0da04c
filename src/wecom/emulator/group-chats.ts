import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { fail, ok, parseOr40058 } from './api-kit.ts';
import type { EmulatorState } from './emulator-state.ts';

const id = z.string().min(1).max(256);

// groupchat/list (developer.work.weixin.qq.com/document/path/92120): cursor paging, limit 1..1000.
const listSchema = z
  .object({
    status_filter: z.number().int().min(0).max(3).optional(),
    owner_filter: z.object({ userid_list: z.array(id).max(100) }).optional(),
    cursor: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(1000),
  })
  .passthrough();

// groupchat/get (developer.work.weixin.qq.com/document/path/92122).
const getSchema = z
  .object({ chat_id: id, need_name: z.union([z.literal(0), z.literal(1)]).optional() })
  .passthrough();

/** Mounts the customer-group reads on the /cgi-bin router; groups come from seeding and the callback driver. */
export function registerGroupChatRoutes(router: Router, state: EmulatorState): void {
  router.post('/externalcontact/groupchat/list', (req: Request, res: Response) => {
    const body = parseOr40058(res, listSchema, req.body);
    if (!body) return;
    const owners = body.owner_filter?.userid_list;
    const all = [...state.groups.values()].filter((g) => !owners || owners.includes(g.owner));
    // The cursor is an opaque offset, as WeCom's is opaque to callers.
    const start = body.cursor ? Number.parseInt(body.cursor, 10) || 0 : 0;
    const page = all.slice(start, start + body.limit);
    const next = start + page.length < all.length ? String(start + page.length) : '';
    ok(res, { group_chat_list: page.map((g) => ({ chat_id: g.chatId, status: 0 })), next_cursor: next });
  });

  // An unknown chat answers 40050; WeCom documents no dedicated code, so this is the emulator's choice.
  router.post('/externalcontact/groupchat/get', (req: Request, res: Response) => {
    const body = parseOr40058(res, getSchema, req.body);
    if (!body) return;
    const g = state.groups.get(body.chat_id);
    if (!g) return fail(res, 'invalidChatId');
    ok(res, {
      group_chat: {
        chat_id: g.chatId,
        name: g.name,
        owner: g.owner,
        create_time: g.createTime,
        notice: '',
        member_list: g.members.map((m) => ({
          userid: m.userid,
          type: m.type,
          join_time: m.joinTime,
          join_scene: m.joinScene,
          group_nickname: '',
          ...(body.need_name === 1 ? { name: nameOf(state, m.userid, m.type) } : {}),
        })),
        admin_list: [],
        member_version: String(g.members.length),
      },
    });
  });
}

const nameOf = (state: EmulatorState, userid: string, type: 1 | 2): string =>
  (type === 1 ? state.members.get(userid)?.name : state.contacts.get(userid)?.name) ?? userid;
