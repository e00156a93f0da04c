import { type SQL, sql } from 'drizzle-orm';

/**
 * SQL that is true when the client `clientUserid` was a member (external, member_type 2) of at least one
 * group at instant `at`: the communities module's membership history, for the funnel's retention cohorts.
 */
export function inGroupAt(clientUserid: SQL, at: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM group_memberships src_gm
                     WHERE src_gm.member_id = ${clientUserid} AND src_gm.member_type = 2
                       AND src_gm.joined_at < ${at} AND (src_gm.left_at IS NULL OR src_gm.left_at >= ${at}))`;
}
