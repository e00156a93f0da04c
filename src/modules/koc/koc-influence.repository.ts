import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientFacts } from '../contacts/client-facts.repository.ts';
import { clientInScope } from '../contacts/scope-filters.repository.ts';
import { attendedAnEvent } from '../events/events.repository.ts';
import { claimedAFlashSale } from '../flash-sales/flash-sales.repository.ts';
import { referralLinks } from '../referral/referral.repository.ts';

/** One KOC's stored influence figures (rates are fractions; a baseline is null when no cell has one). */
export type InfluenceRow = {
  externalUserid: string;
  brought: number;
  answered: number;
  invited: number;
  people: number;
  activatedRate: number | null;
  retainedRate: number | null;
  engagedRate: number | null;
  baselineActivatedRate: number | null;
  baselineRetainedRate: number | null;
  baselineEngagedRate: number | null;
  computedAt: Date;
};

/** Below this many people a KOC's rates are shown but not compared ("too few"): a documented constant. */
export const INFLUENCE_MIN_PEOPLE = 5;

const columns = sql`external_userid AS "externalUserid", brought, answered, invited, people,
  activated_rate AS "activatedRate", retained_rate AS "retainedRate", engaged_rate AS "engagedRate",
  baseline_activated_rate AS "baselineActivatedRate", baseline_retained_rate AS "baselineRetainedRate",
  baseline_engaged_rate AS "baselineEngagedRate", computed_at AS "computedAt"`;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const toRow = (r: Record<string, unknown>): InfluenceRow => ({
  externalUserid: String(r.externalUserid),
  brought: Number(r.brought),
  answered: Number(r.answered),
  invited: Number(r.invited),
  people: Number(r.people),
  activatedRate: num(r.activatedRate),
  retainedRate: num(r.retainedRate),
  engagedRate: num(r.engagedRate),
  baselineActivatedRate: num(r.baselineActivatedRate),
  baselineRetainedRate: num(r.baselineRetainedRate),
  baselineEngagedRate: num(r.baselineEngagedRate),
  computedAt: new Date(r.computedAt as string | Date),
});

/** SQL over `koc_influence`: its nightly recompute and its reads. */
export type KocInfluenceRepository = ReturnType<typeof createKocInfluenceRepository>;

