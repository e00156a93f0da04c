import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientInScope } from '../contacts/scope-filters.repository.ts';
import type { KocKind, KocWeights } from './koc-weights.ts';

/** A contribution to store, with the weight it is scored with. */
export type ContributionRow = {
  externalUserid: string;
  kind: KocKind;
  ref: string;
  weight: number;
  occurredAt: Date;
  details: Record<string, unknown>;
};

/** A stored contribution as the explanation reads it. */
export type StoredContribution = {
  id: number;
  kind: KocKind;
  ref: string;
  weight: number;
  occurredAt: Date;
  details: Record<string, unknown>;
};

/** A candidate and their score decayed to the read's `now`. */
export type CandidateRow = { externalUserid: string; score: number; asOf: Date };

const param = (xs: unknown[]) => sql.param(xs);
/** `value` (SQL) decayed from `since` (SQL) to `now` with the half-life in seconds. */
const decayed = (
  value: ReturnType<typeof sql>,
  since: ReturnType<typeof sql>,
  now: Date,
  halfLifeS: number,
) =>
  sql`(${value} * power(2::float8, -greatest(0::float8, extract(epoch FROM (${now.toISOString()}::timestamptz - ${since})))::float8 / ${halfLifeS}::float8))`;

/** SQL over the KOC tables (contributions and scores), in the caller's transaction where given. */
export type KocRepository = ReturnType<typeof createKocRepository>;

/** Creates the KOC repository. */
export function createKocRepository() {
  return {
    /** Inserts contributions whose ref is new; returns those inserted (a known ref is skipped). */
    async insertContributions(tx: Tx, rows: ContributionRow[]): Promise<ContributionRow[]> {
      if (rows.length === 0) return [];
      const inserted = await queryRows<ContributionRow & { occurredAt: Date | string }>(
        tx,
        sql`INSERT INTO koc_contributions (external_userid, kind, ref, weight, occurred_at, details)
            SELECT u.id, u.kind, u.ref, u.weight, u.at, u.details::jsonb
            FROM unnest(${param(rows.map((r) => r.externalUserid))}::text[], ${param(rows.map((r) => r.kind))}::text[],
                        ${param(rows.map((r) => r.ref))}::text[], ${param(rows.map((r) => r.weight))}::float8[],
                        ${param(rows.map((r) => r.occurredAt.toISOString()))}::timestamptz[],
                        ${param(rows.map((r) => JSON.stringify(r.details)))}::text[])
                 AS u(id, kind, ref, weight, at, details)
            ON CONFLICT (ref) DO NOTHING
            RETURNING external_userid AS "externalUserid", kind, ref, weight, occurred_at AS "occurredAt", details`,
      );
      return inserted.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt) }));
    },

    /**
     * Adds to each client's score: the stored score decayed from its `as_of` to `now`, plus `add` (already
     * decayed to `now`). A client without a score row gets one.
     */
    async addToScores(
      tx: Tx,
      adds: { externalUserid: string; add: number }[],
      now: Date,
      w: Pick<KocWeights, 'halfLifeMs' | 'version'>,
    ): Promise<void> {
      if (adds.length === 0) return;
      await queryRows(
        tx,
        sql`INSERT INTO koc_scores AS s (external_userid, score, as_of, weights_version, updated_at)
            SELECT u.id, u.add, ${now.toISOString()}::timestamptz, ${w.version}, now()
            FROM unnest(${param(adds.map((a) => a.externalUserid))}::text[], ${param(adds.map((a) => a.add))}::float8[])
                 AS u(id, add)
            ON CONFLICT (external_userid) DO UPDATE SET
              score = ${decayed(sql`s.score`, sql`s.as_of`, now, w.halfLifeMs / 1000)} + EXCLUDED.score,
              as_of = EXCLUDED.as_of, updated_at = now()`,
      );
    },

    /**
     * Re-scores the clients whose score was computed under other weights (only `ids` when given): their
     * contributions get the current weights, and their score becomes the sum decayed to `now`.
     */
    async rescoreStale(db: Db | Tx, w: KocWeights, now: Date, ids?: string[]): Promise<number> {
      const only = ids ? sql`AND external_userid = ANY(${param(ids)}::text[])` : sql``;
      const rows = await queryRows<{ id: string }>(
        db,
        sql`WITH stale AS (
              SELECT external_userid FROM koc_scores WHERE weights_version <> ${w.version} ${only} FOR UPDATE
            ), reweighed AS (
              UPDATE koc_contributions c SET weight = CASE c.kind
                  WHEN 'helpful_answer' THEN ${w.weights.helpful_answer}::float8
                  WHEN 'shared_click' THEN ${w.weights.shared_click}::float8
                  WHEN 'referral_activated' THEN ${w.weights.referral_activated}::float8
                  ELSE ${w.weights.event_attended}::float8 END
              FROM stale WHERE c.external_userid = stale.external_userid
              RETURNING c.external_userid, c.weight, c.occurred_at
            )
            UPDATE koc_scores s SET score = COALESCE(agg.total, 0), as_of = ${now.toISOString()}::timestamptz,
                   weights_version = ${w.version}, updated_at = now()
            FROM stale LEFT JOIN (
              SELECT external_userid, sum(${decayed(sql`weight`, sql`occurred_at`, now, w.halfLifeMs / 1000)}) AS total
              FROM reweighed GROUP BY external_userid
            ) agg ON agg.external_userid = stale.external_userid
            WHERE s.external_userid = stale.external_userid
            RETURNING s.external_userid AS id`,
      );
      return rows.length;
    },

    /** The top candidates within `scope`, by score decayed to `now`. */
    async topCandidates(
      db: Db,
      q: { scope: Scope; limit: number; now: Date; halfLifeMs: number },
    ): Promise<CandidateRow[]> {
      const rows = await queryRows<{ externalUserid: string; score: number; asOf: Date | string }>(
        db,
        sql`SELECT s.external_userid AS "externalUserid",
                   ${decayed(sql`s.score`, sql`s.as_of`, q.now, q.halfLifeMs / 1000)} AS score, s.as_of AS "asOf"
            FROM koc_scores s
            WHERE ${clientInScope(q.scope, sql`s.external_userid`)}
            ORDER BY score DESC, s.external_userid
            LIMIT ${q.limit}`,
      );
      return rows.map((r) => ({ ...r, score: Number(r.score), asOf: new Date(r.asOf) }));
    },

    /** One client's score row (undecayed) and whether the client is within `scope`; undefined if none. */
    async scoreOf(
      db: Db,
      scope: Scope,
      id: string,
    ): Promise<{ score: number; asOf: Date; weightsVersion: string } | undefined> {
      const [row] = await queryRows<{ score: number; asOf: Date | string; weightsVersion: string }>(
        db,
        sql`SELECT score, as_of AS "asOf", weights_version AS "weightsVersion" FROM koc_scores s
            WHERE s.external_userid = ${id} AND ${clientInScope(scope, sql`s.external_userid`)}`,
      );
      return row ? { ...row, score: Number(row.score), asOf: new Date(row.asOf) } : undefined;
    },

    /** Every contribution of a client, newest first. */
    async contributionsOf(db: Db, id: string): Promise<StoredContribution[]> {
      const rows = await queryRows<StoredContribution & { occurredAt: Date | string }>(
        db,
        sql`SELECT id::int AS id, kind, ref, weight, occurred_at AS "occurredAt", details
            FROM koc_contributions WHERE external_userid = ${id} ORDER BY occurred_at DESC, id DESC`,
      );
      return rows.map((r) => ({ ...r, weight: Number(r.weight), occurredAt: new Date(r.occurredAt) }));
    },
  };
}
