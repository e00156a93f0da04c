import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { rmInScope } from './scope-filters.repository.ts';

/** The API's view of an RM. */
export type RmView = {
  userid: string;
  name: string;
  branch: string | null;
  persona: string | null;
  capacity: number;
};

/** What ops set for an RM. */
export type RmSetup = Omit<RmView, 'userid'>;

const selectRms = sql`SELECT r.userid, r.name, r.branch, r.persona, r.capacity FROM rms r`;

/** SQL for the RM directory ops maintain, always within a scope where the API reads it. */
export type RmsRepository = ReturnType<typeof createRmsRepository>;

/** Creates the RM directory repository. */
export function createRmsRepository() {
  return {
    /** RMs within `scope` by userid, after `after`; `limit` rows at most. */
    list(db: Db, scope: Scope, q: { after?: string; limit: number }): Promise<RmView[]> {
      return queryRows<RmView>(
        db,
        sql`${selectRms} WHERE ${rmInScope(scope, sql`r.userid`)}
            ${q.after === undefined ? sql`` : sql`AND r.userid > ${q.after}`}
            ORDER BY r.userid LIMIT ${q.limit}`,
      );
    },

    /**
     * One RM and whether it is within `scope`, locked until the transaction ends so a placement
     * decision holds when it is written.
     */
    async findForUpdate(tx: Tx, scope: Scope, userid: string) {
      const [row] = await queryRows<{ branch: string | null; inScope: boolean }>(
        tx,
        sql`SELECT r.branch, ${rmInScope(scope, sql`r.userid`)} AS "inScope" FROM rms r
            WHERE r.userid = ${userid} FOR UPDATE OF r`,
      );
      return row;
    },

    /** Creates or replaces an RM's setup; returns the stored row. */
    async upsert(tx: Tx, userid: string, rm: RmSetup): Promise<RmView> {
      const [row] = await queryRows<RmView>(
        tx,
        sql`INSERT INTO rms (userid, name, branch, persona, capacity)
            VALUES (${userid}, ${rm.name}, ${rm.branch}, ${rm.persona}, ${rm.capacity})
            ON CONFLICT (userid) DO UPDATE SET name = EXCLUDED.name, branch = EXCLUDED.branch,
              persona = EXCLUDED.persona, capacity = EXCLUDED.capacity, updated_at = now()
            RETURNING userid, name, branch, persona, capacity`,
      );
      if (!row) throw new Error('rm upsert returned no row');
      return row;
    },

    /** The userids among `userids` that name no RM. */
    async unknown(db: Db | Tx, userids: readonly string[]): Promise<string[]> {
      if (userids.length === 0) return [];
      const rows = await queryRows<{ userid: string }>(
        db,
        sql`SELECT u.userid FROM unnest(${sql.param([...userids])}::text[]) AS u(userid)
            WHERE NOT EXISTS (SELECT 1 FROM rms r WHERE r.userid = u.userid)`,
      );
      return rows.map((r) => r.userid);
    },

    /** The userids among `userids` that are not RMs within `scope` (unknown ones included). */
    async outsideScope(db: Db | Tx, scope: Scope, userids: readonly string[]): Promise<string[]> {
      if (scope.kind === 'all' || userids.length === 0) return [];
      const rows = await queryRows<{ userid: string }>(
        db,
        sql`SELECT u.userid FROM unnest(${sql.param([...userids])}::text[]) AS u(userid)
            WHERE NOT ${rmInScope(scope, sql`u.userid`)}`,
      );
      return rows.map((r) => r.userid);
    },
  };
}
