import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

// The contacts module's per-RM figures for engagement scoring, and the fragment other modules use to
// attribute a client's outcome to its owner RM without writing SQL against `clients` themselves.

/** SQL for the owner RM of the client whose external userid `clientUserid` yields (NULL if none). */
export function ownerRmOf(clientUserid: SQL): SQL {
  return sql`(SELECT own_c.owner_rm FROM clients own_c WHERE own_c.external_userid = ${clientUserid})`;
}

/** One RM's client figures for a period. */
export type RmClientFigures = {
  rm: string;
  branch: string | null;
  activeClients: number;
  activations: number;
};

/**
 * Every RM with its branch, its active clients now, and its clients activated in [from, to): one row per
 * RM (zeros included), so scoring sees RMs who did nothing too.
 */
export function clientFiguresByRm(db: Db | Tx, from: Date, to: Date): Promise<RmClientFigures[]> {
  return queryRows<RmClientFigures>(
    db,
    sql`SELECT r.userid AS rm, r.branch,
               count(c.external_userid) FILTER (WHERE c.status = 'active')::int AS "activeClients",
               count(c.external_userid) FILTER (
                 WHERE c.activated_at >= ${from.toISOString()}::timestamptz
                   AND c.activated_at < ${to.toISOString()}::timestamptz)::int AS activations
          FROM rms r LEFT JOIN clients c ON c.owner_rm = r.userid
         GROUP BY r.userid, r.branch ORDER BY r.userid`,
  );
}

/** SQL that is true when the client `clientUserid` yields is an active client owned by the RM `rm` yields. */
export function isActiveClientOf(rm: SQL, clientUserid: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM clients act_c WHERE act_c.external_userid = ${clientUserid}
                     AND act_c.owner_rm = ${rm} AND act_c.status = 'active')`;
}
