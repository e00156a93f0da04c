import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { epochSeconds, fail, ok, parseOr40058, qrImageUrl } from './api-kit.ts';
import type { EmuGroup, EmuJoinWay, EmulatorState } from './emulator-state.ts';

const id = z.string().min(1).max(256);

// groupchat/add_join_way (developer.work.weixin.qq.com/document/path/92229): 1 to 5 groups, state ≤ 30 chars.
const addJoinWaySchema = z
  .object({
    scene: z.union([z.literal(1), z.literal(2)]),
    remark: z.string().max(30).optional(),
    auto_create_room: z.union([z.literal(0), z.literal(1)]).optional(),
    room_base_name: z.string().max(40).optional(),
    room_base_id: z.number().int().min(0).optional(),
    chat_id_list: z.array(id).min(1).max(5),
    state: z.string().max(30).optional(),
  })
  .passthrough();

const markTagSchema = z
  .object({
    userid: id,
    external_userid: id,
    add_tag: z.array(id).max(100).optional(),
    remove_tag: z.array(id).max(100).optional(),
  })
  .passthrough()
  .refine((b) => (b.add_tag?.length ?? 0) + (b.remove_tag?.length ?? 0) > 0, {
    message: 'add_tag or remove_tag is required',
  });

const tagListSchema = z
  .object({ tag_id: z.array(id).max(1000).optional(), group_id: z.array(id).max(1000).optional() })
  .passthrough();

/** Where a join through a join way landed, or why it could not. */
export type JoinWayOutcome =
  | { chatId: string; createdGroup: boolean }
  | { error: 'unknown_join_way' | 'full' };

/** Join ways, the corp tag library and client tagging, sharing the emulator's state. */
export type JoinWaysAndTags = ReturnType<typeof createJoinWaysAndTags>;

/** Creates the join-way and tag behaviour; `groupCapacity` is how many members a customer group holds. */
export function createJoinWaysAndTags(state: EmulatorState, opts: { groupCapacity: number }) {
  const hasRoom = (g: EmuGroup | undefined) => g !== undefined && g.members.length < opts.groupCapacity;

  /** The group a client scanning this join way lands in; creates one when all are full and allowed. */
  function placeJoin(configId: string): JoinWayOutcome {
    const way = state.joinWays.get(configId);
    if (!way) return { error: 'unknown_join_way' };
    const open = way.chatIds.find((chatId) => hasRoom(state.groups.get(chatId)));
    if (open) return { chatId: open, createdGroup: false };
    if (!way.autoCreateRoom) return { error: 'full' };
    // WeCom creates the new group with the first group's owner and names it base name + running number.
    const first = state.groups.get(way.chatIds[0] ?? '');
    const chatId = `wr${randomBytes(12).toString('hex')}`;
    state.upsertGroup(chatId, first?.owner ?? '', `${way.roomBaseName}${way.nextRoomId++}`);
    way.chatIds = [...way.chatIds.slice(-4), chatId];
    return { chatId, createdGroup: true };
  }

  function register(router: Router): void {
    router.post('/externalcontact/groupchat/add_join_way', (req: Request, res: Response) => {
      const body = parseOr40058(res, addJoinWaySchema, req.body);
      if (!body) return;
      const missing = body.chat_id_list.find((c) => !state.groups.has(c));
      if (missing) return fail(res, 'invalidChatId', missing);
      const configId = randomBytes(16).toString('hex');
      const first = state.groups.get(body.chat_id_list[0] ?? '');
      const way: EmuJoinWay = {
        configId,
        scene: body.scene,
        state: body.state ?? '',
        chatIds: [...body.chat_id_list],
        autoCreateRoom: body.auto_create_room === 1,
        roomBaseName: body.room_base_name ?? first?.name ?? 'group',
        nextRoomId: body.room_base_id ?? 1,
        qrCode: body.scene === 2 ? qrImageUrl(req, 'join', configId) : '',
        createdAt: state.clock.now().getTime(),
      };
      state.joinWays.set(configId, way);
      ok(res, { config_id: configId });
    });

    router.post('/externalcontact/groupchat/get_join_way', (req: Request, res: Response) => {
      const body = parseOr40058(res, z.object({ config_id: id }).passthrough(), req.body);
      if (!body) return;
      const way = state.joinWays.get(body.config_id);
      if (!way) return fail(res, 'invalidParameter', 'config_id');
      ok(res, {
        join_way: {
          config_id: way.configId,
          scene: way.scene,
          auto_create_room: way.autoCreateRoom ? 1 : 0,
          room_base_name: way.roomBaseName,
          room_base_id: way.nextRoomId,
          chat_id_list: way.chatIds,
          qr_code: way.qrCode,
          state: way.state,
        },
      });
    });

    router.post('/externalcontact/get_corp_tag_list', (req: Request, res: Response) => {
      const body = parseOr40058(res, tagListSchema, req.body ?? {});
      if (!body) return;
      const groups = [...state.tagGroups.values()]
        .filter((g) => !body.group_id || body.group_id.includes(g.groupId))
        .map((g) => ({ ...g, tags: g.tags.filter((t) => !body.tag_id || body.tag_id.includes(t.id)) }))
        .filter((g) => g.tags.length > 0 || !body.tag_id);
      ok(res, {
        tag_group: groups.map((g, order) => ({
          group_id: g.groupId,
          group_name: g.groupName,
          create_time: g.createTime,
          order,
          tag: g.tags.map((t, i) => ({ id: t.id, name: t.name, create_time: t.createTime, order: i })),
        })),
      });
    });

    router.post('/externalcontact/mark_tag', (req: Request, res: Response) => {
      const body = parseOr40058(res, markTagSchema, req.body);
      if (!body) return;
      if (!state.members.has(body.userid)) return fail(res, 'userNotFound');
      const follow = state.contacts.get(body.external_userid)?.follows.find((f) => f.userid === body.userid);
      if (!follow) return fail(res, 'noRelationship');
      const known = new Set([...state.tagGroups.values()].flatMap((g) => g.tags.map((t) => t.id)));
      const unknown = [...(body.add_tag ?? []), ...(body.remove_tag ?? [])].find((t) => !known.has(t));
      if (unknown) return fail(res, 'invalidTagId', unknown);
      const removed = new Set(body.remove_tag ?? []);
      const tags = new Set(follow.tagIds.filter((t) => !removed.has(t)));
      for (const t of body.add_tag ?? []) tags.add(t);
      follow.tagIds = [...tags];
      ok(res);
    });
  }

  /** Adds tag groups and tags to the corp library (ids are generated when not given). */
  function seedTags(input: { groupId?: string; groupName: string; tags: { id?: string; name: string }[] }[]) {
    const now = epochSeconds(state.clock.now());
    for (const g of input) {
      const groupId = g.groupId ?? `et${randomBytes(8).toString('hex')}`;
      const existing = state.tagGroups.get(groupId);
      const group = existing ?? { groupId, groupName: g.groupName, createTime: now, tags: [] };
      group.groupName = g.groupName;
      for (const t of g.tags) {
        const tagId = t.id ?? `et${randomBytes(8).toString('hex')}`;
        const tag = group.tags.find((x) => x.id === tagId);
        if (tag) tag.name = t.name;
        else group.tags.push({ id: tagId, name: t.name, createTime: now });
      }
      state.tagGroups.set(groupId, group);
    }
  }

  return { register, placeJoin, seedTags };
}
