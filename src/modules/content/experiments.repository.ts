import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientBranchOf } from '../contacts/scope-filters.repository.ts';
import type { ConversionOutcome } from './experiment-stats.ts';

/** One variant's counts in the aggregate, summed over the branches read. */
export type ExperimentCountRow = {
  componentId: string;
  version: number;
  variantId: string;
  exposed: number;
  converted: number;
  computedAt: Date;
};

/** A component version's title and variant ids in the order the component lists them. */
export type VariantListing = { componentId: string; version: number; title: string; variants: string[] };

/** SQL for the experiments aggregate (`experiment_results`) and the small lookups its report needs. */
export type ExperimentsRepository = ReturnType<typeof createExperimentsRepository>;

/** Creates the experiments repository; every function takes the handle to run on. */
export function createExperimentsRepository() {
  return {
    /**
     * Recomputes the whole aggregate from `content_outcomes` in one statement, replacing every row, on the
     * caller's transaction. A client counts once per variant however many rows it has; a conversion counts
     * only for a client who was also exposed, so a rate never passes 100%. Returns the rows written.
     */
    async replaceAll(tx: Tx, computedAt: Date): Promise<number> {
      // Two recomputes at once would interleave their DELETE and INSERT: one at a time.
      await queryRows(tx, sql`SELECT pg_advisory_xact_lock(hashtext('content:experiment-results'))`);
      await queryRows(tx, sql`DELETE FROM experiment_results`);
      const [row] = await queryRows<{ n: number }>(
        tx,
        sql`WITH per_client AS (
              SELECT o.component_id, o.version, o.variant_id, o.external_userid,
                     bool_or(o.outcome IN ('sent', 'delivered')) AS exposed,
                     bool_or(o.outcome = 'read') AS read,
                     bool_or(o.outcome = 'clicked') AS clicked,
                     bool_or(o.outcome = 'replied') AS replied,
                     bool_or(o.outcome = 'converted') AS converted
              FROM content_outcomes o
              GROUP BY o.component_id, o.version, o.variant_id, o.external_userid
            ), per_branch AS (
              SELECT p.component_id, p.version, p.variant_id, ${clientBranchOf(sql`p.external_userid`)} AS branch,
                     count(*)::int AS exposed,
                     count(*) FILTER (WHERE p.read)::int AS read,
                     count(*) FILTER (WHERE p.clicked)::int AS clicked,
                     count(*) FILTER (WHERE p.replied)::int AS replied,
                     count(*) FILTER (WHERE p.converted)::int AS converted
              FROM per_client p WHERE p.exposed
              GROUP BY 1, 2, 3, 4
            ), inserted AS (
            INSERT INTO experiment_results
              (component_id, version, variant_id, outcome, branch, exposed, converted, computed_at)
            SELECT b.component_id, b.version, b.variant_id, m.outcome, b.branch, b.exposed, m.converted,
                   ${computedAt.toISOString()}::timestamptz
            FROM per_branch b
            CROSS JOIN LATERAL (VALUES ('read', b.read), ('clicked', b.clicked), ('replied', b.replied),
                                       ('converted', b.converted)) AS m(outcome, converted)
            RETURNING 1
            )
            SELECT count(*)::int AS n FROM inserted`,
      );
      return row?.n ?? 0;
    },

    /**
     * Each variant's counts for `outcome`, summed over every branch (`branch` null: head office) or one
     * branch's rows only; one component's when `componentId` is given. Ordered by component, version, variant.
     */
    async counts(
      db: Db | Tx,
      q: { outcome: ConversionOutcome; branch: string | null; componentId?: string },
    ): Promise<ExperimentCountRow[]> {
      const rows = await queryRows<Omit<ExperimentCountRow, 'computedAt'> & { computedAt: string | Date }>(
        db,
        sql`SELECT r.component_id AS "componentId", r.version, r.variant_id AS "variantId",
                   sum(r.exposed)::int AS exposed, sum(r.converted)::int AS converted,
                   max(r.computed_at) AS "computedAt"
            FROM experiment_results r
            WHERE r.outcome = ${q.outcome}
              AND ${q.branch === null ? sql`TRUE` : sql`r.branch = ${q.branch}`}
              AND ${q.componentId === undefined ? sql`TRUE` : sql`r.component_id = ${q.componentId}`}
            GROUP BY r.component_id, r.version, r.variant_id
            ORDER BY r.component_id, r.version, r.variant_id`,
      );
      return rows.map((r) => ({ ...r, computedAt: new Date(r.computedAt) }));
    },

    /** The title and listed variant ids of every version of `componentIds` (a lookup for the report). */
    variantListings(db: Db | Tx, componentIds: readonly string[]): Promise<VariantListing[]> {
      if (componentIds.length === 0) return Promise.resolve([]);
      return queryRows<VariantListing>(
        db,
        sql`SELECT v.component_id AS "componentId", v.version, c.title,
                   ARRAY(SELECT x.variant->>'id'
                         FROM jsonb_array_elements(COALESCE(v.body->'variants', '[]'::jsonb))
                              WITH ORDINALITY AS x(variant, i)
                         ORDER BY x.i) AS variants
            FROM content_versions v JOIN content_components c ON c.id = v.component_id
            WHERE v.component_id = ANY(${sql.param([...componentIds])}::text[])`,
      );
    },
  };
}
