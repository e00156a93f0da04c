import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

/** What offers' eligibility rules read about a client. */
export type ClientFacts = { tier: string | null; riskLevel: string | null; acquiredAt: Date | null };

/**
 * Reads the facts eligibility rules need (flash sales): tier, risk level, when the client was acquired, for
 * many clients in one query (a flash sale's claim path batches the clients claiming at the same moment).
 * Clients without a row are absent from the map.
 */
export async function clientFacts(
  db: Db | Tx,
  externalUserids: readonly string[],
): Promise<Map<string, ClientFacts>> {
  if (externalUserids.length === 0) return new Map();
  // One text parameter, split in SQL: a parameter per id would cap a batch at PostgreSQL's 65,535.
  const rows = await queryRows<{
    u: string;
    tier: string | null;
    riskLevel: string | null;
    acquiredAt: string | Date | null;
  }>(
    db,
    sql`SELECT external_userid AS u, tier, risk_level AS "riskLevel", acquired_at AS "acquiredAt"
        FROM clients WHERE external_userid = ANY(string_to_array(${externalUserids.join('\n')}, E'\\n'))`,
  );
  return new Map(
    rows.map((r) => [
      r.u,
      { tier: r.tier, riskLevel: r.riskLevel, acquiredAt: r.acquiredAt ? new Date(r.acquiredAt) : null },
    ]),
  );
}
