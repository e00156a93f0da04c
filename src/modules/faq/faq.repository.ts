import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import type { Finding } from '../compliance/compliance.service.ts';
import type { FaqRow } from './faq-import.parser.ts';

/** An entry's version in the import format, without the file line. */
export type FaqVersionRow = Omit<FaqRow, 'line'>;

/** An approved FAQ version inside its validity window: what may be served to a client. */
export type ServableEntry = {
  /** The version row's id: a new id means the entry changed. */
  rowId: string;
  entryId: string;
  version: number;
  question: string;
  similar: string[];
  answer: string;
  category: string;
  tiers: string[];
  productRiskLevel: string | null;
};

/** A draft waiting for a compliance reviewer. */
export type PendingDraft = {
  entryId: string;
  version: number;
  question: string;
  answer: string;
  author: string;
  findings: Finding[];
};

/** A version to write: the row, its review state and the compliance findings on its answer. */
export type NewFaqVersion = {
  row: FaqVersionRow;
  status: 'draft' | 'approved';
  author: string;
  reviewer: string | null;
  findings: readonly Finding[];
};

const versionColumns = sql`entry_id AS id, category, question, "similar", answer, tiers,
                           product_risk_level AS "productRiskLevel", valid_from::text AS "validFrom",
                           valid_until::text AS "validUntil"`;

/** SQL of the knowledge base: entries, versions and their review. Methods take the handle they run on. */
export type FaqRepository = ReturnType<typeof createFaqRepository>;

/** Creates the FAQ knowledge-base repository. */
export function createFaqRepository() {
  return {
    /** Creates the entry if it is new; its source and creator are the first writer's. */
    async ensureEntry(tx: Tx, id: string, source: string, author: string): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO faq_entries (id, source, created_by) VALUES (${id}, ${source}, ${author}) ON CONFLICT (id) DO NOTHING`,
      );
    },

    /** Serialises writers of one entry until the transaction ends (version numbers, library sync). */
    async lockEntry(tx: Tx, id: string): Promise<void> {
      await queryRows(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${`faq:${id}`}))`);
    },

    /** Whether the entry exists at all, in any state. */
    async entryExists(tx: Tx, id: string): Promise<boolean> {
      const [row] = await queryRows(tx, sql`SELECT 1 FROM faq_entries WHERE id = ${id}`);
      return !!row;
    },

    /** Writes the entry's next version (call under `lockEntry`); returns its number. */
    async insertVersion(tx: Tx, v: NewFaqVersion): Promise<number> {
      const { row } = v;
      const [written] = await queryRows<{ version: number }>(
        tx,
        sql`INSERT INTO faq_versions (entry_id, version, question, "similar", answer, category, tiers, product_risk_level,
                                      valid_from, valid_until, status, author, reviewer, findings, reviewed_at)
            SELECT ${row.id}, COALESCE(max(version), 0) + 1, ${row.question}, ${sql.param(row.similar)}::text[], ${row.answer},
                   ${row.category}, ${sql.param(row.tiers)}::text[], ${row.productRiskLevel}, ${row.validFrom}, ${row.validUntil},
                   ${v.status}, ${v.author}, ${v.reviewer}, ${JSON.stringify(v.findings)}::jsonb,
                   ${v.status === 'approved' ? sql`now()` : sql`NULL`}
            FROM faq_versions WHERE entry_id = ${row.id}
            RETURNING version`,
      );
      return written?.version ?? 1;
    },

    /** The entry's newest version, whatever its status. */
    async latestVersion(handle: Db | Tx, entryId: string): Promise<FaqVersionRow | undefined> {
      const [row] = await queryRows<FaqVersionRow>(
        handle,
        sql`SELECT ${versionColumns} FROM faq_versions WHERE entry_id = ${entryId} ORDER BY version DESC LIMIT 1`,
      );
      return row;
    },

    /** The newest version of every entry, by entry id. */
    newestVersions: (db: Db): Promise<FaqVersionRow[]> =>
      queryRows<FaqVersionRow>(
        db,
        sql`SELECT DISTINCT ON (entry_id) ${versionColumns} FROM faq_versions ORDER BY entry_id, version DESC`,
      ),

    /** Drafts waiting for review, with their compliance findings. */
    pendingDrafts: (
      db: Db,
      page: { after?: readonly [string, number]; limit: number },
    ): Promise<PendingDraft[]> =>
      queryRows<PendingDraft>(
        db,
        sql`SELECT entry_id AS "entryId", version, question, answer, author, findings FROM faq_versions
            WHERE status = 'draft'
              AND ${page.after === undefined ? sql`TRUE` : sql`(entry_id, version) > (${page.after[0]}, ${page.after[1]})`}
            ORDER BY entry_id, version LIMIT ${page.limit}`,
      ),

    /** Locks one version for a review decision; undefined when it does not exist. */
    async lockVersion(
      tx: Tx,
      entryId: string,
      version: number,
    ): Promise<{ author: string; status: string; findings: Finding[] } | undefined> {
      const [row] = await queryRows<{ author: string; status: string; findings: Finding[] }>(
        tx,
        sql`SELECT author, status, findings FROM faq_versions WHERE entry_id = ${entryId} AND version = ${version} FOR UPDATE`,
      );
      return row;
    },

    /** Records a reviewer's decision on a version. */
    async setReviewed(
      tx: Tx,
      entryId: string,
      version: number,
      decision: 'approved' | 'rejected',
      reviewer: string,
    ): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE faq_versions SET status = ${decision}, reviewer = ${reviewer}, reviewed_at = now()
            WHERE entry_id = ${entryId} AND version = ${version}`,
      );
    },

    /**
     * A cheap fingerprint of the approved set. Approving is the only way into it and nothing leaves
     * "approved", so it changes exactly when `servable` could return something different (for one date).
     */
    async approvedFingerprint(handle: Db | Tx): Promise<string> {
      const [f] = await queryRows<{ n: number; last: string | null }>(
        handle,
        sql`SELECT count(*)::int AS n, max(id)::text || '/' || COALESCE(max(reviewed_at)::text, '') AS last
            FROM faq_versions WHERE status = 'approved'`,
      );
      return `${f?.n}:${f?.last}`;
    },

    /** The newest approved version of every entry whose validity window contains `today` (YYYY-MM-DD). */
    servable: (handle: Db | Tx, today: string): Promise<ServableEntry[]> =>
      queryRows<ServableEntry>(
        handle,
        sql`SELECT DISTINCT ON (entry_id) id::text AS "rowId", entry_id AS "entryId", version, question, "similar",
                   answer, category, tiers, product_risk_level AS "productRiskLevel"
            FROM faq_versions
            WHERE status = 'approved' AND (valid_from IS NULL OR valid_from <= ${today})
              AND (valid_until IS NULL OR valid_until >= ${today})
            ORDER BY entry_id, version DESC`,
      ),
  };
}
