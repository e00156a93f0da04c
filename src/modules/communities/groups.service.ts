import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { invalidInput } from '../../platform/http/validate.ts';
import type { Log } from '../../platform/logger.ts';
import { WECOM_ERRCODES, WecomApiError } from '../../wecom/client/errors.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { CommunitiesRepository, GroupPosition, GroupView } from './communities.repository.ts';

/** A join way covers at most this many groups (docs/wecom.md). */
const JOIN_WAY_MAX_GROUPS = 5;

/** A group ops register for routing. */
export type GroupRegistration = {
  chatId: string;
  name: string;
  groupKey: string;
  capacity: number;
  topicTags: string[];
};

/** Who asked, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** Registering, listing and archiving the customer groups routing uses. */
export type GroupsService = ReturnType<typeof createGroupsService>;

/**
 * Creates the groups service. WeCom is asked first, outside any transaction; the group row, the join way
 * it records and the audit entry are then written in one transaction, so a WeCom failure leaves nothing.
 */
export function createGroupsService(deps: {
  db: Db;
  repo: Pick<
    CommunitiesRepository,
    'listGroups' | 'findGroup' | 'joinWayGroups' | 'upsertRegistration' | 'setJoinWay' | 'archiveGroup'
  >;
  audit: AuditRepository;
  contact: Pick<WecomClient, 'getGroupChat' | 'addGroupJoinWay' | 'getGroupJoinWay'>;
  /** The keys the tier policy defines (tiers, interest groups, circles). */
  groupKeys: () => ReadonlySet<string>;
  clock: Clock;
  log: Log;
}) {
  /** One join way (QR code) over `chatIds` that WeCom fills in order and extends with new groups. */
  async function createJoinWay(groupKey: string, chatIds: string[], baseName: string) {
    const way = await deps.contact.addGroupJoinWay({
      scene: 2,
      chatIds,
      state: `grp-${groupKey}`.slice(0, 30),
      autoCreateRoom: true,
      roomBaseName: baseName.replace(/\d+群?$/, ''),
    });
    const { qrCode } = await deps.contact.getGroupJoinWay(way.configId);
    return { configId: way.configId, qrCode };
  }

  async function present(chatId: string): Promise<GroupView> {
    const g = await deps.repo.findGroup(deps.db, chatId);
    if (!g) throw new AppError('not_found', { message: `no group ${chatId}`, zh: `没有客户群 ${chatId}。` });
    return g;
  }

  return {
    /**
     * Registers a group: checks its key against the tier policy and the chat with WeCom, then refreshes the
     * key's join way (the key's open groups, oldest first, at most five) and records everything at once.
     */
    async register(r: GroupRegistration, actor: Actor): Promise<GroupView> {
      const keys = deps.groupKeys();
      if (!keys.has(r.groupKey)) {
        throw invalidInput([
          {
            en: `groupKey: unknown group key "${r.groupKey}"; one of ${[...keys].join(', ')}`,
            zh: `groupKey: 未知的群组键“${r.groupKey}”；可选：${[...keys].join('、')}`,
          },
        ]);
      }
      let members: number;
      let owner: string | null;
      try {
        const chat = (await deps.contact.getGroupChat(r.chatId)).group_chat;
        members = chat.member_list.length;
        // The owner is who confirms the group's mass messages: the calendar's group channel needs them.
        owner = chat.owner ?? null;
      } catch (err) {
        if (err instanceof WecomApiError && err.errcode === WECOM_ERRCODES.invalidChatId) {
          throw invalidInput([
            {
              en: `chatId: WeCom has no customer group "${r.chatId}"`,
              zh: `chatId: 企业微信中没有客户群“${r.chatId}”`,
            },
          ]);
        }
        throw err;
      }
      const open = await deps.repo.joinWayGroups(deps.db, r.groupKey, {
        ...(members < r.capacity ? { include: r.chatId } : {}),
        exclude: r.chatId,
        limit: JOIN_WAY_MAX_GROUPS,
      });
      if (open.length === 0) {
        throw new AppError('conflict', {
          message: `every group of "${r.groupKey}" is full or inactive`,
          zh: `群组键“${r.groupKey}”下的客户群都已满员或已停用。`,
        });
      }
      const way = await createJoinWay(r.groupKey, open, r.name);
      await deps.db.transaction(async (tx) => {
        await deps.repo.upsertRegistration(tx, { ...r, owner });
        await deps.repo.setJoinWay(tx, open, way);
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'group.register',
          targetType: 'community_group',
          targetId: r.chatId,
          details: { groupKey: r.groupKey, capacity: r.capacity, joinWay: way.configId },
          requestId: actor.requestId,
        });
      });
      return present(r.chatId);
    },

    /** Groups by key and age; archived ones only when `archived` is true. */
    list: (q: { groupKey?: string; archived: boolean; after?: GroupPosition; limit: number }) =>
      deps.repo.listGroups(deps.db, q),

    /**
     * Archives a group: routing no longer places anyone there, and the key's join way is replaced by one
     * over its other open groups so a scan no longer lands in it. Archiving twice changes nothing.
     */
    async archive(chatId: string, actor: Actor): Promise<GroupView> {
      const g = await deps.repo.findGroup(deps.db, chatId);
      if (!g)
        throw new AppError('not_found', { message: `no group ${chatId}`, zh: `没有客户群 ${chatId}。` });
      if (g.status === 'archived') return g;
      let way: { configId: string; qrCode: string | null } | null = null;
      let open: string[] = [];
      if (g.groupKey && g.joinWayConfigId) {
        open = await deps.repo.joinWayGroups(deps.db, g.groupKey, {
          exclude: chatId,
          limit: JOIN_WAY_MAX_GROUPS,
        });
        if (open.length > 0) way = await createJoinWay(g.groupKey, open, g.name);
        else deps.log.warn({ chatId, groupKey: g.groupKey }, 'archived the last open group of its key');
      }
      await deps.db.transaction(async (tx) => {
        if (!(await deps.repo.archiveGroup(tx, chatId, deps.clock.now()))) return;
        if (way) await deps.repo.setJoinWay(tx, open, way);
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'group.archive',
          targetType: 'community_group',
          targetId: chatId,
          details: { groupKey: g.groupKey, joinWay: way?.configId ?? null },
          requestId: actor.requestId,
        });
      });
      return present(chatId);
    },
  };
}
