import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

/** What offers' eligibility rules read about a client. */
export type ClientFacts = { tier: string | null; riskLevel: string | null; acquiredAt: Date | null };

/** Reads the facts eligibility rules need (flash sales): tier, risk level, when the client was acquired. */
export async function clientFacts(db: Db | Tx, externalUserid: string): Promise<ClientFacts | undefined> {
  const [row] = await queryRows<{
    tier: string | null;
    riskLevel: string | null;
    acquiredAt: string | Date | null;
  }>(
    db,
    sql`SELECT tier, risk_level AS "riskLevel", acquired_at AS "acquiredAt"
        FROM clients WHERE external_userid = ${externalUserid}`,
  );
  if (!row) return undefined;
  return {
    tier: row.tier,
    riskLevel: row.riskLevel,
    acquiredAt: row.acquiredAt ? new Date(row.acquiredAt) : null,
  };
}
