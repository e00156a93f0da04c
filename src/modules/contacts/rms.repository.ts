import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

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

const selectRms = sql`SELECT userid, name, branch, persona, capacity FROM rms`;

/** SQL for the RM directory ops maintain. */
export type RmsRepository = ReturnType<typeof createRmsRepository>;

/** Creates the RM directory repository. */
export function createRmsRepository() {
  return {
    /** RMs by userid, after `after`; `limit` rows at most. */
    list(db: Db, q: { after?: string; limit: number }): Promise<RmView[]> {
      return queryRows<RmView>(
        db,
        sql`${selectRms} ${q.after === undefined ? sql`` : sql`WHERE userid > ${q.after}`}
            ORDER BY userid LIMIT ${q.limit}`,
      );
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
  };
}
