import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { rmInScope } from '../contacts/scope-filters.repository.ts';
import { communityGroups } from './communities.tables.ts';

/** A membership change as an event or the reconciliation reports it. */
export type MembershipChange = {
  chatId: string;
  memberId: string;
  memberType: 1 | 2;
  at: Date;
  scene: number | null;
  source: 'event' | 'reconcile';
};

/** The API's view of a registered group. */
export type GroupView = {
  chatId: string;
  name: string;
  groupKey: string | null;
  capacity: number;
  memberCount: number;
  status: string;
  joinWayQr: string | null;
  archivedAt: Date | string | null;
  ownerRm: string | null;
};

/** A group as the RM sidebar shows it. */
export type ScopedGroup = {
  chatId: string;
  name: string;
  groupKey: string | null;
  memberCount: number;
  ownerRm: string | null;
};

/** Where a list of groups resumes: the group key ('' for none), created_at as PostgreSQL prints it, chat id. */
export type GroupPosition = readonly [groupKey: string, sortAt: string, chatId: string];

const groupColumns = sql`chat_id AS "chatId", name, group_key AS "groupKey", capacity,
                         member_count AS "memberCount", status, join_way_qr AS "joinWayQr",
                         archived_at AS "archivedAt", owner_rm AS "ownerRm"`;

/** SQL for groups, memberships and routing moves. Methods take the handle they run on. */
export type CommunitiesRepository = ReturnType<typeof createCommunitiesRepository>;

