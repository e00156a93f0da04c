import { type SQL, sql } from 'drizzle-orm';

// The communities module's SQL on group membership, as conditions and subqueries other modules'
// repositories embed.

/**
 * SQL that is true when the client (external contact) `clientUserid` yields is a member of a customer
 * group now (an open stay). Pass columns qualified with their table alias.
 */
export function inAGroupNow(clientUserid: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM group_memberships mf_m WHERE mf_m.member_id = ${clientUserid}
                     AND mf_m.member_type = 2 AND mf_m.left_at IS NULL)`;
}

/**
 * Every client's group membership spans `(external_userid, joined_at, left_at)` (external members only;
 * `left_at` NULL while still a member): the communities module's membership history, for the funnel's
 * retention cohorts, which join it set-based.
 */
export function clientGroupSpans(): SQL {
  return sql`(SELECT src_gm.member_id AS external_userid, src_gm.joined_at, src_gm.left_at
              FROM group_memberships src_gm WHERE src_gm.member_type = 2)`;
}
