import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { inAGroupNow } from '../communities/member-filters.repository.ts';
import {
  channelCreationCosts,
  channelsInScope,
  clientsAcquiredBetween,
  unknownClients,
} from '../contacts/channel-cohorts.repository.ts';
import { touchedBetween } from '../engagement/touch-filters.repository.ts';
import type { EngagementShares, MixCounts } from './channel-economics.tables.ts';

/** A channel's cost entry for one month. */
export type CostRow = {
  channelId: string;
  month: string;
  cost: string;
  reach: number | null;
  note: string | null;
  enteredBy: string;
  enteredAt: Date;
};

/** One validated revenue line to store. */
export type RevenueLine = { ref: string; externalUserid: string; amount: string; occurredAt: Date };

/** A stored channel profile row with the channel's name. */
export type ProfileRow = {
  channelId: string;
  channelName: string;
  month: string;
  acquired: number;
  activated: number;
  medianDaysToActivate: number | null;
  tierMix: MixCounts;
  riskMix: MixCounts;
  topTags: [string, number][];
  ageBands: MixCounts;
  engagement: EngagementShares;
  cost: number;
  reach: number | null;
  revenue: number;
  aac: number | null;
  lroi: number | null;
  computedAt: Date;
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** SQL over the channel-economics tables (costs, revenue, profiles). Methods take the handle they run on. */
export type ChannelEconomicsRepository = ReturnType<typeof createChannelEconomicsRepository>;

/** Creates the channel-economics repository. */
export function createChannelEconomicsRepository() {
  return {
    /** The cost entry of a channel and month, if any. */
    async findCost(db: Db | Tx, channelId: string, month: string): Promise<CostRow | undefined> {
      const [row] = await this.costsOf(db, channelId, month);
      return row;
    },

    /** A channel's cost entries, newest month first (only `month` when given). */
    async costsOf(db: Db | Tx, channelId: string, month?: string): Promise<CostRow[]> {
      const rows = await queryRows<CostRow & { enteredAt: Date | string }>(
        db,
        sql`SELECT channel_id AS "channelId", to_char(month, 'YYYY-MM') AS month, cost::text AS cost, reach,
                   note, entered_by AS "enteredBy", entered_at AS "enteredAt"
            FROM channel_costs WHERE channel_id = ${channelId}
            ${month ? sql`AND month = ${`${month}-01`}::date` : sql``}
            ORDER BY month DESC`,
      );
      return rows.map((r) => ({ ...r, enteredAt: new Date(r.enteredAt) }));
    },

    /** Enters (or replaces) a channel's cost for a month. */
    async upsertCost(tx: Tx, c: Omit<CostRow, 'enteredAt'>, at: Date): Promise<CostRow> {
      await queryRows(
        tx,
        sql`INSERT INTO channel_costs (channel_id, month, cost, reach, note, entered_by, entered_at)
            VALUES (${c.channelId}, ${`${c.month}-01`}::date, ${c.cost}::numeric, ${c.reach}, ${c.note},
                    ${c.enteredBy}, ${at.toISOString()}::timestamptz)
            ON CONFLICT (channel_id, month) DO UPDATE SET cost = EXCLUDED.cost, reach = EXCLUDED.reach,
              note = EXCLUDED.note, entered_by = EXCLUDED.entered_by, entered_at = EXCLUDED.entered_at`,
      );
      const row = await this.findCost(tx, c.channelId, c.month);
      if (!row) throw new Error('channel cost upsert left no row');
      return row;
    },

    /** Which of `ids` name no client Helix knows (contacts decides). */
    unknownClients,

    /** Which of `refs` were imported before. */
    async knownRefs(db: Db | Tx, refs: string[]): Promise<string[]> {
      if (refs.length === 0) return [];
      const rows = await queryRows<{ ref: string }>(
        db,
        sql`SELECT ref FROM client_revenue WHERE ref = ANY(${sql.param(refs)}::text[])`,
      );
      return rows.map((r) => r.ref);
    },

    /** Records an applied import; returns its id. */
    async insertImport(
      tx: Tx,
      i: {
        actor: string;
        fileName: string | null;
        sha256: string;
        rows: number;
        accepted: number;
        rejected: number;
      },
    ): Promise<number> {
      const [row] = await queryRows<{ id: number }>(
        tx,
        sql`INSERT INTO revenue_imports (actor, file_name, sha256, rows, accepted, rejected)
            VALUES (${i.actor}, ${i.fileName}, ${i.sha256}, ${i.rows}, ${i.accepted}, ${i.rejected})
            RETURNING id::int AS id`,
      );
      if (!row) throw new Error('revenue import insert returned no row');
      return row.id;
    },

    /** Sets an import's counts once its lines are in. */
    async finishImport(tx: Tx, id: number, accepted: number, rejected: number): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE revenue_imports SET accepted = ${accepted}, rejected = ${rejected} WHERE id = ${id}`,
      );
    },

    /** Inserts the lines whose ref is new; returns the refs inserted (a known ref is skipped). */
    async insertRevenue(tx: Tx, importId: number, lines: RevenueLine[]): Promise<string[]> {
      if (lines.length === 0) return [];
      const rows = await queryRows<{ ref: string }>(
        tx,
        sql`INSERT INTO client_revenue (ref, external_userid, amount, occurred_at, import_id)
            SELECT u.ref, u.id, u.amount, u.at, ${importId}
            FROM unnest(${sql.param(lines.map((l) => l.ref))}::text[],
                        ${sql.param(lines.map((l) => l.externalUserid))}::text[],
                        ${sql.param(lines.map((l) => l.amount))}::numeric[],
                        ${sql.param(lines.map((l) => l.occurredAt.toISOString()))}::timestamptz[])
                 AS u(ref, id, amount, at)
            ON CONFLICT (ref) DO NOTHING
            RETURNING ref`,
      );
      return rows.map((r) => r.ref);
    },

    /**
     * Replaces the profiles of `months` (first days, local in `timeZone`; [from, to) their instants) with
     * ones computed from clients, costs and revenue, in one statement after one delete. Returns the rows.
     */
    async recomputeProfiles(
      tx: Tx,
      q: {
        months: string[];
        from: Date;
        to: Date;
        timeZone: string;
        newClientPeriodMs: number;
        touchWindowMs: number;
        now: Date;
      },
    ): Promise<number> {
      const months = sql`${sql.param(q.months)}::date[]`;
      const tz = q.timeZone;
      const period = sql`(${q.newClientPeriodMs / 1000}::float8 * interval '1 second')`;
      const touchWindow = sql`(${q.touchWindowMs / 1000}::float8 * interval '1 second')`;
      const share = (n: ReturnType<typeof sql>) =>
        sql`(CASE WHEN a.acquired > 0 THEN round(${n}::numeric / a.acquired, 4) ELSE 0 END)`;
      const age = sql`date_part('year', age((c.acquired_at AT TIME ZONE ${tz})::date, c.birthday))`;
      // Each mix is one GROUP BY over the cohort, joined to its (channel, month) by hash: never a scan of
      // the cohort per key.
      const mix = (name: string, col: ReturnType<typeof sql>) =>
        sql.raw(`${name} AS (`).append(sql`
              SELECT m.channel_id, m.month, jsonb_object_agg(m.k, m.n) AS mix FROM (
                SELECT channel_id, month, COALESCE(${col}, 'unknown') AS k, count(*)::int AS n FROM cohort_in
                GROUP BY 1, 2, 3) m
              GROUP BY m.channel_id, m.month)`);
      await queryRows(tx, sql`DELETE FROM channel_profiles WHERE month = ANY(${months})`);
      const rows = await queryRows<{ channelId: string }>(
        tx,
        sql`WITH cohort AS (
              SELECT n.*, date_trunc('month', n.acquired_at AT TIME ZONE ${tz})::date AS month
              FROM ${clientsAcquiredBetween(q.from, q.to)} n
            ), cohort_in AS (
              SELECT * FROM cohort WHERE month = ANY(${months})
            ), rev AS (
              SELECT c.external_userid, sum(r.amount) AS revenue
              FROM cohort_in c JOIN client_revenue r ON r.external_userid = c.external_userid
               AND r.occurred_at >= c.acquired_at AND r.occurred_at < c.acquired_at + ${period}
              GROUP BY c.external_userid
            ), costs AS (
              SELECT e.channel_id, e.month, sum(e.cost) AS cost, max(e.reach) AS reach FROM (
                SELECT channel_id, month, cost, reach FROM channel_costs WHERE month = ANY(${months})
                UNION ALL
                SELECT cc.channel_id, cc.month, cc.cost, NULL::int FROM ${channelCreationCosts(tz)} cc
                WHERE cc.month = ANY(${months})
              ) e GROUP BY e.channel_id, e.month
            ), ${mix('tier_mix', sql`tier`)}, ${mix('risk_mix', sql`risk_level`)}, tags AS (
              SELECT t.channel_id, t.month,
                     jsonb_agg(jsonb_build_array(t.tag, t.n) ORDER BY t.n DESC, t.tag) AS top FROM (
                SELECT channel_id, month, tag, count(*)::int AS n,
                       row_number() OVER (PARTITION BY channel_id, month ORDER BY count(*) DESC, tag) AS r
                FROM cohort_in, unnest(tags) AS tag GROUP BY channel_id, month, tag) t
              WHERE t.r <= 10 GROUP BY t.channel_id, t.month
            ), keys AS (
              SELECT channel_id, month FROM cohort_in UNION SELECT channel_id, month FROM costs
            ), a AS (
              SELECT k.channel_id, k.month,
                     count(c.external_userid)::int AS acquired,
                     count(c.activated_at)::int AS activated,
                     percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY extract(epoch FROM c.activated_at - c.acquired_at) / 86400) AS median_days,
                     count(*) FILTER (WHERE c.external_userid IS NOT NULL AND ${touchedBetween(
                       sql`c.external_userid`,
                       sql`c.acquired_at`,
                       sql`c.acquired_at + ${touchWindow}`,
                     )}) AS touched,
                     count(*) FILTER (WHERE c.still_contact) AS still_contact,
                     count(*) FILTER (WHERE c.external_userid IS NOT NULL
                                      AND ${inAGroupNow(sql`c.external_userid`)}) AS in_group,
                     count(*) FILTER (WHERE ${age} < 30) AS age_lt30,
                     count(*) FILTER (WHERE ${age} >= 30 AND ${age} < 45) AS age_30_44,
                     count(*) FILTER (WHERE ${age} >= 45 AND ${age} < 60) AS age_45_59,
                     count(*) FILTER (WHERE ${age} >= 60) AS age_60,
                     count(*) FILTER (WHERE c.external_userid IS NOT NULL AND c.birthday IS NULL) AS age_unknown,
                     COALESCE(sum(rev.revenue), 0) AS revenue
              FROM keys k
              LEFT JOIN cohort_in c ON c.channel_id = k.channel_id AND c.month = k.month
              LEFT JOIN rev ON rev.external_userid = c.external_userid
              GROUP BY k.channel_id, k.month
            )
            INSERT INTO channel_profiles (channel_id, month, acquired, activated, median_days_to_activate,
                   tier_mix, risk_mix, top_tags, age_bands, engagement, cost, reach, revenue, aac, lroi,
                   computed_at)
            SELECT a.channel_id, a.month, a.acquired, a.activated, round(a.median_days::numeric, 2),
                   COALESCE(tm.mix, '{}'::jsonb), COALESCE(rm.mix, '{}'::jsonb), COALESCE(tg.top, '[]'::jsonb),
                   jsonb_build_object('<30', a.age_lt30, '30-44', a.age_30_44, '45-59', a.age_45_59,
                                      '60+', a.age_60, 'unknown', a.age_unknown),
                   jsonb_build_object('touched30d', ${share(sql`a.touched`)},
                                      'stillContact', ${share(sql`a.still_contact`)},
                                      'inGroup', ${share(sql`a.in_group`)}),
                   COALESCE(co.cost, 0), co.reach, a.revenue,
                   CASE WHEN a.activated > 0 AND COALESCE(co.cost, 0) > 0 THEN round(co.cost / a.activated, 2) END,
                   CASE WHEN COALESCE(co.cost, 0) > 0 THEN round(a.revenue / co.cost, 4) END,
                   ${q.now.toISOString()}::timestamptz
            FROM a LEFT JOIN costs co ON co.channel_id = a.channel_id AND co.month = a.month
            LEFT JOIN tier_mix tm ON tm.channel_id = a.channel_id AND tm.month = a.month
            LEFT JOIN risk_mix rm ON rm.channel_id = a.channel_id AND rm.month = a.month
            LEFT JOIN tags tg ON tg.channel_id = a.channel_id AND tg.month = a.month
            RETURNING channel_id AS "channelId"`,
      );
      return rows.length;
    },

    /**
     * The stored profiles of the channels within `scope` for months [from, to] (first days), by channel
     * then month; one channel's only when `channelId` is given.
     */
    async profiles(
      db: Db,
      q: { scope: Scope; from: string; to: string; channelId?: string },
    ): Promise<ProfileRow[]> {
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT p.channel_id AS "channelId", ch.name AS "channelName", to_char(p.month, 'YYYY-MM') AS month,
                   p.acquired, p.activated, p.median_days_to_activate AS "medianDaysToActivate",
                   p.tier_mix AS "tierMix", p.risk_mix AS "riskMix", p.top_tags AS "topTags",
                   p.age_bands AS "ageBands", p.engagement, p.cost, p.reach, p.revenue, p.aac, p.lroi,
                   p.computed_at AS "computedAt"
            FROM channel_profiles p JOIN ${channelsInScope(q.scope)} ch ON ch.id = p.channel_id
            WHERE p.month >= ${q.from}::date AND p.month <= ${q.to}::date
              ${q.channelId ? sql`AND p.channel_id = ${q.channelId}` : sql``}
            ORDER BY p.channel_id, p.month`,
      );
      return rows.map((r) => ({
        ...(r as ProfileRow),
        medianDaysToActivate: num(r.medianDaysToActivate),
        cost: Number(r.cost),
        revenue: Number(r.revenue),
        aac: num(r.aac),
        lroi: num(r.lroi),
        computedAt: new Date(r.computedAt as string),
      }));
    },
  };
}
