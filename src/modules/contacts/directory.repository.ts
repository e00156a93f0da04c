import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { rmInScope } from './scope.sql.ts';

/** The API's view of an RM. */
export type RmView = {
  userid: string;
  name: string;
  branch: string | null;
  persona: string | null;
  capacity: number;
};

/** The API's view of a client, with the branch of its owner RM. */
export type ClientView = {
  externalUserid: string;
  name: string | null;
  aumBand: string | null;
  riskLevel: string | null;
  tags: string[];
  ownerRm: string | null;
  branch: string | null;
  channelId: string | null;
  status: string;
  tier: string | null;
  tierSince: string | null;
  acquiredAt: string | null;
};

const selectRms = sql`SELECT r.userid, r.name, r.branch, r.persona, r.capacity FROM rms r`;
const selectClients = sql`SELECT c.external_userid AS "externalUserid", c.name, c.aum_band AS "aumBand",
                                 c.risk_level AS "riskLevel", c.tags, c.owner_rm AS "ownerRm", r.branch,
                                 c.channel_id AS "channelId", c.status, c.tier, c.tier_since AS "tierSince",
                                 c.acquired_at AS "acquiredAt"
                          FROM clients c LEFT JOIN rms r ON r.userid = c.owner_rm`;

/** RM and client look-ups for the API, always within a scope. */
export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;

/** Creates the directory repository. */
export function createDirectoryRepository() {
  return {
    /** RMs within `scope`, by userid. */
    listRms: (db: Db, scope: Scope) =>
      queryRows<RmView>(db, sql`${selectRms} WHERE ${rmInScope(scope, sql`r.userid`)} ORDER BY r.userid`),

    /**
     * One RM and whether it is within `scope`, locked until the transaction ends so a placement
     * decision holds when it is written.
     */
    async rmForUpdate(tx: Tx, scope: Scope, userid: string) {
      const [row] = await queryRows<{ branch: string | null; inScope: boolean }>(
        tx,
        sql`SELECT r.branch, ${rmInScope(scope, sql`r.userid`)} AS "inScope" FROM rms r
            WHERE r.userid = ${userid} FOR UPDATE OF r`,
      );
      return row;
    },

    /** Creates or replaces an RM's set-up and returns it. */
    async upsertRm(tx: Tx, rm: RmView): Promise<RmView> {
      const [row] = await queryRows<RmView>(
        tx,
        sql`INSERT INTO rms (userid, name, branch, persona, capacity)
            VALUES (${rm.userid}, ${rm.name}, ${rm.branch}, ${rm.persona}, ${rm.capacity})
            ON CONFLICT (userid) DO UPDATE SET name = EXCLUDED.name, branch = EXCLUDED.branch,
              persona = EXCLUDED.persona, capacity = EXCLUDED.capacity, updated_at = now()
            RETURNING userid, name, branch, persona, capacity`,
      );
      if (!row) throw new Error('rm upsert returned no row');
      return row;
    },

    /** Those of `userids` that are not RMs within `scope` (unknown ones included). */
    async rmsOutsideScope(db: Db | Tx, scope: Scope, userids: string[]): Promise<string[]> {
      if (scope.kind === 'all' || userids.length === 0) return [];
      const rows = await queryRows<{ userid: string }>(
        db,
        sql`SELECT u.userid FROM unnest(${sql.param(userids)}::text[]) AS u(userid)
            WHERE NOT ${rmInScope(scope, sql`u.userid`)}`,
      );
      return rows.map((r) => r.userid);
    },

    /** Clients within `scope`, optionally of one channel or tier. */
    listClients: (db: Db, scope: Scope, q: { channel?: string; tier?: string; limit: number }) =>
      queryRows<ClientView>(
        db,
        sql`${selectClients} WHERE ${rmInScope(scope, sql`c.owner_rm`)}
            ${q.channel ? sql`AND c.channel_id = ${q.channel}` : sql``}
            ${q.tier ? sql`AND c.tier = ${q.tier}` : sql``}
            ORDER BY c.external_userid LIMIT ${q.limit}`,
      ),

    /** One client, or undefined when it does not exist or is outside `scope`. */
    async findClient(db: Db, scope: Scope, externalUserid: string): Promise<ClientView | undefined> {
      const [row] = await queryRows<ClientView>(
        db,
        sql`${selectClients} WHERE c.external_userid = ${externalUserid}
            AND ${rmInScope(scope, sql`c.owner_rm`)}`,
      );
      return row;
    },
  };
}
