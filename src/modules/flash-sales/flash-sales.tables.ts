import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/** Who may claim a flash sale; every rule given must hold, an absent rule admits everyone. */
export type FlashEligibility = {
  tiers?: string[];
  riskLevels?: string[];
  /** Only clients acquired at most this many days before the claim. */
  newClientsWithinDays?: number;
};

/**
 * A limited offer (限量秒杀): `stock` units, one per client, claimable inside [opens_at, closes_at).
 * `taken` counts the units held by claims (won, redeemed, expired without return): the durable guard that a
 * claim never passes the stock, whatever Redis says (the claim path updates it in the same transaction as
 * the claim's row, and only winners reach it).
 */
export const flashSales = pgTable(
  'flash_sales',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    itemName: text('item_name').notNull(),
    stock: integer('stock').notNull(),
    taken: integer('taken').notNull().default(0),
    keyword: text('keyword').notNull().default('秒杀'),
    eligibility: jsonb('eligibility').$type<FlashEligibility>().notNull().default({}),
    perClientLimit: integer('per_client_limit').notNull().default(1),
    opensAt: timestamptz('opens_at').notNull(),
    closesAt: timestamptz('closes_at').notNull(),
    returnUnclaimed: boolean('return_unclaimed').notNull().default(false),
    redeemWithinHours: integer('redeem_within_hours').notNull().default(72),
    pointsCost: integer('points_cost').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    cancelledAt: timestamptz('cancelled_at'),
  },
  (t) => [
    index('flash_sales_window_idx').on(t.closesAt),
    check('flash_sales_stock', sql`${t.stock} >= 0 AND ${t.taken} >= 0 AND ${t.taken} <= ${t.stock}`),
    check('flash_sales_window', sql`${t.closesAt} > ${t.opensAt}`),
    check('flash_sales_limit', sql`${t.perClientLimit} = 1`),
  ],
);

/** A client's claim: one per client and sale. Written before the client is told they won. */
export const flashClaims = pgTable(
  'flash_claims',
  {
    saleId: text('sale_id')
      .notNull()
      .references(() => flashSales.id),
    externalUserid: text('external_userid').notNull(),
    status: text('status').$type<FlashClaimStatus>().notNull().default('won'),
    via: text('via').$type<'keyword' | 'link'>().notNull(),
    chatId: text('chat_id'),
    /** The bot message that claimed, so a retried callback answers "won" again rather than "already". */
    ref: text('ref'),
    claimedAt: timestamptz('claimed_at').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    redeemedAt: timestamptz('redeemed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.saleId, t.externalUserid] }),
    index('flash_claims_due_idx').on(t.expiresAt).where(sql`${t.status} = 'won'`),
    check('flash_claims_status', sql`${t.status} IN ('won','redeemed','expired','returned')`),
    check('flash_claims_via', sql`${t.via} IN ('keyword','link')`),
  ],
);

/** won → redeemed, or → expired (its unit stays used) / returned (its unit went back to the stock). */
export type FlashClaimStatus = 'won' | 'redeemed' | 'expired' | 'returned';
/** A flash sale row. */
export type FlashSaleRow = typeof flashSales.$inferSelect;
/** A claim row. */
export type FlashClaimRow = typeof flashClaims.$inferSelect;
