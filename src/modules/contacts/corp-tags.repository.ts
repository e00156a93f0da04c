import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../platform/db/client.ts';

/** One tag of WeCom's corp tag library, with the group it sits in. */
export type CorpTag = { id: string; name: string; groupId: string; groupName: string };

/** SQL for the mirrored corp tag library (`corp_tags`). Methods take the transaction they run in. */
export type CorpTagsRepository = ReturnType<typeof createCorpTagsRepository>;

/** Creates the corp tag repository. */
export function createCorpTagsRepository() {
  return {
    /** Inserts or refreshes `tags` as synced at `at`; a tag WeCom lists again is no longer deleted. */
    async upsertTags(tx: Tx, tags: CorpTag[], at: Date): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO corp_tags (id, name, group_id, group_name, synced_at, deleted_at)
            SELECT u.id, u.name, u.gid, u.gname, ${at}, NULL
            FROM unnest(${sql.param(tags.map((t) => t.id))}::text[], ${sql.param(tags.map((t) => t.name))}::text[],
                        ${sql.param(tags.map((t) => t.groupId))}::text[], ${sql.param(tags.map((t) => t.groupName))}::text[])
                 AS u(id, name, gid, gname)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, group_id = EXCLUDED.group_id,
              group_name = EXCLUDED.group_name, synced_at = EXCLUDED.synced_at, deleted_at = NULL`,
      );
    },

    /**
     * Marks every live tag not in `keepIds` deleted at `at` (rows stay, since old records may name them);
     * returns how many were marked.
     */
    async markDeletedExcept(tx: Tx, keepIds: string[], at: Date): Promise<number> {
      const gone = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE corp_tags SET deleted_at = ${at}
            WHERE deleted_at IS NULL AND NOT (id = ANY(${sql.param(keepIds)}::text[]))
            RETURNING id`,
      );
      return gone.length;
    },
  };
}
