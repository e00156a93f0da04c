import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { isoMicros } from '../../platform/db/columns.ts';
import { isActiveClientOf } from '../contacts/rm-figures.repository.ts';
import { rmInScope } from '../contacts/scope-filters.repository.ts';
import { type TouchKind, touches } from './touches.tables.ts';

/** A touch row. */
export type TouchRow = typeof touches.$inferSelect;

/** A touch to record or put on a task list; `ref` makes it idempotent per source. */
export type TouchInput = {
  rm: string;
  externalUserid?: string | null;
  kind: TouchKind;
  emotional: boolean;
  status: 'due' | 'done';
  dueDate?: string | null;
  title: string;
  body?: string | null;
  ref: string;
};

/** A done touch as the engagement drill-down lists it. */
export type DoneTouch = {
  id: string;
  /** When it was done, in UTC with microseconds: exact for paging. */
  doneAt: string;
  kind: TouchKind;
  emotional: boolean;
  externalUserid: string | null;
  title: string;
};

/** A touch as the client timeline shows it: never its body (the RM's ready text). */
export type TouchForClient = {
  id: string;
  /** When it was logged, in UTC with microseconds (`YYYY-MM-DDTHH:MM:SS.ffffffZ`): exact for paging. */
  at: string;
  kind: TouchKind;
  status: 'due' | 'done';
  title: string;
  rm: string;
};

/** The touch log's SQL. */
export type TouchesRepository = ReturnType<typeof createTouchesRepository>;

