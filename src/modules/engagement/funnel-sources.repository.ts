import { type SQL, sql } from 'drizzle-orm';

/**
 * SQL that is true when an RM completed a touch (status done) of the client `clientUserid` in [from, to):
 * the engagement module's touches, for the funnel's retention cohorts.
 */
export function touchedBetween(clientUserid: SQL, from: SQL, to: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM touches src_t
                     WHERE src_t.external_userid = ${clientUserid} AND src_t.status = 'done'
                       AND src_t.done_at >= ${from} AND src_t.done_at < ${to})`;
}
