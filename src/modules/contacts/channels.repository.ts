import { eq, or, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { type ChannelRow, channels } from './contacts.tables.ts';
import { channelInScope } from './scope-filters.repository.ts';

/** A channel as lists show it: the row, how many clients it brought in, and its position for paging. */
export type ListedChannel = ChannelRow & { clients: number; sortAt: string };

/** Where a list of channels resumes: the created_at (as PostgreSQL prints it, microseconds kept) and id. */
export type ChannelPosition = readonly [sortAt: string, id: string];

/** SQL for acquisition channels. Methods take the handle they run on. */
export type ChannelsRepository = ReturnType<typeof createChannelsRepository>;

/** Creates the channels repository. */
export function createChannelsRepository() {
  return {
    /** Creates a channel row. */
    async insert(tx: Tx, c: Omit<ChannelRow, 'createdAt' | 'cost' | 'archivedAt'> & { cost: string }) {
      const [row] = await tx.insert(channels).values(c).returning();
      if (!row) throw new Error('channel insert returned no row');
      return row;
    },

    /** The channel that already uses this id or this state, if any. */
    async findClash(db: Db | Tx, id: string, state: string): Promise<ChannelRow | undefined> {
      const [row] = await db
        .select()
        .from(channels)
        .where(or(eq(channels.id, id), eq(channels.state, state)))
        .limit(1);
      return row;
    },

    /** One channel by id, or undefined when it does not exist or is outside `scope`. */
    async find(db: Db | Tx, scope: Scope, id: string): Promise<ChannelRow | undefined> {
      const [row] = await db
        .select()
        .from(channels)
        .where(sql`${channels.id} = ${id} AND ${channelInScope(scope, sql`${channels.rmUserids}`)}`);
      return row;
    },

    /**
     * Channels within `scope`, oldest first, with how many clients each brought in; archived ones only
     * when asked.
     */
    list(
      db: Db,
      scope: Scope,
      q: { archived: boolean; after?: ChannelPosition; limit: number },
    ): Promise<ListedChannel[]> {
      return queryRows<ListedChannel>(
        db,
        sql`SELECT c.id, c.name, c.state, c.cost, c.config_id AS "configId", c.qr_code AS "qrCode",
                   c.rm_userids AS "rmUserids", c.created_by AS "createdBy", c.created_at AS "createdAt",
                   c.archived_at AS "archivedAt", c.created_at::text AS "sortAt",
                   (SELECT count(*)::int FROM clients WHERE channel_id = c.id) AS clients
            FROM channels c
            WHERE ${channelInScope(scope, sql`c.rm_userids`)}
              ${q.archived ? sql`` : sql`AND c.archived_at IS NULL`}
              ${q.after ? sql`AND (c.created_at, c.id) > (${q.after[0]}::timestamptz, ${q.after[1]})` : sql``}
            ORDER BY c.created_at, c.id LIMIT ${q.limit}`,
      );
    },

    /** Marks a live channel archived; returns the row, or undefined when it was archived already. */
    async archive(tx: Tx, id: string, at: Date): Promise<ChannelRow | undefined> {
      const [row] = await tx
        .update(channels)
        .set({ archivedAt: at })
        .where(sql`${channels.id} = ${id} AND ${channels.archivedAt} IS NULL`)
        .returning();
      return row;
    },
  };
}
