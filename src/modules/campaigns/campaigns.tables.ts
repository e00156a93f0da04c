import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * WeCom send tasks Helix created for one occurrence: an `add_msg_template` task per RM (1:1 or group), a
 * Moments task, an app message or a robot post. The row is written before the call and its `msgid` after,
 * so a worker killed in between finds the task in `sending` and reconciles it instead of sending twice.
 */
export const sendTasks = pgTable(
  'send_tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurrenceId: bigint('occurrence_id', { mode: 'number' }).notNull(),
    kind: text('kind').$type<SendKind>().notNull(),
    /** The RM who must confirm the task (the sender); '' for robot posts. */
    sender: text('sender').notNull(),
    variantId: text('variant_id').notNull(),
    /** Splits one sender's recipients into batches within WeCom's limits. */
    batch: integer('batch').notNull().default(0),
    recipients: integer('recipients').notNull(),
    status: text('status').$type<SendTaskStatus>().notNull().default('pending'),
    text: text('text'),
    msgid: text('msgid'),
    errcode: integer('errcode'),
    error: text('error'),
    sendingAt: timestamptz('sending_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    confirmedAt: timestamptz('confirmed_at'),
    polledAt: timestamptz('polled_at'),
  },
  (t) => [
    uniqueIndex('send_tasks_occurrence_sender_uq').on(t.occurrenceId, t.kind, t.sender, t.variantId, t.batch),
    index('send_tasks_sender_open_idx').on(t.sender).where(sql`${t.status} = 'created'`),
    check(
      'send_tasks_status',
      sql`${t.status} IN ('pending','sending','created','confirmed','failed','cancelled')`,
    ),
  ],
);

/** The ways an occurrence reaches people. */
export type SendKind = 'single' | 'group' | 'moment' | 'app' | 'robot';
/** pending → sending → created (WeCom holds it) → confirmed (the RM sent it), or failed / cancelled. */
export type SendTaskStatus = 'pending' | 'sending' | 'created' | 'confirmed' | 'failed' | 'cancelled';

/**
 * One row per (occurrence, recipient): the recipient's fate, with a reason for every skip and failure.
 * The primary key makes the fan-out idempotent: a retried or resumed occurrence adds nobody twice.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    occurrenceId: bigint('occurrence_id', { mode: 'number' }).notNull(),
    /** external_userid, chat_id, RM userid or robot key hash, by `kind`. */
    recipient: text('recipient').notNull(),
    kind: text('kind').$type<SendKind>().notNull(),
    /** The RM the recipient is reached through (the owner RM, the group owner, the RM itself). */
    rm: text('rm'),
    variantId: text('variant_id'),
    status: text('status').$type<DeliveryStatus>().notNull(),
    reason: text('reason'),
    taskId: bigint('task_id', { mode: 'number' }),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.occurrenceId, t.recipient] }),
    // Frequency caps count a recipient's recent deliveries.
    index('deliveries_recipient_at_idx').on(t.recipient, t.createdAt),
    index('deliveries_task_idx').on(t.taskId),
    // The overview's per-day counts and funnel read a window of recent deliveries across recipients.
    index('deliveries_created_at_idx').on(t.createdAt),
    check('deliveries_status', sql`${t.status} IN ('pending','sent','failed','skipped')`),
  ],
);

/** What became of one recipient. */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** Each reminder an RM was sent about their open send tasks: at most a configured number a day. */
export const taskReminders = pgTable(
  'task_reminders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    rm: text('rm').notNull(),
    day: text('day').notNull(),
    occurrenceId: bigint('occurrence_id', { mode: 'number' }).notNull(),
    sentAt: timestamptz('sent_at').notNull(),
  },
  (t) => [index('task_reminders_rm_day_idx').on(t.rm, t.day)],
);
