import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import type { IsoDate } from '../../platform/calendar/dates.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientGroupSpans } from '../communities/member-filters.repository.ts';
import {
  acquisitionsBetween,
  activationEventsBetween,
  channelByState,
  clientContactSpans,
  heldByRmAt,
  removalsBetween,
} from '../contacts/funnel-sources.repository.ts';
import { channelIdInScope, rmInScope } from '../contacts/scope-filters.repository.ts';
import { doneTouchesBetween } from '../engagement/touch-filters.repository.ts';

/** What the funnel report groups by. */
export type FunnelBy = 'channel' | 'rm' | 'week';

/** Funnel totals for one group (a channel, an RM or a week). */
export type FunnelTotalsRow = {
  key: string;
  aware: number;
  acquired: number;
  activated: number;
  churnedByClient: number;
  removedByRm: number;
};

/** One cell of the retention matrix, summed over the channels asked for. */
export type CohortCell = {
  cohortWeek: string;
  weeksAfter: number;
  size: number;
  stillContact: number;
  inGroup: number;
  touched: number;
  active: number;
};

/** Deletions in a week between one RM and the clients of one channel, by direction. */
export type ChurnRow = { rm: string; channelId: string; churnedByClient: number; removedByRm: number };

/** A raised churn alert. */
export type ChurnAlertRow = {
  rm: string;
  weekStart: string;
  churned: number;
  base: number;
  rate: number;
  threshold: number;
  createdAt: Date;
};

/** The local midnight of the date `d` in `tz`, as a timestamptz. */
const localStart = (d: SQL, tz: string) => sql`((${d})::timestamp AT TIME ZONE ${tz})`;
/** The Monday of the local week of the instant `ts` in `tz`. */
const weekOfInstant = (ts: SQL, tz: string) => sql`(date_trunc('week', ${ts} AT TIME ZONE ${tz})::date)`;
const dateParam = (d: IsoDate) => sql`${d}::date`;

/**
 * SQL over the funnel's tables (exposures and the nightly aggregates). The aggregation reads the other
 * modules' tables only through the fragments they export.
 */
