import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientInScope } from '../contacts/scope-filters.repository.ts';
import type { PointsEntryKind } from './points.tables.ts';

/** A ledger row as the service and the API read it. */
export type PointsEntry = {
  id: number;
  externalUserid: string;
  kind: PointsEntryKind;
  amount: number;
  reason: string;
  sourceType: string;
  sourceId: string;
  reversesId: number | null;
  reversedBy: number | null;
  actor: string;
  createdAt: string;
};

/** A new ledger row. */
export type NewPointsEntry = {
  externalUserid: string;
  kind: PointsEntryKind;
  amount: number;
  reason: string;
  sourceType: string;
  sourceId: string;
  reversesId?: number;
  actor: string;
  at: Date;
};

/** A lot with points left, as spends draw them and the expiry writes them off. */
export type OpenLot = { id: number; externalUserid: string; amount: number; remaining: number };

const entrySelect = sql`SELECT l.id::int AS id, l.external_userid AS "externalUserid", l.kind, l.amount,
                               l.reason, l.source_type AS "sourceType", l.source_id AS "sourceId",
                               l.reverses_id::int AS "reversesId",
                               (SELECT r.id::int FROM points_ledger r WHERE r.reverses_id = l.id) AS "reversedBy",
                               l.actor, l.created_at AS "createdAt"
                        FROM points_ledger l`;

/** The points module's SQL: the append-only ledger, the lots and the balances. Methods take their handle. */
export type PointsRepository = ReturnType<typeof createPointsRepository>;

