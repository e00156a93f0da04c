import { sql } from 'drizzle-orm';
import { check, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';
import type { Role } from '../../platform/db/schema.ts';

/**
 * Staff who may sign in to the console and what they may do: WeCom userid, role and (for branch ops) the
 * branch. An RM needs no row here: a WeCom member in `rms` signs in as an RM. A row here wins over `rms`.
 */
export const staff = pgTable(
  'staff',
  {
    userid: text('userid').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    branchScope: text('branch_scope'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    /** Set: the person may no longer sign in, and their open sessions end. */
    disabledAt: timestamptz('disabled_at'),
  },
  (t) => [check('staff_role', sql`${t.role} IN ('admin', 'ops', 'compliance', 'rm')`)],
);
