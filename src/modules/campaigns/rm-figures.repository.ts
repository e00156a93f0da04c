import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

/** One RM's send-task figures for a period. */
export type RmTaskFigures = {
  rm: string;
  tasks: number;
  tasksOnTime: number;
  tasksLate: number;
  deliveries: number;
};

/**
 * Per RM (the task's sender), the RM's own send tasks (1:1, group, Moments; never robot posts or app
 * messages) created in [from, to) and not cancelled, how many were confirmed within `onTimeHours` of
 * creation and how many later; and the `sent` deliveries of their tasks confirmed in [from, to).
 */
export function taskFiguresByRm(
  db: Db | Tx,
  from: Date,
  to: Date,
  onTimeHours: number,
): Promise<RmTaskFigures[]> {
  const f = sql`${from.toISOString()}::timestamptz`;
  const t = sql`${to.toISOString()}::timestamptz`;
  const onTime = sql`t.confirmed_at <= t.created_at + make_interval(secs => ${onTimeHours * 3600})`;
  return queryRows<RmTaskFigures>(
    db,
    sql`WITH created AS (
          SELECT t.sender AS rm, count(*)::int AS tasks,
                 count(*) FILTER (WHERE t.status = 'confirmed' AND ${onTime})::int AS "tasksOnTime",
                 count(*) FILTER (WHERE t.status = 'confirmed' AND NOT (${onTime}))::int AS "tasksLate"
            FROM send_tasks t
           WHERE t.kind IN ('single','group','moment') AND t.sender <> '' AND t.status <> 'cancelled'
             AND t.created_at >= ${f} AND t.created_at < ${t}
           GROUP BY t.sender),
        delivered AS (
          SELECT t.sender AS rm, count(*)::int AS deliveries
            FROM send_tasks t JOIN deliveries d ON d.task_id = t.id AND d.status = 'sent'
           WHERE t.kind IN ('single','group','moment') AND t.sender <> '' AND t.status = 'confirmed'
             AND t.confirmed_at >= ${f} AND t.confirmed_at < ${t}
           GROUP BY t.sender)
        SELECT COALESCE(c.rm, d.rm) AS rm, COALESCE(c.tasks, 0) AS tasks,
               COALESCE(c."tasksOnTime", 0) AS "tasksOnTime", COALESCE(c."tasksLate", 0) AS "tasksLate",
               COALESCE(d.deliveries, 0) AS deliveries
          FROM created c FULL JOIN delivered d ON d.rm = c.rm`,
  );
}