/** Creates the KOC influence repository. */
export function createKocInfluenceRepository() {
  return {
    /**
     * Replaces every `koc_influence` row in `tx`, set-based: for each client with a contribution or a
     * referral, the people they brought and how those people's activated / retained / engaged shares
     * compare with unlinked clients in the same tier × acquisition-month cells, weighted by the group's
     * own cell mix (direct standardisation; cells without a baseline client are left out of the weights).
     * Returns how many KOCs were written.
     */
    async recompute(tx: Tx, q: { timeZone: string; now: Date }): Promise<number> {
      await queryRows(tx, sql`DELETE FROM koc_influence`);
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`WITH facts AS (
              SELECT cf.external_userid, cf.tier, cf.acquired_month,
                     cf.activated::int::float8 AS act, cf.retained::int::float8 AS ret,
                     (${attendedAnEvent(sql`cf.external_userid`)}
                       OR ${claimedAFlashSale(sql`cf.external_userid`)})::int::float8 AS eng
              FROM ${clientFacts(q.timeZone)} cf
            ), refs AS (
              SELECT rl.referrer, rl.referred, rl.genuine, rl.pending FROM ${referralLinks()} rl
            ), clicks AS (
              SELECT DISTINCT k.external_userid AS koc, k.details->>'clicker' AS person
              FROM koc_contributions k
              WHERE k.kind = 'shared_click' AND k.details->>'clicker' IS NOT NULL
            ), brought AS (
              SELECT referrer AS koc, referred AS person FROM refs WHERE genuine AND referred <> referrer
              UNION
              SELECT koc, person FROM clicks WHERE person <> koc
            ), kocs AS (
              SELECT external_userid AS koc FROM koc_contributions UNION SELECT referrer FROM refs
            ), people AS (
              SELECT b.koc, f.tier, f.acquired_month, f.act, f.ret, f.eng
              FROM brought b JOIN facts f ON f.external_userid = b.person
            ), pool AS (
              SELECT f.* FROM facts f
              WHERE NOT EXISTS (SELECT 1 FROM refs r WHERE r.referred = f.external_userid)
                AND NOT EXISTS (SELECT 1 FROM clicks c WHERE c.person = f.external_userid)
                AND NOT EXISTS (SELECT 1 FROM kocs k WHERE k.koc = f.external_userid)
            ), base AS (
              SELECT tier, acquired_month, avg(act) AS act, avg(ret) AS ret, avg(eng) AS eng
              FROM pool GROUP BY tier, acquired_month
            ), cells AS (
              SELECT koc, tier, acquired_month, count(*)::float8 AS n,
                     sum(act) AS n_act, sum(ret) AS n_ret, sum(eng) AS n_eng
              FROM people GROUP BY koc, tier, acquired_month
            ), grp AS (
              SELECT c.koc, sum(c.n)::int AS people,
                     sum(c.n_act) / sum(c.n) AS activated_rate,
                     sum(c.n_ret) / sum(c.n) AS retained_rate,
                     sum(c.n_eng) / sum(c.n) AS engaged_rate,
                     sum(c.n * b.act) / NULLIF(sum(c.n) FILTER (WHERE b.act IS NOT NULL), 0) AS b_act,
                     sum(c.n * b.ret) / NULLIF(sum(c.n) FILTER (WHERE b.ret IS NOT NULL), 0) AS b_ret,
                     sum(c.n * b.eng) / NULLIF(sum(c.n) FILTER (WHERE b.eng IS NOT NULL), 0) AS b_eng
              FROM cells c
              LEFT JOIN base b ON b.tier = c.tier AND b.acquired_month = c.acquired_month
              GROUP BY c.koc
            ), nb AS (
              SELECT koc, count(*)::int AS n FROM brought GROUP BY koc
            ), ans AS (
              SELECT external_userid AS koc, count(*)::int AS n FROM koc_contributions
              WHERE kind = 'helpful_answer' GROUP BY external_userid
            ), inv AS (
              SELECT referrer AS koc, count(*)::int AS n FROM refs WHERE pending AND referred <> referrer
              GROUP BY referrer
            )
            INSERT INTO koc_influence (external_userid, brought, answered, invited, people,
                activated_rate, retained_rate, engaged_rate,
                baseline_activated_rate, baseline_retained_rate, baseline_engaged_rate, computed_at)
            SELECT k.koc, COALESCE(nb.n, 0), COALESCE(ans.n, 0), COALESCE(inv.n, 0), COALESCE(g.people, 0),
                   g.activated_rate, g.retained_rate, g.engaged_rate, g.b_act, g.b_ret, g.b_eng,
                   ${q.now.toISOString()}::timestamptz
            FROM kocs k
            LEFT JOIN grp g ON g.koc = k.koc
            LEFT JOIN nb ON nb.koc = k.koc
            LEFT JOIN ans ON ans.koc = k.koc
            LEFT JOIN inv ON inv.koc = k.koc
            RETURNING external_userid AS id`,
      );
      return rows.length;
    },

    /**
     * KOCs within `scope` ranked by people × activated lift: comparable ones (at least
     * INFLUENCE_MIN_PEOPLE people and a baseline) first, then the rest by people.
     */
    async ranking(db: Db, q: { scope: Scope; limit: number }): Promise<InfluenceRow[]> {
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT ${columns} FROM koc_influence i
            WHERE ${clientInScope(q.scope, sql`i.external_userid`)}
            ORDER BY (i.people >= ${INFLUENCE_MIN_PEOPLE} AND i.baseline_activated_rate IS NOT NULL) DESC,
                     CASE WHEN i.people >= ${INFLUENCE_MIN_PEOPLE}
                          THEN i.people * (i.activated_rate - i.baseline_activated_rate) END DESC NULLS LAST,
                     i.people DESC, i.external_userid
            LIMIT ${q.limit}`,
      );
      return rows.map(toRow);
    },

    /** One KOC's figures, if computed. */
    async find(db: Db, id: string): Promise<InfluenceRow | undefined> {
      const [row] = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT ${columns} FROM koc_influence WHERE external_userid = ${id}`,
      );
      return row ? toRow(row) : undefined;
    },
  };
}
