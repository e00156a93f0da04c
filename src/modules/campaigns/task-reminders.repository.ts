import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { taskReminders } from './campaigns.tables.ts';

/** The SQL on task reminders. */
export type TaskRemindersRepository = ReturnType<typeof createTaskRemindersRepository>;

/** The reminders RMs were sent about their unconfirmed send tasks (at most a configured number a day). */
export function createTaskRemindersRepository() {
  return {
    /** How many reminders an RM got on a local day, and when the last one went out. */
    async remindersOn(db: Db | Tx, rm: string, day: string): Promise<{ count: number; last: Date | null }> {
      const rows = await queryRows<{ n: number; last: string | null }>(
        db,
        sql`SELECT count(*)::int AS n, max(sent_at) AS last FROM task_reminders WHERE rm = ${rm} AND day = ${day}`,
      );
      const r = rows[0];
      return { count: r?.n ?? 0, last: r?.last ? new Date(r.last) : null };
    },

    /** Records a reminder sent to an RM, counted against their day's budget. */
    async recordReminder(db: Db | Tx, r: { rm: string; day: string; occurrenceId: number; at: Date }) {
      await db
        .insert(taskReminders)
        .values({ rm: r.rm, day: r.day, occurrenceId: r.occurrenceId, sentAt: r.at });
    },
  };
}
