import { type SQL, sql } from 'drizzle-orm';

// The communities module's SQL on group membership, as conditions other modules' repositories embed.

/**
 * SQL that is true when the client (external contact) `clientUserid` yields is a member of a customer
 * group now (an open stay). Pass columns qualified with their table alias.
 */
export function inAGroupNow(clientUserid: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM group_memberships mf_m WHERE mf_m.member_id = ${clientUserid}
                     AND mf_m.member_type = 2 AND mf_m.left_at IS NULL)`;
}
