import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * What ops say a channel cost in one calendar month (local month in the scheduler's time zone), and the
 * reach the channel reported. One row per channel and month; entering it again replaces it (audited).
 */
export const channelCosts = pgTable(
  'channel_costs',
  {
    channelId: text('channel_id').notNull(),
    /** The first day of the month. */
    month: date('month').notNull(),
    cost: numeric('cost', { precision: 14, scale: 2 }).notNull(),
    reach: integer('reach'),
    note: text('note'),
    enteredBy: text('entered_by').notNull(),
    enteredAt: timestamptz('entered_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.month] }),
    check('channel_costs_cost', sql`${t.cost} >= 0`),
    check('channel_costs_reach', sql`${t.reach} IS NULL OR ${t.reach} >= 0`),
    check('channel_costs_month', sql`extract(day FROM ${t.month}) = 1`),
  ],
);

/**
 * Every revenue file from the bank that was applied. A file with any bad line is refused whole and not
 * recorded. `accepted` lines were new; `rejected` lines were skipped because their ref had been imported
 * before (an idempotent re-import).
 */
export const revenueImports = pgTable('revenue_imports', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  actor: text('actor').notNull(),
  fileName: text('file_name'),
  sha256: text('sha256').notNull(),
  rows: integer('rows').notNull(),
  accepted: integer('accepted').notNull(),
  rejected: integer('rejected').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** Revenue lines from the bank's feed: `ref` is the bank's line id, so a line imported twice counts once. */
export const clientRevenue = pgTable(
  'client_revenue',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ref: text('ref').notNull(),
    externalUserid: text('external_userid').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => revenueImports.id),
  },
  (t) => [
    uniqueIndex('client_revenue_ref_uq').on(t.ref),
    index('client_revenue_client_idx').on(t.externalUserid, t.occurredAt),
  ],
);

/** Mix counts keyed by a value (a tier, a risk level, an age band), `unknown` for a missing one. */
export type MixCounts = Record<string, number>;
/** Shares (0..1) of a month's new clients: touched in their first 30 days, still a contact, in a group. */
export type EngagementShares = { touched30d: number; stillContact: number; inGroup: number };

/**
 * The nightly channel profile (渠道画像) per channel and calendar month: the clients it brought in that month,
 * their mixes, cost, revenue within the new-client period, AAC and LROI. Recomputing a month replaces its
 * rows. Report routes read only this table.
 */
export const channelProfiles = pgTable(
  'channel_profiles',
  {
    channelId: text('channel_id').notNull(),
    month: date('month').notNull(),
    acquired: integer('acquired').notNull(),
    activated: integer('activated').notNull(),
    medianDaysToActivate: numeric('median_days_to_activate', { precision: 10, scale: 2 }),
    tierMix: jsonb('tier_mix').$type<MixCounts>().notNull().default({}),
    riskMix: jsonb('risk_mix').$type<MixCounts>().notNull().default({}),
    topTags: jsonb('top_tags').$type<[string, number][]>().notNull().default([]),
    ageBands: jsonb('age_bands').$type<MixCounts>().notNull().default({}),
    engagement: jsonb('engagement').$type<EngagementShares>().notNull(),
    cost: numeric('cost', { precision: 14, scale: 2 }).notNull(),
    reach: integer('reach'),
    revenue: numeric('revenue', { precision: 16, scale: 2 }).notNull(),
    aac: numeric('aac', { precision: 16, scale: 2 }),
    lroi: numeric('lroi', { precision: 16, scale: 4 }),
    computedAt: timestamptz('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.month] }), index('channel_profiles_month_idx').on(t.month)],
);
