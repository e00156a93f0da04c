import { sql } from 'drizzle-orm';
import { bigserial, check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * Where Helix has read each WeChat customer-service account up to: kf/sync_msg's `next_cursor`, stored in
 * the same transaction as the page of messages it follows, so a restart resumes exactly there.
 */
export const kfCursors = pgTable('kf_cursors', {
  openKfid: text('open_kfid').primaryKey(),
  /** Empty until the first page: sync_msg without a cursor reads from the start. */
  cursor: text('cursor').notNull().default(''),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Every customer-service message Helix pulled, once per WeCom msgid: pending until the bot has handled it
 * (in its own transaction, marked done together with the bot's records). Client text is PII-masked.
 */
export const kfMessages = pgTable(
  'kf_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    msgid: text('msgid').notNull().unique(),
    openKfid: text('open_kfid').notNull(),
    externalUserid: text('external_userid').notNull(),
    /** 'text' (a client's message), 'enter_session' (the client opened the chat) or 'other' (not handled). */
    kind: text('kind').$type<KfMessageKind>().notNull(),
    /** The masked text of a 'text' message. */
    text: text('text'),
    /** An enter_session's welcome code (short-lived, single-use, not personal). */
    welcomeCode: text('welcome_code'),
    status: text('status').$type<KfMessageStatus>().notNull().default('pending'),
    /** When the client sent it (WeCom's send_time). */
    sentAt: timestamptz('sent_at').notNull(),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
    processedAt: timestamptz('processed_at'),
  },
  (t) => [
    check('kf_messages_status', sql`${t.status} IN ('pending','done')`),
    check('kf_messages_kind', sql`${t.kind} IN ('text','enter_session','other')`),
    index('kf_messages_pending_idx').on(t.openKfid, t.id).where(sql`${t.status} = 'pending'`),
  ],
);

/** What a pulled message is, for the bot. */
export type KfMessageKind = 'text' | 'enter_session' | 'other';
/** pending → done, exactly once. */
export type KfMessageStatus = 'pending' | 'done';
