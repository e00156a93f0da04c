import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

/** A customer group an occurrence may be sent to, with the owner who must confirm the send. */
export type AudienceGroup = { chatId: string; name: string; ownerRm: string | null; groupKey: string | null };

/** Reading audiences out of the communities tables: groups by id or tier, and their client members. */
export type AudienceGroupsRepository = ReturnType<typeof createAudienceGroupsRepository>;

/** Creates the audience-groups repository. */
export function createAudienceGroupsRepository() {
  return {
    /** Live groups (not archived or dismissed) with these chat ids or serving these tier/group keys. */
    groups(db: Db | Tx, f: { chatIds?: readonly string[]; groupKeys?: readonly string[] }) {
      const parts: SQL[] = [sql`status IN ('active','full')`];
      if (f.chatIds) parts.push(sql`chat_id = ANY(${sql.param([...f.chatIds])}::text[])`);
      if (f.groupKeys) parts.push(sql`group_key = ANY(${sql.param([...f.groupKeys])}::text[])`);
      return queryRows<AudienceGroup>(
        db,
        sql`SELECT chat_id AS "chatId", name, owner_rm AS "ownerRm", group_key AS "groupKey"
              FROM community_groups WHERE ${sql.join(parts, sql` AND `)} ORDER BY chat_id LIMIT 20000`,
      );
    },

    /** The clients (external members, type 2) now in any of these groups. */
    async memberClients(db: Db | Tx, chatIds: readonly string[]): Promise<string[]> {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`SELECT DISTINCT member_id AS id FROM group_memberships
             WHERE chat_id = ANY(${sql.param([...chatIds])}::text[]) AND left_at IS NULL AND member_type = 2`,
      );
      return rows.map((r) => r.id);
    },
  };
}
