import { type SQL, sql } from 'drizzle-orm';

/**
 * The touches RMs completed (status done) in [from, to) with a client: `(external_userid, done_at)`, the
 * engagement module's touch log, for the funnel's retention cohorts (which bucket them by week).
 */
export function doneTouchesBetween(from: SQL, to: SQL): SQL {
  return sql`(SELECT src_t.external_userid, src_t.done_at FROM touches src_t
              WHERE src_t.status = 'done' AND src_t.external_userid IS NOT NULL
                AND src_t.done_at >= ${from} AND src_t.done_at < ${to})`;
}
