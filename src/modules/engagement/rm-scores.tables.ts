import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * Each RM's engagement score per reporting period (day, week, month; weeks start on Monday), written by
 * the nightly scoring job. Recomputing a period replaces all its rows in one transaction. `components`
 * holds per component {raw, normalised, weight, points, reference?, details}; `policy_version` is the digest
 * of the score policy it was computed under.
 */
export const rmScores = pgTable(
  'rm_scores',
  {
    periodKind: text('period_kind').$type<'day' | 'week' | 'month'>().notNull(),
    periodStart: date('period_start').notNull(),
    rm: text('rm').notNull(),
    /** The RM's branch when scored (copied from rms), so a ranking reads no other table. */
    branch: text('branch'),
    score: doublePrecision('score').notNull(),
    /** Rank within the branch in the period (1 = best; ties share a rank), fixed when the period is scored. */
    rank: integer('rank').notNull().default(1),
    components: jsonb('components').$type<Record<string, unknown>>().notNull(),
    /** Each component's points alone: what the ranking reads (the components hold every figure). */
    points: jsonb('points').$type<Record<string, number>>().notNull().default({}),
    policyVersion: text('policy_version').notNull(),
    computedAt: timestamptz('computed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.periodKind, t.periodStart, t.rm] }),
    // The ranking: one period's RMs by branch, best first.
    index('rm_scores_ranking_idx').on(t.periodKind, t.periodStart, t.branch, t.rank),
    check('rm_scores_period_kind', sql`${t.periodKind} IN ('day','week','month')`),
  ],
);