export function createFunnelRepository() {
  return {
    /** The channel a tracked link's state names (the contacts module's lookup). */
    channelByState,

    /** Counts one link open of `channelId` on the business day `day`. */
    async countLinkOpen(db: Db | Tx, channelId: string, day: IsoDate): Promise<void> {
      await queryRows(
        db,
        sql`INSERT INTO channel_exposures (channel_id, day, kind, n) VALUES (${channelId}, ${day}, 'link_open', 1)
            ON CONFLICT (channel_id, day, kind) DO UPDATE SET n = channel_exposures.n + 1`,
      );
    },

    /**
     * Replaces `funnel_weekly` for the weeks starting `first` … `last` (Mondays): acquisitions (and their
     * activations) in their acquisition week, link opens on the channel's rm '' row, churn in its week.
     */
    async recomputeWeekly(tx: Tx, p: { first: IsoDate; last: IsoDate; tz: string }): Promise<number> {
      const first = dateParam(p.first);
      const end = sql`(${dateParam(p.last)} + 7)`;
      const from = localStart(first, p.tz);
      const to = localStart(end, p.tz);
      await queryRows(
        tx,
        sql`DELETE FROM funnel_weekly WHERE week_start >= ${first} AND week_start < ${end}`,
      );
      const rows = await queryRows<{ n: number }>(
        tx,
        sql`WITH facts AS (
              SELECT ${weekOfInstant(sql`a.acquired_at`, p.tz)} AS week_start, a.channel_id, a.rm,
                     0 AS opens, 1 AS acquired, CASE WHEN a.activated THEN 1 ELSE 0 END AS activated,
                     0 AS by_client, 0 AS by_rm
              FROM ${acquisitionsBetween(from, to)} a
              UNION ALL
              SELECT (e.day - (extract(isodow FROM e.day)::int - 1)) AS week_start, e.channel_id, '' AS rm,
                     e.n, 0, 0, 0, 0
              FROM channel_exposures e
              WHERE e.kind = 'link_open' AND e.day >= ${first} AND e.day < ${end}
              UNION ALL
              SELECT ${weekOfInstant(sql`r.removed_at`, p.tz)}, r.channel_id, r.rm, 0, 0, 0,
                     CASE WHEN r.by_client THEN 1 ELSE 0 END, CASE WHEN r.by_client THEN 0 ELSE 1 END
              FROM ${removalsBetween(from, to)} r
            ), ins AS (
              INSERT INTO funnel_weekly (week_start, channel_id, rm, aware, acquired, activated,
                                         churned_by_client, removed_by_rm)
              SELECT week_start, channel_id, rm, sum(opens + acquired), sum(acquired), sum(activated),
                     sum(by_client), sum(by_rm)
              FROM facts GROUP BY week_start, channel_id, rm
              RETURNING 1
            )
            SELECT count(*)::int AS n FROM ins`,
      );
      return rows[0]?.n ?? 0;
    },

    /**
     * Replaces `retention_cohorts` for the cohorts of weeks `first` … `last`: each cohort's clients in
     * every week from their acquisition week to `last` (at most 26 weeks after), each week ending at the
     * earlier of its end and `until` (the end of the run date).
     */
    async recomputeCohorts(
      tx: Tx,
      p: { first: IsoDate; last: IsoDate; until: Date; tz: string },
    ): Promise<number> {
      const first = dateParam(p.first);
      const last = dateParam(p.last);
      const until = sql`${p.until.toISOString()}::timestamptz`;
      await queryRows(
        tx,
        sql`DELETE FROM retention_cohorts WHERE cohort_week >= ${first} AND cohort_week <= ${last}`,
      );
      const since = localStart(first, p.tz);
      // Set-based: every (client, week) cell of the grid is joined to per-week sets of touches and
      // activations and to each client's contact and group spans, by hash joins, never a lookup per cell.
      const rows = await queryRows<{ n: number }>(
        tx,
        sql`WITH cohort AS (
              SELECT a.external_userid, a.channel_id, ${weekOfInstant(sql`a.acquired_at`, p.tz)} AS cw
              FROM ${acquisitionsBetween(since, until)} a
            ), grid AS (
              SELECT c.external_userid, c.channel_id, c.cw, k.k, c.cw + 7 * k.k AS wk,
                     LEAST(${localStart(sql`c.cw + 7 * k.k + 7`, p.tz)}, ${until}) AS we
              FROM cohort c CROSS JOIN generate_series(0, 26) AS k(k)
              WHERE c.cw + 7 * k.k <= ${last}
            ), touched AS (
              SELECT DISTINCT t.external_userid, ${weekOfInstant(sql`t.done_at`, p.tz)} AS wk
              FROM ${doneTouchesBetween(since, until)} t
            ), activated AS (
              SELECT DISTINCT e.external_userid, ${weekOfInstant(sql`e.occurred_at`, p.tz)} AS wk
              FROM ${activationEventsBetween(since, until)} e
            ), contact AS (
              SELECT g.external_userid, g.k FROM grid g
              JOIN ${clientContactSpans()} s ON s.external_userid = g.external_userid
              WHERE s.added_at < g.we AND (s.removed_at IS NULL OR s.removed_at >= g.we)
              GROUP BY g.external_userid, g.k
            ), grouped AS (
              SELECT g.external_userid, g.k FROM grid g
              JOIN ${clientGroupSpans()} s ON s.external_userid = g.external_userid
              WHERE s.joined_at < g.we AND (s.left_at IS NULL OR s.left_at >= g.we)
              GROUP BY g.external_userid, g.k
            ), flags AS (
              SELECT g.cw, g.channel_id, g.k,
                     (c.external_userid IS NOT NULL) AS still_contact,
                     (gr.external_userid IS NOT NULL) AS in_group,
                     (t.external_userid IS NOT NULL) AS touched,
                     (a.external_userid IS NOT NULL) AS activation
              FROM grid g
              LEFT JOIN contact c ON c.external_userid = g.external_userid AND c.k = g.k
              LEFT JOIN grouped gr ON gr.external_userid = g.external_userid AND gr.k = g.k
              LEFT JOIN touched t ON t.external_userid = g.external_userid AND t.wk = g.wk
              LEFT JOIN activated a ON a.external_userid = g.external_userid AND a.wk = g.wk
            ), ins AS (
              INSERT INTO retention_cohorts (cohort_week, channel_id, weeks_after, size, still_contact,
                                             in_group, touched, active)
              SELECT cw, channel_id, k, count(*), count(*) FILTER (WHERE still_contact),
                     count(*) FILTER (WHERE in_group), count(*) FILTER (WHERE touched),
                     count(*) FILTER (WHERE touched OR activation)
              FROM flags GROUP BY cw, channel_id, k
              RETURNING 1
            )
            SELECT count(*)::int AS n FROM ins`,
      );
      return rows[0]?.n ?? 0;
    },

    /**
     * Raises the churn alerts of the week starting `week`: RMs whose clients deleted them at least `min`
     * times in it, at a rate (÷ clients held at the week's start; 1 when they held none) above `threshold`.
     * A recomputed alert keeps its row (refreshing its counts); `inserted` marks the ones raised now.
     */
    async upsertChurnAlerts(
      tx: Tx,
      p: { week: IsoDate; tz: string; threshold: number; min: number; now: Date },
    ): Promise<(ChurnAlertRow & { inserted: boolean })[]> {
      const week = dateParam(p.week);
      const from = localStart(week, p.tz);
      const to = localStart(sql`(${week} + 7)`, p.tz);
      return queryRows(
        tx,
        sql`WITH churn AS (
              SELECT r.rm, count(*)::int AS churned FROM ${removalsBetween(from, to)} r
              WHERE r.by_client GROUP BY r.rm
            ), rated AS (
              SELECT ch.rm, ch.churned, COALESCE(h.held, 0) AS base,
                     CASE WHEN COALESCE(h.held, 0) = 0 THEN 1.0::float8
                          ELSE ch.churned::float8 / h.held END AS rate
              FROM churn ch LEFT JOIN ${heldByRmAt(from)} h ON h.rm = ch.rm
            )
            INSERT INTO churn_alerts (rm, week_start, churned, base, rate, threshold, created_at)
            SELECT rm, ${week}, churned, base, rate, ${p.threshold}::float8, ${p.now.toISOString()}::timestamptz
            FROM rated WHERE churned >= ${p.min} AND rate > ${p.threshold}::float8
            ON CONFLICT (rm, week_start) DO UPDATE
              SET churned = EXCLUDED.churned, base = EXCLUDED.base, rate = EXCLUDED.rate
            RETURNING rm, week_start::text AS "weekStart", churned, base, rate, threshold,
                      created_at AS "createdAt", (xmax = 0) AS inserted`,
      );
    },

    /** Funnel totals of the weeks starting `fromWeek` … `toDate`, grouped by `by`, within `scope`. */
    async totals(
      db: Db,
      p: { scope: Scope; fromWeek: IsoDate; toDate: IsoDate; by: FunnelBy },
    ): Promise<FunnelTotalsRow[]> {
      const key = { channel: sql`f.channel_id`, rm: sql`f.rm`, week: sql`f.week_start::text` }[p.by];
      return queryRows(
        db,
        sql`SELECT ${key} AS key, sum(f.aware)::int AS aware, sum(f.acquired)::int AS acquired,
                   sum(f.activated)::int AS activated, sum(f.churned_by_client)::int AS "churnedByClient",
                   sum(f.removed_by_rm)::int AS "removedByRm"
            FROM funnel_weekly f
            WHERE f.week_start >= ${dateParam(p.fromWeek)} AND f.week_start <= ${dateParam(p.toDate)}
              AND (${rmInScope(p.scope, sql`f.rm`)}
                   OR (f.rm = '' AND ${channelIdInScope(p.scope, sql`f.channel_id`)}))
            GROUP BY 1 ORDER BY 1`,
      );
    },

    /** The retention matrix of the cohorts `fromWeek` … `toDate` (one channel or all), within `scope`. */
    async cohorts(
      db: Db,
      p: { scope: Scope; fromWeek: IsoDate; toDate: IsoDate; channelId?: string },
    ): Promise<CohortCell[]> {
      return queryRows(
        db,
        sql`SELECT r.cohort_week::text AS "cohortWeek", r.weeks_after AS "weeksAfter",
                   sum(r.size)::int AS size, sum(r.still_contact)::int AS "stillContact",
                   sum(r.in_group)::int AS "inGroup", sum(r.touched)::int AS touched,
                   sum(r.active)::int AS active
            FROM retention_cohorts r
            WHERE r.cohort_week >= ${dateParam(p.fromWeek)} AND r.cohort_week <= ${dateParam(p.toDate)}
              AND ${p.channelId === undefined ? sql`TRUE` : sql`r.channel_id = ${p.channelId}`}
              AND ${channelIdInScope(p.scope, sql`r.channel_id`)}
            GROUP BY 1, 2 ORDER BY 1, 2`,
      );
    },

    /** Who deleted whom in the week starting `week`, per RM and channel, within `scope`. */
    async churn(db: Db, p: { scope: Scope; week: IsoDate }): Promise<ChurnRow[]> {
      return queryRows(
        db,
        sql`SELECT f.rm, f.channel_id AS "channelId", f.churned_by_client AS "churnedByClient",
                   f.removed_by_rm AS "removedByRm"
            FROM funnel_weekly f
            WHERE f.week_start = ${dateParam(p.week)} AND f.churned_by_client + f.removed_by_rm > 0
              AND ${rmInScope(p.scope, sql`f.rm`)}
            ORDER BY f.churned_by_client DESC, f.rm, f.channel_id`,
      );
    },

    /** The churn alerts of the week starting `week`, within `scope`, highest rate first. */
    async alerts(db: Db, p: { scope: Scope; week: IsoDate }): Promise<ChurnAlertRow[]> {
      return queryRows(
        db,
        sql`SELECT a.rm, a.week_start::text AS "weekStart", a.churned, a.base, a.rate, a.threshold,
                   a.created_at AS "createdAt"
            FROM churn_alerts a
            WHERE a.week_start = ${dateParam(p.week)} AND ${rmInScope(p.scope, sql`a.rm`)}
            ORDER BY a.rate DESC, a.rm`,
      );
    },
  };
}

/** The funnel repository. */
export type FunnelRepository = ReturnType<typeof createFunnelRepository>;
