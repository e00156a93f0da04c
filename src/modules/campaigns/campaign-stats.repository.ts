import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { rmInScope } from '../contacts/scope-filters.repository.ts';

/** One row of delivery and task counts, for a group (all, an RM, a branch). */
export type StatsRow = {
  key: string | null;
  status: string;
  reason: string | null;
  n: number;
};

/** Deliveries of one local date by status. */
export type DayCounts = { date: string; sent: number; pending: number; failed: number; skipped: number };

/** How far the deliveries of a window got: see `deliveriesFunnel`. */
export type DeliveryFunnel = { targeted: number; tasked: number; confirmed: number; delivered: number };

/** Local dates `from`..`to` (YYYY-MM-DD, inclusive) in `timeZone`: a window of whole days there. */
export type DayWindow = { from: string; to: string; timeZone: string };

// The window's bounds as instants, so the condition on created_at is a range the index serves.
const inWindow = (w: DayWindow, createdAt: SQL): SQL =>
  sql`${createdAt} >= (${w.from}::date::timestamp AT TIME ZONE ${w.timeZone}::text)
      AND ${createdAt} < ((${w.to}::date + 1)::timestamp AT TIME ZONE ${w.timeZone}::text)`;

/** Ops figures over deliveries and send tasks, within the caller's scope. */
export type CampaignStatsRepository = ReturnType<typeof createCampaignStatsRepository>;

/** Creates the stats repository. `by`: one set of figures, or one per RM or per branch. */
export function createCampaignStatsRepository() {
  const keyOf = (by: 'all' | 'rm' | 'branch', rm: SQL): SQL =>
    by === 'rm'
      ? sql`${rm}`
      : by === 'branch'
        ? sql`(SELECT branch FROM rms WHERE rms.userid = ${rm})`
        : sql`NULL::text`;
  return {
    /**
     * Clients an entry's occurrences reached or are reaching (deliveries sent or pending, one per client):
     * the "invited" of an event whose invitation is that entry.
     */
    async entryRecipients(db: Db, entryId: string): Promise<number> {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(DISTINCT d.recipient)::int AS n
              FROM deliveries d JOIN calendar_occurrences o ON o.id = d.occurrence_id
             WHERE o.entry_id = ${entryId} AND d.status IN ('sent','pending')`,
      );
      return row?.n ?? 0;
    },
    /**
     * Deliveries per local date of their `created_at` by status: one row for every date of the window,
     * oldest first, zeros included.
     */
    deliveriesByDay: (db: Db, window: DayWindow, scope: Scope) =>
      queryRows<DayCounts>(
        db,
        sql`WITH counted AS (
              SELECT (d.created_at AT TIME ZONE ${window.timeZone}::text)::date AS day,
                     count(*) FILTER (WHERE d.status = 'sent')::int AS sent,
                     count(*) FILTER (WHERE d.status = 'pending')::int AS pending,
                     count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
                     count(*) FILTER (WHERE d.status = 'skipped')::int AS skipped
                FROM deliveries d
               WHERE ${inWindow(window, sql`d.created_at`)} AND ${rmInScope(scope, sql`d.rm`)}
               GROUP BY 1)
            SELECT to_char(w.day, 'YYYY-MM-DD') AS date, COALESCE(c.sent, 0) AS sent,
                   COALESCE(c.pending, 0) AS pending, COALESCE(c.failed, 0) AS failed,
                   COALESCE(c.skipped, 0) AS skipped
              FROM generate_series(${window.from}::date, ${window.to}::date, interval '1 day') AS w(day)
              LEFT JOIN counted c ON c.day = w.day::date
             ORDER BY w.day`,
      ),
    /**
     * The send funnel of the window's deliveries: every recipient decided (targeted), those put in a send
     * task (tasked), those whose task the RM confirmed in WeCom (confirmed), and those sent (delivered).
     */
    async deliveriesFunnel(db: Db, window: DayWindow, scope: Scope): Promise<DeliveryFunnel> {
      const [row] = await queryRows<DeliveryFunnel>(
        db,
        sql`SELECT count(*)::int AS targeted,
                   count(d.task_id)::int AS tasked,
                   count(*) FILTER (WHERE t.status = 'confirmed')::int AS confirmed,
                   count(*) FILTER (WHERE d.status = 'sent')::int AS delivered
              FROM deliveries d
              LEFT JOIN send_tasks t ON t.id = d.task_id
             WHERE ${inWindow(window, sql`d.created_at`)} AND ${rmInScope(scope, sql`d.rm`)}`,
      );
      return row ?? { targeted: 0, tasked: 0, confirmed: 0, delivered: 0 };
    },
    /** Deliveries of these occurrences by status and reason. */
    deliveries: (db: Db, occurrenceIds: readonly number[], scope: Scope, by: 'all' | 'rm' | 'branch') =>
      queryRows<StatsRow>(
        db,
        sql`SELECT ${keyOf(by, sql`d.rm`)} AS key, d.status, d.reason, count(*)::int AS n
              FROM deliveries d
             WHERE d.occurrence_id = ANY(${sql.param([...occurrenceIds])}::bigint[]) AND ${rmInScope(scope, sql`d.rm`)}
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      ),
    /** Send tasks of these occurrences by status. */
    tasks: (db: Db, occurrenceIds: readonly number[], scope: Scope, by: 'all' | 'rm' | 'branch') =>
      queryRows<StatsRow>(
        db,
        sql`SELECT ${keyOf(by, sql`t.sender`)} AS key, t.status, NULL::text AS reason, count(*)::int AS n
              FROM send_tasks t
             WHERE t.occurrence_id = ANY(${sql.param([...occurrenceIds])}::bigint[]) AND ${rmInScope(scope, sql`t.sender`)}
             GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
  };
}

/** The figures ops read for an occurrence or an entry. */
export type CampaignStats = {
  targeted: number;
  skipped: Record<string, number>;
  tasksCreated: number;
  tasksConfirmed: number;
  delivered: number;
  pending: number;
  failed: number;
  failedReasons: Record<string, number>;
};

/** The figures of an occurrence nobody was decided for yet. */
export const emptyStats = (): CampaignStats => ({
  targeted: 0,
  skipped: {},
  tasksCreated: 0,
  tasksConfirmed: 0,
  delivered: 0,
  pending: 0,
  failed: 0,
  failedReasons: {},
});

/** Folds delivery and task rows into figures, one set per key. */
export function foldStats(deliveries: StatsRow[], tasks: StatsRow[]): Map<string | null, CampaignStats> {
  const out = new Map<string | null, CampaignStats>();
  const get = (k: string | null) => {
    let s = out.get(k);
    if (!s) {
      s = emptyStats();
      out.set(k, s);
    }
    return s;
  };
  for (const d of deliveries) {
    const s = get(d.key);
    s.targeted += d.n;
    if (d.status === 'skipped')
      s.skipped[d.reason ?? 'unknown'] = (s.skipped[d.reason ?? 'unknown'] ?? 0) + d.n;
    else if (d.status === 'sent') s.delivered += d.n;
    else if (d.status === 'pending') s.pending += d.n;
    else if (d.status === 'failed') {
      s.failed += d.n;
      const reason = (d.reason ?? 'unknown').split(':')[0] ?? 'unknown';
      s.failedReasons[reason] = (s.failedReasons[reason] ?? 0) + d.n;
    }
  }
  for (const t of tasks) {
    const s = get(t.key);
    if (t.status === 'created' || t.status === 'confirmed') s.tasksCreated += t.n;
    if (t.status === 'confirmed') s.tasksConfirmed += t.n;
  }
  return out;
}
