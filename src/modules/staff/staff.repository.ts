import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Role } from '../../platform/db/schema.ts';
import { staff } from './staff.tables.ts';

/** One staff record as the API shows it. */
export type StaffRow = typeof staff.$inferSelect;

/** The SQL behind staff records: the only code that reads or writes `staff`. */
export type StaffRepository = ReturnType<typeof createStaffRepository>;

/** Creates the staff repository. */
export function createStaffRepository() {
  return {
    /** The staff record of a WeCom userid, disabled or not. */
    async find(db: Db | Tx, userid: string): Promise<StaffRow | undefined> {
      const [row] = await db.select().from(staff).where(eq(staff.userid, userid));
      return row;
    },

    /** Creates or replaces a staff record; `disabled` sets or clears its disabled time. */
    async upsert(
      tx: Db | Tx,
      s: { userid: string; name: string; role: Role; branchScope: string | null; disabled: boolean },
    ): Promise<StaffRow> {
      const disabledAt = s.disabled ? sql`coalesce(${staff.disabledAt}, now())` : sql`NULL`;
      const [row] = await tx
        .insert(staff)
        .values({
          userid: s.userid,
          name: s.name,
          role: s.role,
          branchScope: s.branchScope,
          ...(s.disabled ? { disabledAt: sql`now()` } : {}),
        })
        .onConflictDoUpdate({
          target: staff.userid,
          set: { name: s.name, role: s.role, branchScope: s.branchScope, disabledAt, updatedAt: sql`now()` },
        })
        .returning();
      if (!row) throw new Error('staff upsert returned no row');
      return row;
    },

    /** Staff records by userid, after `after`; `limit` rows at most. */
    list: (db: Db | Tx, q: { after?: string; limit: number }) =>
      db
        .select()
        .from(staff)
        .where(q.after === undefined ? undefined : gt(staff.userid, q.after))
        .orderBy(asc(staff.userid))
        .limit(q.limit),
  };
}
