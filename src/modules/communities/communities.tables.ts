import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/** Customer groups (客户群) Helix routes into: a tier or interest group key, capacity, owner and join way. */
export const communityGroups = pgTable(
  'community_groups',
  {
    chatId: text('chat_id').primaryKey(),
    name: text('name').notNull(),
    /** The tier id (basic, intermediate, premium), interest group id or circle id this group serves. */
    groupKey: text('group_key'),
    topicTags: text('topic_tags').array().notNull().default(sql`'{}'::text[]`),
    capacity: integer('capacity').notNull().default(500),
    memberCount: integer('member_count').notNull().default(0),
    ownerRm: text('owner_rm'),
    joinWayConfigId: text('join_way_config_id'),
    joinWayQr: text('join_way_qr'),
    status: text('status').notNull().default('active'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    syncedAt: timestamptz('synced_at'),
    /** When ops archived the group (status 'archived'): it is no routing target any more. */
    archivedAt: timestamptz('archived_at'),
  },
  (t) => [
    check('community_groups_status', sql`${t.status} IN ('active','full','archived','dismissed')`),
    index('community_groups_key_idx').on(t.groupKey),
  ],
);

/** Group membership over time: one row per stay, closed by `left_at`. */
export const groupMemberships = pgTable(
  'group_memberships',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chatId: text('chat_id').notNull(),
    memberId: text('member_id').notNull(),
    /** 1 an internal member (RM), 2 an external contact (client), as groupchat/get reports. */
    memberType: integer('member_type').notNull(),
    joinedAt: timestamptz('joined_at').notNull(),
    joinScene: integer('join_scene'),
    leftAt: timestamptz('left_at'),
    quitScene: integer('quit_scene'),
    /** How Helix learnt it: an event, or the nightly reconciliation. */
    source: text('source').notNull().default('event'),
  },
  (t) => [
    uniqueIndex('group_memberships_open_uq').on(t.chatId, t.memberId).where(sql`${t.leftAt} IS NULL`),
    index('group_memberships_member_idx').on(t.memberId),
  ],
);

/** A routing move: an invitation to join (or a request to leave) a group, plus the RM task it creates. */
export const groupInvitations = pgTable(
  'group_invitations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    externalUserid: text('external_userid').notNull(),
    groupKey: text('group_key').notNull(),
    chatId: text('chat_id'),
    kind: text('kind').notNull(),
    rmUserid: text('rm_userid'),
    status: text('status').notNull().default('pending'),
    explanation: jsonb('explanation').$type<unknown[]>().notNull().default([]),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    confirmedAt: timestamptz('confirmed_at'),
  },
  (t) => [
    check('group_invitations_kind', sql`${t.kind} IN ('join','leave')`),
    check('group_invitations_status', sql`${t.status} IN ('pending','confirmed','cancelled')`),
    uniqueIndex('group_invitations_open_uq')
      .on(t.externalUserid, t.groupKey, t.kind)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Invitations to an invitation-only circle (the tier policy's `circles`): routing targets a circle only for
 * a client invited to it and not revoked. One row per (circle, client); a new invitation reopens it.
 */
export const circleInvites = pgTable(
  'circle_invites',
  {
    circleId: text('circle_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    invitedBy: text('invited_by').notNull(),
    invitedAt: timestamptz('invited_at').notNull(),
    status: text('status').$type<'invited' | 'joined' | 'revoked'>().notNull().default('invited'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.circleId, t.externalUserid] }),
    index('circle_invites_client_idx').on(t.externalUserid),
    check('circle_invites_status', sql`${t.status} IN ('invited','joined','revoked')`),
  ],
);
