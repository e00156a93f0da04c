import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import type { PeriodKind } from '../../platform/calendar/periods.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { rmInScope } from '../contacts/scope-filters.repository.ts';
import type { ScoreComponent } from './score-policy.ts';
import type { ComponentScore, RmScore } from './scoring.ts';

/** One stored score as the ranking and the explanation read it. */
export type StoredScore = {
  rm: string;
  branch: string | null;
  /** 1 for the branch's best score in the period (ties share a rank). */
  rank: number;
  score: number;
  components: Record<ScoreComponent, ComponentScore>;
  policyVersion: string;
  computedAt: Date;
};

/** A score as the ranking lists it: each component's points, not its figures. */
export type RankedScore = Omit<StoredScore, 'components'> & { points: Record<ScoreComponent, number> };

type RankingQuery = { kind: PeriodKind; start: string; branch?: string; rm?: string; limit: number };

function rankingSql(scope: Scope, q: RankingQuery, components: SQL): SQL {
  return sql`SELECT s.rm, s.branch, s.rank, s.score, ${components}, s.policy_version AS "policyVersion",
                    s.computed_at AS "computedAt"
               FROM rm_scores s
              WHERE s.period_kind = ${q.kind} AND s.period_start = ${q.start}::date
                AND ${rmInScope(scope, sql`s.rm`)}
                ${q.branch !== undefined ? sql`AND s.branch = ${q.branch}` : sql``}
                ${q.rm !== undefined ? sql`AND s.rm = ${q.rm}` : sql``}
              ORDER BY s.branch NULLS LAST, s.rank, s.rm LIMIT ${q.limit}`;
}

/** Each RM's rank within their branch by score, best first; equal scores share a rank (as SQL's rank()). */
export function ranksWithinBranch(
  scores: readonly Pick<RmScore, 'rm' | 'branch' | 'score'>[],
): Map<string, number> {
  const byBranch = new Map<string | null, Pick<RmScore, 'rm' | 'score'>[]>();
  for (const s of scores) {
    const list = byBranch.get(s.branch) ?? [];
    list.push(s);
    byBranch.set(s.branch, list);
  }
  const ranks = new Map<string, number>();
  for (const list of byBranch.values()) {
    list.sort((a, b) => b.score - a.score);
    list.forEach((s, i) => {
      const prev = list[i - 1];
      ranks.set(s.rm, prev && prev.score === s.score ? ranks.get(prev.rm)! : i + 1);
    });
  }
  return ranks;
}

/** The rm_scores table's SQL. */
export type RmScoresRepository = ReturnType<typeof createRmScoresRepository>;

/** Creates the rm_scores repository. */
export function createRmScoresRepository() {
  return {
    /** Replaces every row of one period with `scores` (call inside a transaction: all or nothing). */
    async replacePeriod(
      tx: Tx,
      p: { kind: PeriodKind; start: string; policyVersion: string; at: Date },
      scores: readonly RmScore[],
    ): Promise<void> {
      await queryRows(
        tx,
        sql`DELETE FROM rm_scores WHERE period_kind = ${p.kind} AND period_start = ${p.start}::date`,
      );
      const ranks = ranksWithinBranch(scores);
      for (let i = 0; i < scores.length; i += 1_000) {
        const chunk = scores.slice(i, i + 1_000);
        // One INSERT … SELECT from a JSON array per chunk, not a statement per RM.
        const rows = JSON.stringify(
          chunk.map((s) => ({
            rm: s.rm,
            branch: s.branch,
            score: s.score,
            rank: ranks.get(s.rm) ?? 1,
            components: s.components,
            points: Object.fromEntries(Object.entries(s.components).map(([c, v]) => [c, v.points])),
          })),
        );
        await queryRows(
          tx,
          sql`INSERT INTO rm_scores (period_kind, period_start, rm, branch, score, rank, components, points,
                                     policy_version, computed_at)
              SELECT ${p.kind}, ${p.start}::date, r.rm, r.branch, r.score, r.rank, r.components, r.points,
                     ${p.policyVersion}, ${p.at.toISOString()}::timestamptz
                FROM jsonb_to_recordset(${rows}::jsonb)
                     AS r(rm text, branch text, score float8, rank int, components jsonb, points jsonb)`,
        );
      }
    },

    /** When the period was computed (null: not yet). */
    async computedAt(db: Db | Tx, kind: PeriodKind, start: string): Promise<Date | null> {
      const [row] = await queryRows<{ at: Date | string | null }>(
        db,
        sql`SELECT max(computed_at) AS at FROM rm_scores
             WHERE period_kind = ${kind} AND period_start = ${start}::date`,
      );
      return row?.at ? new Date(row.at) : null;
    },

    /**
     * The period's scores within `scope` (optionally one branch), by branch then rank within the branch,
     * with each component's points only (the explanation reads the rest): what the ranking shows. Ranks are
     * stored when the period is scored, over the whole branch, so an RM sees their real place.
     */
    ranking: (db: Db | Tx, scope: Scope, q: RankingQuery) =>
      queryRows<RankedScore>(db, rankingSql(scope, q, sql`s.points`)),

    /** One RM's stored score with every component in full, ranked within the branch; undefined if none. */
    async score(db: Db | Tx, scope: Scope, q: Omit<RankingQuery, 'limit'> & { rm: string }) {
      const [row] = await queryRows<StoredScore>(
        db,
        rankingSql(scope, { ...q, limit: 1 }, sql`s.components`),
      );
      return row;
    },

    /** The RM's scores for the periods of `kind` starting on `starts` (missing periods have no row). */
    trend: (db: Db | Tx, kind: PeriodKind, rm: string, starts: readonly string[]) =>
      queryRows<{ periodStart: string; score: number }>(
        db,
        sql`SELECT to_char(period_start, 'YYYY-MM-DD') AS "periodStart", score FROM rm_scores
             WHERE period_kind = ${kind} AND rm = ${rm}
               AND period_start = ANY(${sql.param([...starts])}::date[])
             ORDER BY period_start`,
      ),

    /** Whether the RM `rm` is within `scope` (head office sees every RM). */
    async rmVisible(db: Db | Tx, scope: Scope, rm: string): Promise<boolean> {
      const [row] = await queryRows<{ ok: boolean }>(
        db,
        sql`SELECT ${rmInScope(scope, sql`${rm}::text`)} AS ok`,
      );
      return row?.ok === true;
    },
  };
}
