import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/** What a ledger row records. */
export type PointsEntryKind = 'grant' | 'spend' | 'expire' | 'reversal';

/**
 * The points ledger: every change to a client's points, append-only (a trigger in the migration refuses
 * UPDATE, DELETE and TRUNCATE, as for `audit_log`). `amount` is signed: grants positive, spends and
 * expiries negative, a reversal the opposite of what it reverses. Grants, spends and expiries are
 * idempotent per (source, client, kind); a row is reversed at most once (`reverses_id` is unique).
 */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    externalUserid: text('external_userid').notNull(),
    kind: text('kind').$type<PointsEntryKind>().notNull(),
    amount: integer('amount').notNull(),
    reason: text('reason').notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    reversesId: bigint('reverses_id', { mode: 'number' }).references((): AnyPgColumn => pointsLedger.id),
    actor: text('actor').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('points_ledger_source_uq')
      .on(t.sourceType, t.sourceId, t.externalUserid, t.kind)
      .where(sql`${t.kind} <> 'reversal'`),
    uniqueIndex('points_ledger_reverses_uq').on(t.reversesId),
    // A client's ledger, newest first.
    index('points_ledger_client_idx').on(t.externalUserid, t.id),
    check('points_ledger_kind_ck', sql`${t.kind} IN ('grant','spend','expire','reversal')`),
    check(
      'points_ledger_sign_ck',
      sql`(${t.kind} = 'grant' AND ${t.amount} > 0) OR (${t.kind} IN ('spend','expire') AND ${t.amount} < 0)
          OR (${t.kind} = 'reversal' AND ${t.amount} <> 0 AND ${t.reversesId} IS NOT NULL)`,
    ),
  ],
);

/**
 * One lot per grant (or per refunded spend): what is left of it and when it expires. Spends draw from the
 * lots that expire first; the nightly expiry writes off what is left of a lot past its `expires_at`. The sum
 * of a client's `remaining` always equals their balance.
 */
export const pointsLots = pgTable(
  'points_lots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: bigint('entry_id', { mode: 'number' })
      .notNull()
      .references(() => pointsLedger.id),
    externalUserid: text('external_userid').notNull(),
    amount: integer('amount').notNull(),
    remaining: integer('remaining').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('points_lots_entry_uq').on(t.entryId),
    index('points_lots_open_idx').on(t.externalUserid, t.expiresAt).where(sql`${t.remaining} > 0`),
    index('points_lots_expiry_idx').on(t.expiresAt).where(sql`${t.remaining} > 0`),
    check('points_lots_remaining_ck', sql`${t.remaining} >= 0 AND ${t.remaining} <= ${t.amount}`),
  ],
);

/** A client's balance, changed only in the transaction that appends its ledger row; never negative. */
export const pointsBalances = pgTable(
  'points_balances',
  {
    externalUserid: text('external_userid').primaryKey(),
    balance: integer('balance').notNull().default(0),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('points_balances_balance_ck', sql`${t.balance} >= 0`)],
);

/** A ledger row. */
export type PointsEntryRow = typeof pointsLedger.$inferSelect;
