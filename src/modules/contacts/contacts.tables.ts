import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/** Relationship managers (客户经理): WeCom members. Unknown ones are created as WeCom mentions them. */
export const rms = pgTable('rms', {
  userid: text('userid').primaryKey(),
  name: text('name').notNull(),
  branch: text('branch'),
  persona: text('persona'),
  /** How many clients this RM should hold; routing and reports read it. */
  capacity: integer('capacity').notNull().default(2000),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** Acquisition channels: each owns one contact-me code whose `state` (≤ 30 chars) names it. */
export const channels = pgTable(
  'channels',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    state: text('state').notNull().unique(),
    /** Marketing cost in CNY, for AAC and LROI. */
    cost: numeric('cost', { precision: 14, scale: 2 }).notNull().default('0'),
    configId: text('config_id'),
    qrCode: text('qr_code'),
    rmUserids: text('rm_userids').array().notNull().default(sql`'{}'::text[]`),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /** Set when ops retire the channel: its contact way is deleted, clients already attributed stay. */
    archivedAt: timestamptz('archived_at'),
  },
  (t) => [check('channels_state_len', sql`char_length(${t.state}) <= 30`)],
);

/** The channel every client whose add event named no known channel is attributed to. */
export const UNKNOWN_CHANNEL_ID = 'unknown';

/** Clients (external contacts) with their bank profile, owner RM, channel and funnel timestamps. */
export const clients = pgTable(
  'clients',
  {
    externalUserid: text('external_userid').primaryKey(),
    name: text('name'),
    birthday: date('birthday'),
    aumBand: text('aum_band'),
    riskLevel: text('risk_level'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    engagementScore: integer('engagement_score'),
    ownerRm: text('owner_rm').references(() => rms.userid),
    channelId: text('channel_id').references(() => channels.id),
    /** The raw State of the add event, kept even when it names no channel. */
    channelState: text('channel_state'),
    status: text('status').notNull().default('active'),
    /** Set when the client replied 退订: no calendar content reaches them until ops clear it. */
    optedOutAt: timestamptz('opted_out_at'),
    awareAt: timestamptz('aware_at'),
    acquiredAt: timestamptz('acquired_at'),
    activatedAt: timestamptz('activated_at'),
    tier: text('tier'),
    tierSince: timestamptz('tier_since'),
    pendingDowngradeTo: text('pending_downgrade_to'),
    pendingDowngradeSince: timestamptz('pending_downgrade_since'),
    profileUpdatedAt: timestamptz('profile_updated_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('clients_risk_level', sql`${t.riskLevel} IS NULL OR ${t.riskLevel} IN ('C1','C2','C3','C4','C5')`),
    check('clients_status', sql`${t.status} IN ('active','removed_by_client','removed_by_rm')`),
    index('clients_owner_rm_idx').on(t.ownerRm),
    index('clients_channel_idx').on(t.channelId),
  ],
);

/** Which RMs a client has added (a client may follow several), with the State each add carried. */
export const clientRms = pgTable(
  'client_rms',
  {
    externalUserid: text('external_userid')
      .notNull()
      .references(() => clients.externalUserid),
    rmUserid: text('rm_userid')
      .notNull()
      .references(() => rms.userid),
    state: text('state'),
    addedAt: timestamptz('added_at').notNull(),
    removedAt: timestamptz('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.externalUserid, t.rmUserid] })],
);

/** Corp client tags, mirrored from WeCom's tag library (get_corp_tag_list). */
export const corpTags = pgTable('corp_tags', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  groupId: text('group_id').notNull(),
  groupName: text('group_name').notNull(),
  deletedAt: timestamptz('deleted_at'),
  syncedAt: timestamptz('synced_at').notNull().defaultNow(),
});

/** Every welcome decision: sent, skipped (and why) or failed (and why). One per add event. */
export const welcomes = pgTable(
  'welcomes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    inboxId: bigint('inbox_id', { mode: 'number' }).notNull(),
    externalUserid: text('external_userid').notNull(),
    rmUserid: text('rm_userid').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    tier: text('tier'),
    templateId: text('template_id'),
    text: text('text'),
    joinLink: text('join_link'),
    // The add event's one-time code, kept only while the welcome is pending: the send job and the sweeper
    // read it from here, so a welcome survives a worker that died between commit and send.
    welcomeCode: text('welcome_code'),
    eventAt: timestamptz('event_at').notNull(),
    sentAt: timestamptz('sent_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('welcomes_inbox_uq').on(t.inboxId),
    // The welcome sweeper reads only pending rows, a handful among all the welcomes ever decided.
    index('welcomes_pending_idx').on(t.eventAt).where(sql`${t.status} = 'pending'`),
    check('welcomes_status', sql`${t.status} IN ('pending','sent','skipped','failed')`),
  ],
);

/** Every profile import that was applied: who, what file (by hash), how many rows, what changed. */
export const clientImports = pgTable('client_imports', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  actor: text('actor').notNull(),
  via: text('via').notNull(),
  fileName: text('file_name'),
  sha256: text('sha256').notNull(),
  rows: integer('rows').notNull(),
  created: integer('created').notNull(),
  updated: integer('updated').notNull(),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** A client row. */
export type ClientRow = typeof clients.$inferSelect;
/** A channel row. */
export type ChannelRow = typeof channels.$inferSelect;

/**
 * Activation events the bank reports (its profile feed, the API, or an event): a client's first meaningful
 * action. `ref` is the bank's own event id, so a repeat is ignored. The first one inside the new-client
 * period sets `clients.activated_at`; later ones are kept for analytics but activate nothing.
 */
export const activationEvents = pgTable(
  'activation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    externalUserid: text('external_userid')
      .notNull()
      .references(() => clients.externalUserid),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    ref: text('ref').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('activation_events_ref_uq').on(t.ref),
    index('activation_events_client_idx').on(t.externalUserid, t.occurredAt),
    check('activation_events_source', sql`${t.source} IN ('feed','api','event')`),
  ],
);
