import { type SQL, sql } from 'drizzle-orm';

// The engagement module's SQL on the touch log, as conditions and subqueries other modules'
// repositories embed.

/**
 * SQL that is true when an RM completed a touch (status 'done') toward the client `clientUserid` yields,
 * done in [from, to) (SQL timestamptz expressions). Pass columns qualified with their table alias.
 */
export function touchedBetween(clientUserid: SQL, from: SQL, to: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM touches tf_t WHERE tf_t.external_userid = ${clientUserid}
                     AND tf_t.status = 'done'
                     AND COALESCE(tf_t.done_at, tf_t.created_at) >= ${from}
                     AND COALESCE(tf_t.done_at, tf_t.created_at) < ${to})`;
}

/**
 * The touches RMs completed (status done) in [from, to) with a client: `(external_userid, done_at)`, the
 * engagement module's touch log, for the funnel's retention cohorts (which bucket them by week).
 */
export function doneTouchesBetween(from: SQL, to: SQL): SQL {
  return sql`(SELECT src_t.external_userid, src_t.done_at FROM touches src_t
              WHERE src_t.status = 'done' AND src_t.external_userid IS NOT NULL
                AND src_t.done_at >= ${from} AND src_t.done_at < ${to})`;
}
