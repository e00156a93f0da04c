import { sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { CommunitiesRepository } from './communities.repository.ts';

/** What one reconciliation changed. */
export type ReconcileReport = {
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
  contact: Pick<WecomClient, 'listGroupChats' | 'getGroupChat'>;
  clock: Clock;
  log: Log;
}) {
  return {
    async reconcile(): Promise<ReconcileReport> {
      const report: ReconcileReport = {
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
            const [before] = await queryRows<{ name: string }>(
              tx,
              sql`SELECT name FROM community_groups WHERE chat_id = ${chatId} FOR UPDATE`,
            );
            if (!before) report.newGroups++;
            else if (g.name && before.name !== g.name) report.renamed++;
            await queryRows(
              tx,
              sql`INSERT INTO community_groups (chat_id, name, owner_rm, synced_at)
                  VALUES (${chatId}, ${g.name || chatId}, ${g.owner ?? null}, ${now})
                  ON CONFLICT (chat_id) DO UPDATE SET name = COALESCE(NULLIF(${g.name ?? ''}, ''), community_groups.name),
                    owner_rm = COALESCE(${g.owner ?? null}, community_groups.owner_rm), synced_at = ${now}`,
            );
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
      const active = await queryRows<{ chat_id: string }>(
        deps.db,
        sql`SELECT chat_id FROM community_groups WHERE status IN ('active', 'full') ORDER BY chat_id`,
      );
      report.missingInWecom = active.map((r) => r.chat_id).filter((id) => !seen.has(id));
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