/** Creates the communities repository. */
export function createCommunitiesRepository() {
  // Membership changes of one group are serialised on its row, so the member count each one writes
  // includes every change committed before it (two concurrent joins would otherwise each count one).
  const lockGroup = (tx: Tx, chatId: string) =>
    queryRows(tx, sql`SELECT 1 FROM community_groups WHERE chat_id = ${chatId} FOR UPDATE`);
  const refreshCount = (tx: Db | Tx, chatId: string) =>
    queryRows(
      tx,
      sql`UPDATE community_groups SET member_count =
            (SELECT count(*) FROM group_memberships WHERE chat_id = ${chatId} AND left_at IS NULL)
          WHERE chat_id = ${chatId}`,
    );

  return {
    /** Groups by key, then age; archived ones only when asked. */
    listGroups(
      db: Db,
      q: { groupKey?: string; archived: boolean; after?: GroupPosition; limit: number },
    ): Promise<(GroupView & { sortAt: string })[]> {
      return queryRows(
        db,
        sql`SELECT ${groupColumns}, created_at::text AS "sortAt" FROM community_groups
            WHERE ${q.archived ? sql`TRUE` : sql`status <> 'archived'`}
              ${q.groupKey ? sql`AND group_key = ${q.groupKey}` : sql``}
              ${q.after ? sql`AND (COALESCE(group_key, ''), created_at, chat_id) > (${q.after[0]}, ${q.after[1]}::timestamptz, ${q.after[2]})` : sql``}
            ORDER BY COALESCE(group_key, ''), created_at, chat_id LIMIT ${q.limit}`,
      );
    },

    /** One group. */
    async findGroup(
      db: Db | Tx,
      chatId: string,
    ): Promise<(GroupView & { joinWayConfigId: string | null; createdAt: string }) | undefined> {
      const [row] = await queryRows<GroupView & { joinWayConfigId: string | null; createdAt: string }>(
        db,
        sql`SELECT ${groupColumns}, join_way_config_id AS "joinWayConfigId", created_at::text AS "createdAt"
            FROM community_groups WHERE chat_id = ${chatId}`,
      );
      return row;
    },

    /**
     * One group as the RM sidebar shows it, when it is within `scope`: its owner RM is, or one of the
     * group's current staff members is (an RM sees the groups they own or sit in). Undefined otherwise.
     */
    async findGroupInScope(db: Db | Tx, scope: Scope, chatId: string): Promise<ScopedGroup | undefined> {
      const [row] = await queryRows<ScopedGroup>(
        db,
        sql`SELECT g.chat_id AS "chatId", g.name, g.group_key AS "groupKey", g.member_count AS "memberCount",
                   g.owner_rm AS "ownerRm"
            FROM community_groups g
            WHERE g.chat_id = ${chatId}
              AND (${rmInScope(scope, sql`g.owner_rm`)}
                   OR EXISTS (SELECT 1 FROM group_memberships m
                              WHERE m.chat_id = g.chat_id AND m.member_type = 1 AND m.left_at IS NULL
                                AND ${rmInScope(scope, sql`m.member_id`)}))`,
      );
      return row;
    },

    /**
     * The groups a join way of `groupKey` should cover: its active groups with room, oldest first, without
     * `exclude`, plus `include` (a group being registered, whose room the caller checked with WeCom) in the
     * place its age gives it, as if it were registered already.
     */
    async joinWayGroups(
      db: Db | Tx,
      groupKey: string,
      opts: { include?: string; exclude: string; limit: number },
    ): Promise<string[]> {
      const rows = await queryRows<{ chatId: string }>(
        db,
        sql`SELECT chat_id AS "chatId" FROM (
              SELECT chat_id, created_at FROM community_groups
              WHERE group_key = ${groupKey} AND status = 'active' AND member_count < capacity
                AND chat_id <> ${opts.exclude}
              UNION ALL
              SELECT c.id, COALESCE(g.created_at, now())
              FROM (SELECT ${opts.include ?? null}::text AS id) c
              LEFT JOIN community_groups g ON g.chat_id = c.id
              WHERE c.id IS NOT NULL AND COALESCE(g.status, 'active') = 'active'
            ) AS t ORDER BY created_at, chat_id LIMIT ${opts.limit}`,
      );
      return rows.map((r) => r.chatId);
    },

    /** Registers a group for routing, or updates its registration. */
    async upsertRegistration(
      tx: Tx,
      g: {
        chatId: string;
        name: string;
        groupKey: string;
        capacity: number;
        topicTags: string[];
        owner: string | null;
      },
    ): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO community_groups (chat_id, name, group_key, capacity, topic_tags, owner_rm)
            VALUES (${g.chatId}, ${g.name}, ${g.groupKey}, ${g.capacity}, ${sql.param(g.topicTags)}::text[],
                    ${g.owner})
            ON CONFLICT (chat_id) DO UPDATE SET name = EXCLUDED.name, group_key = EXCLUDED.group_key,
              capacity = EXCLUDED.capacity, topic_tags = EXCLUDED.topic_tags,
              owner_rm = COALESCE(EXCLUDED.owner_rm, community_groups.owner_rm)`,
      );
    },

    /** Records the join way (and its QR code) that now covers these groups. */
    async setJoinWay(tx: Tx, chatIds: string[], way: { configId: string; qrCode: string | null }) {
      await queryRows(
        tx,
        sql`UPDATE community_groups SET join_way_config_id = ${way.configId}, join_way_qr = ${way.qrCode}
            WHERE chat_id = ANY(${sql.param(chatIds)}::text[])`,
      );
    },

    /** Archives a group that is not archived yet; returns false when there was nothing to do. */
    async archiveGroup(tx: Tx, chatId: string, at: Date): Promise<boolean> {
      const rows = await queryRows(
        tx,
        sql`UPDATE community_groups SET status = 'archived', archived_at = ${at}
            WHERE chat_id = ${chatId} AND status <> 'archived' RETURNING chat_id`,
      );
      return rows.length > 0;
    },

    /**
     * Makes sure a group row exists; groups WeCom tells us about before ops do get a placeholder name.
     * Returns true when Helix had not heard of the group before.
     */
    async ensureGroup(tx: Db | Tx, chatId: string, name?: string): Promise<boolean> {
      const created = await queryRows(
        tx,
        sql`INSERT INTO community_groups (chat_id, name) VALUES (${chatId}, ${name ?? chatId})
            ON CONFLICT (chat_id) DO NOTHING RETURNING chat_id`,
      );
      return created.length > 0;
    },

    /**
     * Opens a stay (idempotent: an open stay is kept), confirms a pending invitation to this group's key,
     * and marks an invitation to the circle it serves (if it serves one) as joined.
     * Returns true when the member was not already in the group.
     */
    async recordJoin(tx: Tx, c: MembershipChange): Promise<boolean> {
      await lockGroup(tx, c.chatId);
      const opened = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO group_memberships (chat_id, member_id, member_type, joined_at, join_scene, source)
            VALUES (${c.chatId}, ${c.memberId}, ${c.memberType}, ${c.at}, ${c.scene}, ${c.source})
            ON CONFLICT (chat_id, member_id) WHERE left_at IS NULL DO NOTHING
            RETURNING id`,
      );
      await queryRows(
        tx,
        sql`UPDATE group_invitations SET status = 'confirmed', confirmed_at = ${c.at}, chat_id = ${c.chatId}
            WHERE external_userid = ${c.memberId} AND kind = 'join' AND status = 'pending'
              AND group_key = (SELECT group_key FROM community_groups WHERE chat_id = ${c.chatId})`,
      );
      await queryRows(
        tx,
        sql`UPDATE circle_invites SET status = 'joined'
            WHERE external_userid = ${c.memberId} AND status = 'invited'
              AND circle_id = (SELECT group_key FROM community_groups WHERE chat_id = ${c.chatId})`,
      );
      await refreshCount(tx, c.chatId);
      return opened.length > 0;
    },

    /** Closes the open stay, if any, and confirms a pending request to leave. */
    async recordLeave(tx: Tx, c: MembershipChange): Promise<boolean> {
      await lockGroup(tx, c.chatId);
      const closed = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE group_memberships SET left_at = ${c.at}, quit_scene = ${c.scene}
            WHERE chat_id = ${c.chatId} AND member_id = ${c.memberId} AND left_at IS NULL
            RETURNING id`,
      );
      await queryRows(
        tx,
        sql`UPDATE group_invitations SET status = 'confirmed', confirmed_at = ${c.at}
            WHERE external_userid = ${c.memberId} AND kind = 'leave' AND status = 'pending'
              AND chat_id = ${c.chatId}`,
      );
      await refreshCount(tx, c.chatId);
      return closed.length > 0;
    },

    /** Marks a dismissed group and closes every open stay in it. */
    async dismissGroup(tx: Tx, chatId: string, at: Date): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE group_memberships SET left_at = ${at} WHERE chat_id = ${chatId} AND left_at IS NULL`,
      );
      await queryRows(
        tx,
        sql`UPDATE community_groups SET status = 'dismissed', member_count = 0 WHERE chat_id = ${chatId}`,
      );
    },

    /** Confirms pending join invitations whose client is already in a group of that key; returns how many. */
    async settleInvitations(db: Db | Tx): Promise<number> {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`UPDATE group_invitations i SET status = 'confirmed', chat_id = m.chat_id, confirmed_at = m.joined_at
            FROM group_memberships m JOIN community_groups g ON g.chat_id = m.chat_id
            WHERE i.status = 'pending' AND i.kind = 'join' AND i.external_userid = m.member_id
              AND m.left_at IS NULL AND g.group_key = i.group_key
            RETURNING i.id`,
      );
      return rows.length;
    },

    /**
     * One row per join way: the key, capacity and QR code of the oldest group it covers, which groups WeCom
     * later creates for that way inherit.
     */
    joinWays(db: Db): Promise<{ config: string; key: string; capacity: number; qr: string | null }[]> {
      return queryRows(
        db,
        sql`SELECT DISTINCT ON (join_way_config_id) join_way_config_id AS config, group_key AS key, capacity,
                   join_way_qr AS qr
            FROM community_groups WHERE join_way_config_id IS NOT NULL AND group_key IS NOT NULL
            ORDER BY join_way_config_id, created_at`,
      );
    },

    /**
     * Gives `chatIds` a join way's key, capacity and QR code, creating rows for groups Helix has not seen.
     * Groups that already serve a key keep it. Returns how many groups were adopted.
     */
    async adoptGroups(
      db: Db,
      chatIds: string[],
      way: { config: string; key: string; capacity: number; qr: string | null },
    ): Promise<number> {
      const rows = await queryRows<{ chat_id: string }>(
        db,
        sql`INSERT INTO community_groups (chat_id, name, group_key, capacity, join_way_config_id, join_way_qr)
            SELECT id, id, ${way.key}, ${way.capacity}, ${way.config}, ${way.qr} FROM unnest(${sql.param(chatIds)}::text[]) AS id
            ON CONFLICT (chat_id) DO UPDATE SET group_key = EXCLUDED.group_key, capacity = EXCLUDED.capacity,
              join_way_config_id = EXCLUDED.join_way_config_id, join_way_qr = EXCLUDED.join_way_qr
            WHERE community_groups.group_key IS NULL
            RETURNING chat_id`,
      );
      return rows.length;
    },

    /** A group's current name, its row locked until the transaction ends; undefined for an unknown group. */
    async lockGroupName(tx: Tx, chatId: string): Promise<string | undefined> {
      const [row] = await queryRows<{ name: string }>(
        tx,
        sql`SELECT name FROM community_groups WHERE chat_id = ${chatId} FOR UPDATE`,
      );
      return row?.name;
    },

    /**
     * Records what WeCom reports for a group, creating its row if needed. An empty name or a missing owner
     * keeps what Helix had.
     */
    async recordSyncedGroup(
      tx: Tx,
      g: { chatId: string; name: string | undefined; owner: string | null; at: Date },
    ): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO community_groups (chat_id, name, owner_rm, synced_at)
            VALUES (${g.chatId}, ${g.name || g.chatId}, ${g.owner}, ${g.at})
            ON CONFLICT (chat_id) DO UPDATE SET name = COALESCE(NULLIF(${g.name ?? ''}, ''), community_groups.name),
              owner_rm = COALESCE(${g.owner}, community_groups.owner_rm), synced_at = ${g.at}`,
      );
    },

    /** Chat ids of the groups Helix routes into or tracks as full, in order. */
    async activeGroupIds(db: Db): Promise<string[]> {
      const rows = await queryRows<{ chat_id: string }>(
        db,
        sql`SELECT chat_id FROM community_groups WHERE status IN ('active', 'full') ORDER BY chat_id`,
      );
      return rows.map((r) => r.chat_id);
    },

    /** The join link of the first active group serving `groupKey` that has room, if any. */
    async joinLinkFor(db: Db | Tx, groupKey: string): Promise<string | null> {
      const [g] = await db
        .select({ qr: communityGroups.joinWayQr })
        .from(communityGroups)
        .where(
          sql`${communityGroups.groupKey} = ${groupKey} AND ${communityGroups.status} = 'active'
              AND ${communityGroups.joinWayQr} IS NOT NULL`,
        )
        .orderBy(communityGroups.createdAt)
        .limit(1);
      return g?.qr ?? null;
    },

    /** Open members of a group. */
    async openMembers(db: Db | Tx, chatId: string): Promise<{ memberId: string; memberType: number }[]> {
      return queryRows(
        db,
        sql`SELECT member_id AS "memberId", member_type AS "memberType" FROM group_memberships
            WHERE chat_id = ${chatId} AND left_at IS NULL ORDER BY member_id`,
      );
    },
  };
}
