import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';
import type { KocKind } from './koc-weights.ts';

/**
 * Everything Helix saw a client do that makes them a KOC candidate: one row per contribution, with the
 * weight it was scored with. `ref` names its source (a message, a link click, an event) and makes it
 * idempotent: the same ref twice counts once.
 */
export const kocContributions = pgTable(
  'koc_contributions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    externalUserid: text('external_userid').notNull(),
    kind: text('kind').$type<KocKind>().notNull(),
    ref: text('ref').notNull(),
    /** The weight applied, from the weights file in force when it was scored (rescoring rewrites it). */
    weight: doublePrecision('weight').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('koc_contributions_ref_uq').on(t.ref),
    index('koc_contributions_client_idx').on(t.externalUserid, t.occurredAt),
    check(
      'koc_contributions_kind',
      sql`${t.kind} IN ('helpful_answer','shared_click','referral_activated','event_attended')`,
    ),
  ],
);

/**
 * Each candidate's score as of `as_of`; reads decay it to now with the configured half-life. A row scored
 * under other weights (`weights_version`) is re-scored from the contributions before it is read.
 */
export const kocScores = pgTable(
  'koc_scores',
  {
    externalUserid: text('external_userid').primaryKey(),
    score: doublePrecision('score').notNull(),
    asOf: timestamptz('as_of').notNull(),
    weightsVersion: text('weights_version').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('koc_scores_score_idx').on(t.score)],
);

/**
 * Each KOC's influence, filled nightly (`koc.influence`) by one set-based recompute that replaces every
 * row: the people they brought (referees, clients who clicked what they shared), helpful answers given,
 * referees still pending, and those people's activated / retained / engaged shares against the
 * direct-standardised baseline of clients without a KOC in the same tier × acquisition-month cells.
 * Rates are fractions (0..1); a baseline is null when no unlinked client shares any of the group's cells.
 */
export const kocInfluence = pgTable('koc_influence', {
  externalUserid: text('external_userid').primaryKey(),
  brought: integer('brought').notNull(),
  answered: integer('answered').notNull(),
  invited: integer('invited').notNull(),
  people: integer('people').notNull(),
  activatedRate: doublePrecision('activated_rate'),
  retainedRate: doublePrecision('retained_rate'),
  engagedRate: doublePrecision('engaged_rate'),
  baselineActivatedRate: doublePrecision('baseline_activated_rate'),
  baselineRetainedRate: doublePrecision('baseline_retained_rate'),
  baselineEngagedRate: doublePrecision('baseline_engaged_rate'),
  computedAt: timestamptz('computed_at').notNull(),
});

/** A koc_influence row. */
export type KocInfluenceRow = typeof kocInfluence.$inferSelect;
