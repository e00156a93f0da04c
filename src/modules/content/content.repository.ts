import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import type { ApprovalStatus } from '../approvals/maker-checker.ts';
import { clientInScope } from '../contacts/scope-filters.repository.ts';
import type { Component } from './content.schemas.ts';
import type { ContentProblem } from './content-library.ts';
import type { Channel } from './render.ts';

/** A version as the API shows it. */
export type VersionView = {
  componentId: string;
  version: number;
  status: ApprovalStatus;
  author: string;
  reviewer: string | null;
  reviewNote: string | null;
  findings: ContentProblem[];
  contentHash: string;
  /** ISO 8601, in UTC. */
  createdAt: string;
};

/** A component with its newest version and newest approved version. */
export type ComponentSummary = {
  id: string;
  kind: string;
  title: string;
  source: string;
  latest: number;
  approved: number | null;
};

/** One A/B outcome to record. */
export type OutcomeInput = {
  componentId: string;
  version: number;
  variantId: string;
  externalUserid: string;
  channel: Channel;
  outcome: string;
};

const versionColumns = sql`component_id AS "componentId", version, status, author, reviewer,
                           review_note AS "reviewNote", findings, content_hash AS "contentHash",
                           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

// Versions drafted before the shared maker–checker vocabulary stored `error`/`warning`; reading them in
// today's words keeps an old draft with a banned claim unapprovable without rewriting history.
const LEGACY_SEVERITY: Record<string, ContentProblem['severity']> = { error: 'block', warning: 'warn' };
function inSharedVocabulary<T extends { findings: ContentProblem[] }>(row: T): T {
  const findings = row.findings.map((f) => ({ ...f, severity: LEGACY_SEVERITY[f.severity] ?? f.severity }));
  return { ...row, findings };
}

/** SQL for the content tables: components, their versions, and the A/B outcomes. */
export type ContentRepository = ReturnType<typeof createContentRepository>;

/** Creates the content repository; every function takes the handle to run on, so callers pass their tx. */
export function createContentRepository() {
  return {
    /** Creates a component, or updates the kind and title of an existing one. */
    async upsertComponent(
      tx: Tx,
      c: { id: string; kind: string; title: string; source: 'library' | 'api'; createdBy: string },
    ): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO content_components (id, kind, title, source, created_by)
            VALUES (${c.id}, ${c.kind}, ${c.title}, ${c.source}, ${c.createdBy})
            ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title`,
      );
    },

    /** Where a component came from (`library` or `api`), or undefined when there is none. */
    async componentSource(db: Db | Tx, id: string): Promise<string | undefined> {
      const [row] = await queryRows<{ source: string }>(
        db,
        sql`SELECT source FROM content_components WHERE id = ${id}`,
      );
      return row?.source;
    },

    /**
     * Adds the next version of a component, unless one with the same content hash exists (then undefined).
     * Versions of one component are numbered one writer at a time: the lock lasts until `tx` ends.
     */
    async insertVersion(
      tx: Tx,
      v: {
        componentId: string;
        contentHash: string;
        body: Component;
        status: 'draft' | 'approved';
        author: string;
        /** Set for versions that arrive approved (library files); their review time is now. */
        reviewer: string | null;
        findings: ContentProblem[];
      },
    ): Promise<VersionView | undefined> {
      await queryRows(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${`content:${v.componentId}`}))`);
      const [row] = await queryRows<VersionView>(
        tx,
        sql`INSERT INTO content_versions (component_id, version, content_hash, body, status, author, reviewer,
                                          findings, reviewed_at)
            SELECT ${v.componentId}, COALESCE(max(version), 0)::int + 1, ${v.contentHash},
                   ${JSON.stringify(v.body)}::jsonb, ${v.status}, ${v.author}, ${v.reviewer},
                   ${JSON.stringify(v.findings)}::jsonb, ${v.reviewer === null ? sql`NULL` : sql`now()`}
            FROM content_versions WHERE component_id = ${v.componentId}
            ON CONFLICT (component_id, content_hash) DO NOTHING
            RETURNING ${versionColumns}`,
      );
      return row;
    },

    /** One version with its body, or undefined. */
    async findVersion(
      db: Db | Tx,
      componentId: string,
      version: number,
    ): Promise<(VersionView & { body: Component }) | undefined> {
      const [row] = await queryRows<VersionView & { body: Component }>(
        db,
        sql`SELECT ${versionColumns}, body FROM content_versions
            WHERE component_id = ${componentId} AND version = ${version}`,
      );
      return row && inSharedVocabulary(row);
    },

    /** One version, locked until `tx` ends so a workflow step decided on it holds when written. */
    async findVersionForUpdate(
      tx: Tx,
      componentId: string,
      version: number,
    ): Promise<VersionView | undefined> {
      const [row] = await queryRows<VersionView>(
        tx,
        sql`SELECT ${versionColumns} FROM content_versions
            WHERE component_id = ${componentId} AND version = ${version} FOR UPDATE`,
      );
      return row && inSharedVocabulary(row);
    },

    /**
     * Writes a workflow step: the new status with its time (`submitted_at`, or `reviewed_at` with the
     * reviewer and note for a review). Returns the version as it now stands.
     */
    async setStatus(
      tx: Tx,
      componentId: string,
      version: number,
      step: { to: 'submitted' } | { to: 'approved' | 'rejected'; reviewer: string; note: string | null },
    ): Promise<VersionView> {
      const set =
        step.to === 'submitted'
          ? sql`submitted_at = now()`
          : sql`reviewer = ${step.reviewer}, review_note = ${step.note}, reviewed_at = now()`;
      const [row] = await queryRows<VersionView>(
        tx,
        sql`UPDATE content_versions SET status = ${step.to}, ${set}
            WHERE component_id = ${componentId} AND version = ${version}
            RETURNING ${versionColumns}`,
      );
      if (!row) throw new Error(`content version ${componentId}@${version} vanished while locked`);
      return inSharedVocabulary(row);
    },

    /** Components with their newest version and newest approved version, by id, after `after`. */
    listComponents(db: Db | Tx, page: { after?: string; limit: number }): Promise<ComponentSummary[]> {
      return queryRows<ComponentSummary>(
        db,
        sql`SELECT c.id, c.kind, c.title, c.source,
                   (SELECT max(version) FROM content_versions v WHERE v.component_id = c.id) AS latest,
                   (SELECT max(version) FROM content_versions v WHERE v.component_id = c.id AND v.status = 'approved') AS approved
            FROM content_components c
            WHERE ${page.after === undefined ? sql`TRUE` : sql`c.id > ${page.after}`}
            ORDER BY c.id LIMIT ${page.limit}`,
      );
    },

    /** Versions of one component, newest first, older than `before`. */
    async listVersions(
      db: Db | Tx,
      componentId: string,
      page: { before?: number; limit: number },
    ): Promise<VersionView[]> {
      const rows = await queryRows<VersionView>(
        db,
        sql`SELECT ${versionColumns} FROM content_versions
            WHERE component_id = ${componentId}
              AND ${page.before === undefined ? sql`TRUE` : sql`version < ${page.before}`}
            ORDER BY version DESC LIMIT ${page.limit}`,
      );
      return rows.map(inSharedVocabulary);
    },

    /** The newest approved version of a component, or undefined. */
    async newestApproved(
      db: Db | Tx,
      componentId: string,
    ): Promise<{ version: number; body: Component } | undefined> {
      const [row] = await queryRows<{ version: number; body: Component }>(
        db,
        sql`SELECT version, body FROM content_versions WHERE component_id = ${componentId} AND status = 'approved'
            ORDER BY version DESC LIMIT 1`,
      );
      return row;
    },

    /**
     * The newest approved version of each component of `kinds`, most recently approved first; `limit`
     * components at most.
     */
    newestApprovedOfKinds(
      db: Db | Tx,
      q: { kinds: readonly string[]; limit: number },
    ): Promise<{ componentId: string; version: number; body: Component }[]> {
      return queryRows(
        db,
        sql`SELECT v.component_id AS "componentId", v.version, v.body
            FROM content_versions v JOIN content_components c ON c.id = v.component_id
            WHERE v.status = 'approved' AND c.kind = ANY(${sql.param([...q.kinds])}::text[])
              AND NOT EXISTS (SELECT 1 FROM content_versions n WHERE n.component_id = v.component_id
                                AND n.status = 'approved' AND n.version > v.version)
            ORDER BY v.reviewed_at DESC NULLS LAST, v.id DESC LIMIT ${q.limit}`,
      );
    },

    /** How many of each outcome every variant of every version had, for clients within `scope` only. */
    outcomeCounts(
      db: Db | Tx,
      componentId: string,
      scope: Scope,
      page: { after?: readonly [number, string, string]; limit: number },
    ) {
      const after = page.after;
      return queryRows<{ version: number; variantId: string; outcome: string; count: number }>(
        db,
        sql`SELECT o.version, o.variant_id AS "variantId", o.outcome, count(*)::int AS count
            FROM content_outcomes o
            WHERE o.component_id = ${componentId} AND ${clientInScope(scope, sql`o.external_userid`)}
              AND ${after === undefined ? sql`TRUE` : sql`(o.version, o.variant_id, o.outcome) > (${after[0]}, ${after[1]}, ${after[2]})`}
            GROUP BY o.version, o.variant_id, o.outcome
            ORDER BY o.version, o.variant_id, o.outcome LIMIT ${page.limit}`,
      );
    },

    /** Records an outcome if its client is within `scope`; false when the client is not. */
    async insertOutcome(db: Db | Tx, o: OutcomeInput, scope: Scope): Promise<boolean> {
      const rows = await queryRows(
        db,
        sql`INSERT INTO content_outcomes (component_id, version, variant_id, external_userid, channel, outcome)
            SELECT ${o.componentId}, ${o.version}, ${o.variantId}, ${o.externalUserid}, ${o.channel}, ${o.outcome}
            WHERE ${clientInScope(scope, sql`${o.externalUserid}::text`)}
            RETURNING 1`,
      );
      return rows.length > 0;
    },
  };
}

/**
 * Per owner RM, the `clicked` content outcomes of their clients in [from, to): engagement scoring's
 * tracked clicks. `ownerRmOf` is the contacts module's fragment.
 */
export function clicksByOwnerRm(
  db: Db | Tx,
  from: Date,
  to: Date,
  ownerRmOf: (clientUserid: SQL) => SQL,
): Promise<{ rm: string; clicks: number }[]> {
  return queryRows<{ rm: string; clicks: number }>(
    db,
    sql`SELECT rm, count(*)::int AS clicks FROM (
          SELECT ${ownerRmOf(sql`o.external_userid`)} AS rm FROM content_outcomes o
           WHERE o.outcome = 'clicked'
             AND o.at >= ${from.toISOString()}::timestamptz AND o.at < ${to.toISOString()}::timestamptz) k
         WHERE rm IS NOT NULL GROUP BY rm`,
  );
}
