import { type SQL, sql } from 'drizzle-orm';

/**
 * Every client's group membership spans `(external_userid, joined_at, left_at)` (external members only;
 * `left_at` NULL while still a member): the communities module's membership history, for the funnel's
 * retention cohorts, which join it set-based.
 */
export function clientGroupSpans(): SQL {
  return sql`(SELECT src_gm.member_id AS external_userid, src_gm.joined_at, src_gm.left_at
              FROM group_memberships src_gm WHERE src_gm.member_type = 2)`;
}
