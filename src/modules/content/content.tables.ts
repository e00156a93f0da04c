import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/** A content component: from the head-office library (files) or authored by ops through the API. */
export const contentComponents = pgTable(
  'content_components',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    source: text('source').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [check('content_components_source', sql`${t.source} IN ('library','api')`)],
);

/**
 * Every version of every component, kept forever. draft → submitted → approved | rejected; library files
 * arrive approved (code review is head office's approval) and a changed file is a new version.
 */
export const contentVersions = pgTable(
  'content_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    componentId: text('component_id').notNull(),
    version: integer('version').notNull(),
    contentHash: text('content_hash').notNull(),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull(),
    author: text('author').notNull(),
    reviewer: text('reviewer'),
    reviewNote: text('review_note'),
    findings: jsonb('findings').$type<unknown[]>().notNull().default([]),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    submittedAt: timestamptz('submitted_at'),
    reviewedAt: timestamptz('reviewed_at'),
  },
  (t) => [
    uniqueIndex('content_versions_component_version_uq').on(t.componentId, t.version),
    uniqueIndex('content_versions_component_hash_uq').on(t.componentId, t.contentHash),
    check('content_versions_status', sql`${t.status} IN ('draft','submitted','approved','rejected')`),
    check('content_versions_maker_checker', sql`${t.reviewer} IS NULL OR ${t.reviewer} <> ${t.author}`),
  ],
);

/** What happened to a rendering for a client (rendered, sent, clicked …): the A/B outcomes. */
export const contentOutcomes = pgTable(
  'content_outcomes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    componentId: text('component_id').notNull(),
    version: integer('version').notNull(),
    variantId: text('variant_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    channel: text('channel').notNull(),
    outcome: text('outcome').notNull(),
    at: timestamptz('at').notNull().defaultNow(),
  },
  (t) => [index('content_outcomes_component_idx').on(t.componentId, t.version, t.variantId)],
);

/**
 * The A/B experiments' aggregate, filled nightly from `content_outcomes` (experiments.repository.ts): per
 * component version, variant, conversion outcome and branch, the distinct clients exposed ('sent' or
 * 'delivered') and, of those, the distinct clients with the outcome. The branch is the client's owner RM's
 * at compute time ('' for none), so branch ops count only their clients and head office sums the branches.
 */
export const experimentResults = pgTable(
  'experiment_results',
  {
    componentId: text('component_id').notNull(),
    version: integer('version').notNull(),
    variantId: text('variant_id').notNull(),
    outcome: text('outcome').notNull(),
    branch: text('branch').notNull().default(''),
    exposed: integer('exposed').notNull(),
    converted: integer('converted').notNull(),
    computedAt: timestamptz('computed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.componentId, t.version, t.variantId, t.outcome, t.branch] }),
    check('experiment_results_outcome', sql`${t.outcome} IN ('read','clicked','replied','converted')`),
    check('experiment_results_counts', sql`${t.converted} >= 0 AND ${t.converted} <= ${t.exposed}`),
  ],
);
