import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { containsPattern } from '../../platform/db/like-pattern.ts';
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

/** The statuses a version may hold, as the `faq_versions_status` check allows them. */
export const FAQ_VERSION_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
/** A version's maker–checker status. */
export type FaqVersionStatus = (typeof FAQ_VERSION_STATUSES)[number];

/** One entry in the knowledge-base list: its newest version, and the newest one compliance approved. */
export type FaqEntrySummary = {
  id: string;
  question: string;
  category: string;
  tiers: string[];
  status: FaqVersionStatus;
  version: number;
  approvedVersion: number | null;
  validUntil: string | null;
  author: string;
  reviewer: string | null;
  updatedAt: Date | string;
};

/** One version of an entry, as the knowledge base's entry view shows it. */
export type FaqEntryVersion = {
  version: number;
  question: string;
  similar: string[];
  answer: string;
  category: string;
  tiers: string[];
  status: FaqVersionStatus;
  author: string;
  reviewer: string | null;
  findings: number;
  createdAt: Date | string;
  reviewedAt: Date | string | null;
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

    /**
     * Entries by id after `after`, each with its newest version (whatever its status) and the number of the
     * newest approved one; `limit` rows at most. The filters apply to the newest version: `search` is a
     * case-insensitive substring of its question or one of its similar questions, or of the entry id, its
     * `%`, `_` and `\` matching themselves.
     *
     * What it costs: entries are read in primary-key order and each looks up its versions through
     * `faq_versions_entry_version_uq`, so a page without a search reads about `limit` entries. A search is a
     * filter on those rows (a leading `%` cannot use an index): a rare fragment reads every entry and its
     * newest version, acceptable for a knowledge base of thousands of entries, not millions.
     */
    listEntries(
      db: Db,
      q: { search?: string; category?: string; status?: FaqVersionStatus; after?: string; limit: number },
    ): Promise<FaqEntrySummary[]> {
      const pattern = q.search === undefined ? undefined : containsPattern(q.search);
      return queryRows<FaqEntrySummary>(
        db,
        sql`SELECT e.id, v.question, v.category, v.tiers, v.status, v.version, s.approved AS "approvedVersion",
                   v.valid_until::text AS "validUntil", v.author, v.reviewer, s.updated AS "updatedAt"
            FROM faq_entries e
            CROSS JOIN LATERAL (
              SELECT question, "similar", category, tiers, status, version, valid_until, author, reviewer
              FROM faq_versions WHERE entry_id = e.id ORDER BY version DESC LIMIT 1
            ) v
            CROSS JOIN LATERAL (
              -- A version written or reviewed: whichever happened last is when the entry changed.
              SELECT max(version) FILTER (WHERE status = 'approved') AS approved,
                     max(GREATEST(created_at, reviewed_at)) AS updated
              FROM faq_versions WHERE entry_id = e.id
            ) s
            WHERE TRUE
            ${q.category === undefined ? sql`` : sql`AND v.category = ${q.category}`}
            ${q.status === undefined ? sql`` : sql`AND v.status = ${q.status}`}
            ${
              pattern === undefined
                ? sql``
                : sql`AND (e.id ILIKE ${pattern} ESCAPE '\\' OR v.question ILIKE ${pattern} ESCAPE '\\'
                           OR EXISTS (SELECT 1 FROM unnest(v."similar") AS alt(question) WHERE alt.question ILIKE ${pattern} ESCAPE '\\'))`
            }
            ${q.after === undefined ? sql`` : sql`AND e.id > ${q.after}`}
            ORDER BY e.id LIMIT ${q.limit}`,
      );
    },

    /** Every version of the entry, newest first; empty when there is no such entry. */
    entryVersions: (db: Db, entryId: string): Promise<FaqEntryVersion[]> =>
      queryRows<FaqEntryVersion>(
        db,
        sql`SELECT version, question, "similar", answer, category, tiers, status, author, reviewer,
                   jsonb_array_length(findings) AS findings, created_at AS "createdAt", reviewed_at AS "reviewedAt"
            FROM faq_versions WHERE entry_id = ${entryId} ORDER BY version DESC`,
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
      // The deployed refit of the learning loop is part of what is served (faq_ranker_fits, this module's).
      const [f] = await queryRows<{ n: number; last: string | null; fit: string | null }>(
        handle,
        sql`SELECT count(*)::int AS n, max(id)::text || '/' || COALESCE(max(reviewed_at)::text, '') AS last,
                   (SELECT max(id)::text FROM faq_ranker_fits WHERE status = 'deployed') AS fit
            FROM faq_versions WHERE status = 'approved'`,
      );
      return `${f?.n}:${f?.last}:${f?.fit ?? ''}`;
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
