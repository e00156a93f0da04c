import { type SQL, sql } from 'drizzle-orm';

/**
 * The contacts module's per-client facts as a subquery other modules' aggregates read (KOC influence):
 * `external_userid`, the comparison cell (`tier`, `acquired_month` as YYYY-MM in `timeZone`; '-' when
 * unknown), `activated` (activated_at set) and `retained` (still a contact: status 'active').
 * Alias it where it is used: `${clientFacts(tz)} cf`.
 */
export function clientFacts(timeZone: string): SQL {
  return sql`(SELECT c.external_userid,
                     COALESCE(c.tier, '-') AS tier,
                     COALESCE(to_char(c.acquired_at AT TIME ZONE ${timeZone}, 'YYYY-MM'), '-') AS acquired_month,
                     c.activated_at IS NOT NULL AS activated,
                     c.status = 'active' AS retained
              FROM clients c)`;
}
