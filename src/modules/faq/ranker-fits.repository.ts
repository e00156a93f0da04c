import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import type { RankerFit, RefitReport } from './learning/ranker-refit.ts';

/** A stored refit, without the fit's weights. */
export type RankerFitSummary = {
  id: number;
  createdAt: string;
  status: 'deployed' | 'not_deployed' | 'retired';
  kbDigest: string;
  examples: number;
  actor: string;
  report: RefitReport;
};

/** SQL of the learning loop's refits. */
export type RankerFitsRepository = ReturnType<typeof createRankerFitsRepository>;

/** Creates the repository. */
export function createRankerFitsRepository() {
  return {
    /** The id of the deployed fit, if any (cheap: read before every question with the KB's fingerprint). */
    async deployedId(handle: Db | Tx): Promise<number | null> {
      const [row] = await queryRows<{ id: number | null }>(
        handle,
        sql`SELECT max(id)::int AS id FROM faq_ranker_fits WHERE status = 'deployed'`,
      );
      return row?.id ?? null;
    },

    /** The deployed fit with its weights. */
    async deployed(handle: Db | Tx): Promise<{ id: number; kbDigest: string; fit: RankerFit } | null> {
      const [row] = await queryRows<{ id: number; kbDigest: string; fit: RankerFit }>(
        handle,
        sql`SELECT id::int AS id, kb_digest AS "kbDigest", fit FROM faq_ranker_fits
            WHERE status = 'deployed' ORDER BY id DESC LIMIT 1`,
      );
      return row ?? null;
    },

    /** The deployed fit as ops see it: when and from how many examples it was made, and its report. */
    async deployedSummary(
      handle: Db | Tx,
    ): Promise<Pick<RankerFitSummary, 'id' | 'createdAt' | 'examples' | 'report'> | null> {
      const [row] = await queryRows<Pick<RankerFitSummary, 'id' | 'createdAt' | 'examples' | 'report'>>(
        handle,
        sql`SELECT id::int AS id, created_at::text AS "createdAt", examples, report FROM faq_ranker_fits
            WHERE status = 'deployed' ORDER BY id DESC LIMIT 1`,
      );
      return row ?? null;
    },

    /** The digest of the KB the latest refit (deployed or not) was made from. */
    async latestDigest(handle: Db | Tx): Promise<string | null> {
      const [row] = await queryRows<{ kbDigest: string }>(
        handle,
        sql`SELECT kb_digest AS "kbDigest" FROM faq_ranker_fits ORDER BY id DESC LIMIT 1`,
      );
      return row?.kbDigest ?? null;
    },

    /** Serialises refits across processes for the transaction's duration. */
    async lock(tx: Tx): Promise<void> {
      await queryRows(tx, sql`SELECT pg_advisory_xact_lock(746019017)`);
    },

    /** Records a refit; a deployed one retires the one deployed before it. Returns its id. */
    async record(
      tx: Tx,
      r: {
        status: 'deployed' | 'not_deployed';
        kbDigest: string;
        examples: number;
        actor: string;
        report: RefitReport;
        fit: RankerFit | null;
      },
    ): Promise<number> {
      if (r.status === 'deployed')
        await queryRows(tx, sql`UPDATE faq_ranker_fits SET status = 'retired' WHERE status = 'deployed'`);
      const [row] = await queryRows<{ id: number }>(
        tx,
        sql`INSERT INTO faq_ranker_fits (status, kb_digest, examples, actor, report, fit)
            VALUES (${r.status}, ${r.kbDigest}, ${r.examples}, ${r.actor}, ${JSON.stringify(r.report)}::jsonb,
                    ${r.fit ? JSON.stringify(r.fit) : null}::jsonb)
            RETURNING id::int AS id`,
      );
      return row?.id ?? 0;
    },

    /** The latest refits, newest first, without weights. */
    recent: (db: Db, limit: number) =>
      queryRows<RankerFitSummary>(
        db,
        sql`SELECT id::int AS id, created_at::text AS "createdAt", status, kb_digest AS "kbDigest", examples, actor, report
            FROM faq_ranker_fits ORDER BY id DESC LIMIT ${limit}`,
      ),
  };
}
