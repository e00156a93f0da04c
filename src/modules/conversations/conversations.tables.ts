import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * A client's conversation with Helix in one chat, and who owns it: bot → pending-human → human → resolved.
 * At most one open conversation per client and chat.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chatId: text('chat_id').notNull(),
    clientUserid: text('client_userid').notNull(),
    ownerState: text('owner_state').notNull().default('bot'),
    rmUserid: text('rm_userid'),
    handedOffAt: timestamptz('handed_off_at'),
    takenOverAt: timestamptz('taken_over_at'),
    takenOverBy: text('taken_over_by'),
    /** When a person must have taken over (business hours counted), and whether they did in time. */
    slaDueAt: timestamptz('sla_due_at'),
    slaKept: boolean('sla_kept'),
    escalatedTo: text('escalated_to'),
    escalatedAt: timestamptz('escalated_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('conversations_owner_state', sql`${t.ownerState} IN ('bot','pending-human','human','resolved')`),
    uniqueIndex('conversations_open_uq')
      .on(t.chatId, t.clientUserid)
      .where(sql`${t.ownerState} <> 'resolved'`),
    // A client's conversations: the client timeline and the sidebar's last hand-off.
    index('conversations_client_idx').on(t.clientUserid),
  ],
);

/**
 * Every message in a conversation, with what the bot decided; unanswered questions feed the review queue.
 * A client's text is stored with ID numbers, bank cards, mobiles and e-mails masked.
 */
export const conversationMessages = pgTable(
  'conversation_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    role: text('role').notNull(),
    text: text('text').notNull(),
    outcome: text('outcome'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamptz('at').notNull().defaultNow(),
  },
  (t) => [index('conversation_messages_conv_idx').on(t.conversationId)],
);
