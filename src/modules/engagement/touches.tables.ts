import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * The touch log: every RM-attributed action toward a client (a confirmed send task, a birthday or festival
 * greeting, a hand-off reply, a check-in), and the touches due on an RM's task list. Engagement scoring
 * reads it. Bot-sent messages never appear here. `ref` makes each touch idempotent per source.
 */
export const touches = pgTable(
  'touches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    rm: text('rm').notNull(),
    externalUserid: text('external_userid'),
    kind: text('kind').$type<TouchKind>().notNull(),
    /** Birthdays, festivals and check-in replies: the non-financial touches scoring weighs apart. */
    emotional: boolean('emotional').notNull().default(false),
    status: text('status').$type<'due' | 'done'>().notNull(),
    dueDate: date('due_date'),
    title: text('title').notNull(),
    /** The ready text the RM sends personally (a birthday greeting in their persona), if any. */
    body: text('body'),
    ref: text('ref').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    doneAt: timestamptz('done_at'),
  },
  (t) => [
    uniqueIndex('touches_ref_uq').on(t.ref),
    index('touches_rm_due_idx').on(t.rm, t.dueDate).where(sql`${t.status} = 'due'`),
    // A client's touches, newest first: the client timeline and the sidebar's touches due.
    index('touches_client_idx').on(t.externalUserid, t.createdAt),
    // Engagement scoring's per-RM done touches in a period, and its drill-down to them.
    index('touches_rm_done_idx').on(t.rm, t.doneAt).where(sql`${t.status} = 'done'`),
    check('touches_status', sql`${t.status} IN ('due','done')`),
  ],
);

/** What kind of touch: the engagement score weighs them by kind. */
export type TouchKind =
  | 'task_confirmed'
  | 'birthday'
  | 'festival'
  | 'handoff_reply'
  | 'check_in'
  | 'follow_up';
