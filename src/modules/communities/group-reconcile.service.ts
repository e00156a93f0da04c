import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { CommunitiesRepository } from './communities.repository.ts';

/** What one reconciliation changed. */
export type ReconcileReport = {
  /** Groups WeCom created for a full join way, now serving that way's key. */
  adopted: number;
  groups: number;
  newGroups: number;
  renamed: number;
  joined: number;
  left: number;
  /** Groups Helix tracks as active that WeCom did not list (reported, not changed: they may be filtered). */
  missingInWecom: string[];
};

/**
 * Repairs drift between WeCom and Helix's group membership (missed or reordered events): lists every
 * customer group, reads its members, opens stays Helix lacks and closes stays WeCom no longer has. Each group
 * is fixed in its own transaction, after its WeCom reads. The report goes to the log and the audit log.
 */
export function createGroupReconciler(deps: {
  db: Db;
  repo: CommunitiesRepository;
  audit: AuditRepository;
  contact: Pick<WecomClient, 'listGroupChats' | 'getGroupChat' | 'getGroupJoinWay'>;
  clock: Clock;
  log: Log;
}) {
  /**
   * Groups WeCom created through a join way when its groups were full belong to the join way's key: finds
   * them in each join way's current group list and gives them the key, capacity and join way of their
   * siblings. Returns how many were adopted.
   */
  async function adoptJoinWayGroups(): Promise<number> {
    const ways = await deps.repo.joinWays(deps.db);
    let adopted = 0;
    for (const w of ways) {
      // One join way WeCom no longer knows must not keep the others from being read.
      const chatIds = await deps.contact.getGroupJoinWay(w.config).then(
        (r) => r.chatIds,
        (err: unknown) => {
          deps.log.warn({ err, configId: w.config }, 'could not read a join way');
          return [] as string[];
        },
      );
      if (chatIds.length === 0) continue;
      adopted += await deps.repo.adoptGroups(deps.db, chatIds, w);
    }
    if (adopted > 0) {
      // Clients who joined an adopted group before it had its key now count as having accepted.
      const settled = await deps.repo.settleInvitations(deps.db);
      deps.log.info({ adopted, settled }, 'adopted groups created by join ways');
    }
    return adopted;
  }

  return {
    adoptJoinWayGroups,
    async reconcile(): Promise<ReconcileReport> {
      const adopted = await adoptJoinWayGroups();
      const report: ReconcileReport = {
        adopted,
        groups: 0,
        newGroups: 0,
        renamed: 0,
        joined: 0,
        left: 0,
        missingInWecom: [],
      };
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await deps.contact.listGroupChats({ limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const { chat_id: chatId } of page.group_chat_list) {
          if (seen.has(chatId)) continue;
          seen.add(chatId);
          const { group_chat: g } = await deps.contact.getGroupChat(chatId);
          const now = deps.clock.now();
          await deps.db.transaction(async (tx) => {
            const before = await deps.repo.lockGroupName(tx, chatId);
            if (before === undefined) report.newGroups++;
            else if (g.name && before !== g.name) report.renamed++;
            await deps.repo.recordSyncedGroup(tx, { chatId, name: g.name, owner: g.owner ?? null, at: now });
            const open = new Set((await deps.repo.openMembers(tx, chatId)).map((m) => m.memberId));
            const present = new Set(g.member_list.map((m) => m.userid));
            for (const m of g.member_list) {
              if (open.has(m.userid)) continue;
              const joined = await deps.repo.recordJoin(tx, {
                chatId,
                memberId: m.userid,
                memberType: m.type === 1 ? 1 : 2,
                at: m.join_time ? new Date(m.join_time * 1000) : now,
                scene: m.join_scene ?? null,
                source: 'reconcile',
              });
              if (joined) report.joined++;
            }
            for (const memberId of open) {
              if (present.has(memberId)) continue;
              const left = await deps.repo.recordLeave(tx, {
                chatId,
                memberId,
                memberType: 2,
                at: now,
                scene: null,
                source: 'reconcile',
              });
              if (left) report.left++;
            }
          });
          report.groups++;
        }
        cursor = page.next_cursor || undefined;
      } while (cursor);
      const active = await deps.repo.activeGroupIds(deps.db);
      report.missingInWecom = active.filter((id) => !seen.has(id));
      await deps.audit.append(deps.db, {
        actor: 'system',
        action: 'groups.reconcile',
        targetType: 'community_groups',
        details: report,
      });
      deps.log.info(
        { ...report, missingInWecom: report.missingInWecom.length },
        'group reconciliation finished',
      );
      return report;
    },
  };
}