/** Creates the points repository. */
export function createPointsRepository() {
  return {
    /** Appends a ledger row; undefined when a row for the same source, client and kind exists already. */
    async append(tx: Tx, e: NewPointsEntry): Promise<number | undefined> {
      const [row] = await queryRows<{ id: number }>(
        tx,
        sql`INSERT INTO points_ledger (external_userid, kind, amount, reason, source_type, source_id,
                                       reverses_id, actor, created_at)
            VALUES (${e.externalUserid}, ${e.kind}, ${e.amount}, ${e.reason}, ${e.sourceType}, ${e.sourceId},
                    ${e.reversesId ?? null}, ${e.actor}, ${e.at.toISOString()})
            ON CONFLICT (source_type, source_id, external_userid, kind) WHERE kind <> 'reversal' DO NOTHING
            RETURNING id::int AS id`,
      );
      return row?.id;
    },

    /** The existing row for a source, client and kind (the one a duplicate request found). */
    async findBySource(
      db: Db | Tx,
      k: { sourceType: string; sourceId: string; externalUserid: string; kind: PointsEntryKind },
    ): Promise<PointsEntry | undefined> {
      const [row] = await queryRows<PointsEntry>(
        db,
        sql`${entrySelect} WHERE l.source_type = ${k.sourceType} AND l.source_id = ${k.sourceId}
              AND l.external_userid = ${k.externalUserid} AND l.kind = ${k.kind}`,
      );
      return row;
    },

    /** One ledger row by id, if it exists and its client is within `scope`. */
    async findEntry(db: Db | Tx, scope: Scope, id: number): Promise<PointsEntry | undefined> {
      const [row] = await queryRows<PointsEntry>(
        db,
        sql`${entrySelect} WHERE l.id = ${id} AND ${clientInScope(scope, sql`l.external_userid`)}`,
      );
      return row;
    },

    /** A client's ledger, newest first, before entry id `before`; `limit` rows at most. */
    ledger(db: Db | Tx, externalUserid: string, q: { before?: number; limit: number }) {
      return queryRows<PointsEntry>(
        db,
        sql`${entrySelect} WHERE l.external_userid = ${externalUserid}
              ${q.before === undefined ? sql`` : sql`AND l.id < ${q.before}`}
            ORDER BY l.id DESC LIMIT ${q.limit}`,
      );
    },

    /** A client's balance (0 for a client who never had points). */
    async balance(db: Db | Tx, externalUserid: string): Promise<number> {
      const [row] = await queryRows<{ balance: number }>(
        db,
        sql`SELECT balance FROM points_balances WHERE external_userid = ${externalUserid}`,
      );
      return row?.balance ?? 0;
    },

    /** Adds `delta` (> 0) to a balance, creating it; returns the new balance. */
    async credit(tx: Tx, externalUserid: string, delta: number, at: Date): Promise<number> {
      const [row] = await queryRows<{ balance: number }>(
        tx,
        sql`INSERT INTO points_balances (external_userid, balance, updated_at)
            VALUES (${externalUserid}, ${delta}, ${at.toISOString()})
            ON CONFLICT (external_userid) DO UPDATE
              SET balance = points_balances.balance + EXCLUDED.balance, updated_at = EXCLUDED.updated_at
            RETURNING balance`,
      );
      if (!row) throw new Error('points balance upsert returned no row');
      return row.balance;
    },

    /**
     * Takes `delta` (> 0) off a balance only when it covers it, in one statement: concurrent debits queue on
     * the row lock and each re-checks the balance it then sees. Undefined when the balance is short.
     */
    async debit(tx: Tx, externalUserid: string, delta: number, at: Date): Promise<number | undefined> {
      const [row] = await queryRows<{ balance: number }>(
        tx,
        sql`UPDATE points_balances SET balance = balance - ${delta}, updated_at = ${at.toISOString()}
            WHERE external_userid = ${externalUserid} AND balance - ${delta} >= 0
            RETURNING balance`,
      );
      return row?.balance;
    },

    /** Locks a client's balance row (so lots are always locked after it, in every path). */
    async lockBalance(tx: Tx, externalUserid: string): Promise<void> {
      await queryRows(
        tx,
        sql`SELECT 1 FROM points_balances WHERE external_userid = ${externalUserid} FOR UPDATE`,
      );
    },

    /** Records a lot for a grant or a refund. */
    async insertLot(
      tx: Tx,
      l: { entryId: number; externalUserid: string; amount: number; expiresAt: Date },
    ): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO points_lots (entry_id, external_userid, amount, remaining, expires_at)
            VALUES (${l.entryId}, ${l.externalUserid}, ${l.amount}, ${l.amount}, ${l.expiresAt.toISOString()})`,
      );
    },

    /** The lot of a grant, locked. */
    async lockLotOf(tx: Tx, entryId: number): Promise<OpenLot | undefined> {
      const [row] = await queryRows<OpenLot>(
        tx,
        sql`SELECT id::int AS id, external_userid AS "externalUserid", amount, remaining
            FROM points_lots WHERE entry_id = ${entryId} FOR UPDATE`,
      );
      return row;
    },

    /**
     * Draws `amount` from a client's lots, the soonest to expire first; call with the balance row locked.
     * Returns what could not be drawn (0 unless lots and balance disagree).
     */
    async drawLots(tx: Tx, externalUserid: string, amount: number): Promise<number> {
      const lots = await queryRows<{ id: number; remaining: number }>(
        tx,
        sql`SELECT id::int AS id, remaining FROM points_lots
            WHERE external_userid = ${externalUserid} AND remaining > 0
            ORDER BY expires_at, id FOR UPDATE`,
      );
      let left = amount;
      for (const lot of lots) {
        if (left === 0) break;
        const take = Math.min(left, lot.remaining);
        await queryRows(tx, sql`UPDATE points_lots SET remaining = remaining - ${take} WHERE id = ${lot.id}`);
        left -= take;
      }
      return left;
    },

    /** Empties a lot (a reversed grant, an expiry). */
    async emptyLot(tx: Tx, lotId: number): Promise<void> {
      await queryRows(tx, sql`UPDATE points_lots SET remaining = 0 WHERE id = ${lotId}`);
    },

    /** Lots past their expiry with points left, oldest first; `limit` at most. */
    expiredLots(db: Db | Tx, now: Date, limit: number) {
      return queryRows<OpenLot>(
        db,
        sql`SELECT id::int AS id, external_userid AS "externalUserid", amount, remaining FROM points_lots
            WHERE expires_at <= ${now.toISOString()} AND remaining > 0
            ORDER BY expires_at, id LIMIT ${limit}`,
      );
    },

    /** A lot, locked, with what is left of it now. */
    async lockLot(tx: Tx, lotId: number): Promise<OpenLot | undefined> {
      const [row] = await queryRows<OpenLot>(
        tx,
        sql`SELECT id::int AS id, external_userid AS "externalUserid", amount, remaining
            FROM points_lots WHERE id = ${lotId} FOR UPDATE`,
      );
      return row;
    },
  };
}