/** Creates the touches repository. */
export function createTouchesRepository() {
  return {
    /** Inserts touches; one whose ref exists already is left as it is. Returns how many were new. */
    async insert(db: Db | Tx, rows: readonly TouchInput[], at: Date): Promise<number> {
      if (rows.length === 0) return 0;
      let n = 0;
      for (let i = 0; i < rows.length; i += 2_000) {
        const inserted = await db
          .insert(touches)
          .values(
            rows.slice(i, i + 2_000).map((r) => ({
              rm: r.rm,
              externalUserid: r.externalUserid ?? null,
              kind: r.kind,
              emotional: r.emotional,
              status: r.status,
              dueDate: r.dueDate ?? null,
              title: r.title,
              body: r.body ?? null,
              ref: r.ref,
              createdAt: at,
              doneAt: r.status === 'done' ? at : null,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: touches.id });
        n += inserted.length;
      }
      return n;
    },

    /** The RM's touches due on or before `date` and not done. */
    due: (db: Db | Tx, rm: string, date: string) =>
      db
        .select()
        .from(touches)
        .where(and(eq(touches.rm, rm), eq(touches.status, 'due'), lte(touches.dueDate, date)))
        .orderBy(asc(touches.dueDate), asc(touches.id))
        .limit(500),

    /**
     * The touches due for one client on or before `date` and not done, of the RMs within `scope` (an RM's
     * own, a branch's RMs', or everyone's): what the RM sidebar shows beside that client's chat.
     */
    dueForClient: (db: Db | Tx, scope: Scope, externalUserid: string, date: string) =>
      db
        .select()
        .from(touches)
        .where(
          and(
            eq(touches.externalUserid, externalUserid),
            eq(touches.status, 'due'),
            lte(touches.dueDate, date),
            rmInScope(scope, sql`${touches.rm}`),
          ),
        )
        .orderBy(asc(touches.dueDate), asc(touches.id))
        .limit(50),

    find: async (db: Db | Tx, id: number) => (await db.select().from(touches).where(eq(touches.id, id)))[0],

    /** Marks a due touch done; undefined when it was done already (or is not due). */
    markDone: async (db: Db | Tx, id: number, at: Date) =>
      (
        await db
          .update(touches)
          .set({ status: 'done', doneAt: at })
          .where(and(eq(touches.id, id), eq(touches.status, 'due')))
          .returning()
      )[0],

    /** Marks the due touches whose refs are given done (a confirmed greeting task completes its touches). */
    async markDoneByRefs(db: Db | Tx, refs: readonly string[], at: Date): Promise<number> {
      if (refs.length === 0) return 0;
      const rows = await queryRows<{ id: number }>(
        db,
        sql`UPDATE touches SET status = 'done', done_at = ${at.toISOString()}::timestamptz
             WHERE ref = ANY(${sql.param([...refs])}::text[]) AND status = 'due' RETURNING id`,
      );
      return rows.length;
    },

    /**
     * The client's touches, newest first by when each was logged (created_at: a due touch keeps its place
     * when it is done later, so paging stays stable), strictly before `before`; `limit` at most.
     * `touches_client_idx` (external_userid, created_at) serves it.
     */
    forClient: (
      db: Db | Tx,
      externalUserid: string,
      before: { at: string; id: string } | undefined,
      limit: number,
    ) =>
      queryRows<TouchForClient>(
        db,
        sql`SELECT id::text AS id,
                   ${isoMicros(sql`created_at`)} AS at,
                   kind, status, title, rm
              FROM touches
             WHERE external_userid = ${externalUserid}
               ${before ? sql`AND (created_at, id) < (${before.at}::timestamptz, ${before.id}::bigint)` : sql``}
             ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      ),

    /** Done touches per RM and kind in [from, to): what engagement scoring reads. */
    doneCounts: (db: Db | Tx, from: Date, to: Date) =>
      queryRows<{ rm: string; kind: TouchKind; emotional: boolean; n: number }>(
        db,
        sql`SELECT rm, kind, emotional, count(*)::int AS n FROM touches
             WHERE status = 'done' AND done_at >= ${from.toISOString()}::timestamptz
               AND done_at < ${to.toISOString()}::timestamptz
             GROUP BY rm, kind, emotional ORDER BY rm, kind`,
      ),

    /**
     * Per RM, the distinct active clients of theirs with a done touch in [from, to) and the emotional done
     * touches: engagement scoring's coverage and emotional components. `touches_rm_done_idx` serves it.
     */
    doneFiguresByRm: (db: Db | Tx, from: Date, to: Date) =>
      queryRows<{ rm: string; touchedClients: number; emotionalTouches: number }>(
        db,
        sql`SELECT t.rm,
                   count(DISTINCT t.external_userid) FILTER (
                     WHERE ${isActiveClientOf(sql`t.rm`, sql`t.external_userid`)})::int AS "touchedClients",
                   count(*) FILTER (WHERE t.emotional)::int AS "emotionalTouches"
              FROM touches t
             WHERE t.status = 'done' AND t.done_at >= ${from.toISOString()}::timestamptz
               AND t.done_at < ${to.toISOString()}::timestamptz
             GROUP BY t.rm`,
      ),

    /**
     * The RM's done touches in [from, to), newest first, strictly before `before`: the touch-log rows behind
     * the coverage (all) or emotional (emotional only) component.
     */
    doneForRm: (
      db: Db | Tx,
      q: { rm: string; from: Date; to: Date; emotionalOnly: boolean },
      before: { at: string; id: string } | undefined,
      limit: number,
    ) =>
      queryRows<DoneTouch>(
        db,
        sql`SELECT id::text AS id, ${isoMicros(sql`done_at`)} AS "doneAt", kind, emotional,
                   external_userid AS "externalUserid", title
              FROM touches
             WHERE rm = ${q.rm} AND status = 'done'
               AND done_at >= ${q.from.toISOString()}::timestamptz AND done_at < ${q.to.toISOString()}::timestamptz
               ${q.emotionalOnly ? sql`AND emotional` : sql``}
               ${before ? sql`AND (done_at, id) < (${before.at}::timestamptz, ${before.id}::bigint)` : sql``}
             ORDER BY done_at DESC, id DESC LIMIT ${limit}`,
      ),
  };
}
