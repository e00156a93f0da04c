import { and, desc, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { type FlashClaimRow, type FlashSaleRow, flashClaims, flashSales } from './flash-sales.tables.ts';

/** What the durable half of a claim decided. */
export type DurableOutcome = 'won' | 'sold_out' | 'duplicate';

/** A claim as ops see it among a sale's results. */
export type ListedClaim = Pick<
  FlashClaimRow,
  'externalUserid' | 'status' | 'via' | 'claimedAt' | 'expiresAt'
>;

/**
 * SQL that is true when the client whose external userid `clientUserid` yields ever claimed a flash sale
 * (whatever became of the claim), for other modules' aggregates (KOC influence). Pass a qualified column.
 */
export function claimedAFlashSale(clientUserid: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM flash_claims fc_c WHERE fc_c.external_userid = ${clientUserid})`;
}

/** SQL for flash sales and their claims. Methods take the handle they run on. */
export type FlashSalesRepository = ReturnType<typeof createFlashSalesRepository>;

/** Creates the flash-sales repository. */
export function createFlashSalesRepository() {
  return {
    /** Creates a sale; undefined when the id is taken. */
    async insert(tx: Tx, s: typeof flashSales.$inferInsert): Promise<FlashSaleRow | undefined> {
      const [row] = await tx.insert(flashSales).values(s).onConflictDoNothing().returning();
      return row;
    },

    /** One sale. */
    async find(db: Db | Tx, id: string): Promise<FlashSaleRow | undefined> {
      const [row] = await db.select().from(flashSales).where(eq(flashSales.id, id));
      return row;
    },

    /** The newest sales first (by opening time). */
    list(db: Db | Tx, limit: number): Promise<FlashSaleRow[]> {
      return db.select().from(flashSales).orderBy(desc(flashSales.opensAt), desc(flashSales.id)).limit(limit);
    },

    /**
     * Sales a keyword may still name: not cancelled, and closed less than a day ago (they answer 已结束).
     * Async on purpose: a drizzle query is a thenable that runs again each time it is awaited, and the claim
     * path caches this promise for thousands of claims.
     */
    async recent(db: Db | Tx, now: Date): Promise<FlashSaleRow[]> {
      return await db
        .select()
        .from(flashSales)
        .where(
          and(
            isNull(flashSales.cancelledAt),
            gt(flashSales.closesAt, new Date(now.getTime() - 24 * 3600_000)),
          ),
        )
        .orderBy(flashSales.opensAt)
        .limit(100);
    },

    /**
     * The durable half of a win, in one statement: records the claim and takes a unit (the sale row's
     * `taken`). The table's check `taken <= stock` fails the whole statement (claim included) when the sale
     * is sold out in PostgreSQL, whatever Redis said: PostgreSQL alone guarantees no oversell. One statement
     * holds the sale row's lock only while it commits; only Redis winners come here. `duplicate`: the
     * client had a claim already (nothing written).
     */
    async takeUnit(db: Db | Tx, c: typeof flashClaims.$inferInsert): Promise<DurableOutcome> {
      try {
        const [r] = await queryRows<{ n: number }>(
          db,
          sql`WITH ins AS (
                INSERT INTO flash_claims (sale_id, external_userid, status, via, chat_id, ref, claimed_at, expires_at)
                VALUES (${c.saleId}, ${c.externalUserid}, 'won', ${c.via}, ${c.chatId ?? null}, ${c.ref ?? null},
                        ${c.claimedAt.toISOString()}::timestamptz, ${c.expiresAt.toISOString()}::timestamptz)
                ON CONFLICT DO NOTHING RETURNING sale_id
              ), upd AS (
                UPDATE flash_sales SET taken = taken + 1 WHERE id IN (SELECT sale_id FROM ins) RETURNING id
              )
              SELECT count(*)::int AS n FROM upd`,
        );
        return r?.n === 1 ? 'won' : 'duplicate';
      } catch (err) {
        if (isCheckViolation(err, 'flash_sales_stock')) return 'sold_out';
        throw err;
      }
    },

    /** A client's claim on a sale. */
    async findClaim(db: Db | Tx, saleId: string, externalUserid: string): Promise<FlashClaimRow | undefined> {
      const [row] = await db
        .select()
        .from(flashClaims)
        .where(and(eq(flashClaims.saleId, saleId), eq(flashClaims.externalUserid, externalUserid)));
      return row;
    },

    /** Everyone holding a claim on the sale, in any status: Redis's one-per-client set is rebuilt from it. */
    async claimants(db: Db | Tx, saleId: string): Promise<string[]> {
      const rows = await db
        .select({ u: flashClaims.externalUserid })
        .from(flashClaims)
        .where(eq(flashClaims.saleId, saleId));
      return rows.map((r) => r.u);
    },

    /** Claims per status. */
    async countsByStatus(db: Db | Tx, saleId: string): Promise<Record<string, number>> {
      const rows = await queryRows<{ status: string; n: number }>(
        db,
        sql`SELECT status, count(*)::int AS n FROM flash_claims WHERE sale_id = ${saleId} GROUP BY status`,
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },

    /** The sale's claims, first come first. */
    winners(db: Db | Tx, saleId: string, limit: number): Promise<ListedClaim[]> {
      return db
        .select({
          externalUserid: flashClaims.externalUserid,
          status: flashClaims.status,
          via: flashClaims.via,
          claimedAt: flashClaims.claimedAt,
          expiresAt: flashClaims.expiresAt,
        })
        .from(flashClaims)
        .where(eq(flashClaims.saleId, saleId))
        .orderBy(flashClaims.claimedAt, flashClaims.externalUserid)
        .limit(limit);
    },

    /** Marks a won claim redeemed; undefined when there is none, or it was redeemed or expired already. */
    async redeem(
      tx: Tx,
      saleId: string,
      externalUserid: string,
      now: Date,
    ): Promise<FlashClaimRow | undefined> {
      const [row] = await tx
        .update(flashClaims)
        .set({ status: 'redeemed', redeemedAt: now })
        .where(
          and(
            eq(flashClaims.saleId, saleId),
            eq(flashClaims.externalUserid, externalUserid),
            eq(flashClaims.status, 'won'),
            sql`${flashClaims.expiresAt} > ${now.toISOString()}::timestamptz`,
          ),
        )
        .returning();
      return row;
    },

    /**
     * Ends won claims past their redemption deadline: `returned` (the unit goes back to the sale's stock)
     * when the sale says so, else `expired`. Returns the units given back per sale.
     */
    async expireDue(
      tx: Tx,
      now: Date,
      limit: number,
    ): Promise<{ saleId: string; expired: number; returned: number }[]> {
      return queryRows<{ saleId: string; expired: number; returned: number }>(
        tx,
        sql`WITH due AS (
              SELECT c.sale_id, c.external_userid, s.return_unclaimed
              FROM flash_claims c JOIN flash_sales s ON s.id = c.sale_id
              WHERE c.status = 'won' AND c.expires_at <= ${now.toISOString()}::timestamptz
              ORDER BY c.expires_at LIMIT ${limit}
              FOR UPDATE OF c SKIP LOCKED
            ), ended AS (
              UPDATE flash_claims c
              SET status = CASE WHEN due.return_unclaimed THEN 'returned' ELSE 'expired' END
              FROM due WHERE c.sale_id = due.sale_id AND c.external_userid = due.external_userid
              RETURNING c.sale_id, c.status
            ), per_sale AS (
              SELECT sale_id, count(*) FILTER (WHERE status = 'expired')::int AS expired,
                     count(*) FILTER (WHERE status = 'returned')::int AS returned
              FROM ended GROUP BY sale_id
            ), given_back AS (
              UPDATE flash_sales s SET taken = s.taken - p.returned
              FROM per_sale p WHERE s.id = p.sale_id AND p.returned > 0
              RETURNING s.id
            )
            SELECT sale_id AS "saleId", expired, returned FROM per_sale`,
      );
    },
  };
}

/** Whether `err` (or a cause) is PostgreSQL refusing a row for the check constraint `name`. */
function isCheckViolation(err: unknown, name: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const pg = e as { code?: unknown; constraint?: unknown };
    if (pg.code === '23514' && pg.constraint === name) return true;
  }
  return false;
}

/**
 * Per owner RM, the claims their clients won in [from, to) (still won or since redeemed; not returned or
 * expired): a conversion for engagement scoring. `ownerRmOf` is the contacts module's fragment.
 */
export function wonClaimsByOwnerRm(
  db: Db | Tx,
  from: Date,
  to: Date,
  ownerRmOf: (clientUserid: SQL) => SQL,
): Promise<{ rm: string; wonClaims: number }[]> {
  return queryRows<{ rm: string; wonClaims: number }>(
    db,
    sql`SELECT rm, count(*)::int AS "wonClaims" FROM (
          SELECT ${ownerRmOf(sql`fc.external_userid`)} AS rm FROM flash_claims fc
           WHERE fc.status IN ('won','redeemed')
             AND fc.claimed_at >= ${from.toISOString()}::timestamptz
             AND fc.claimed_at < ${to.toISOString()}::timestamptz) w
         WHERE rm IS NOT NULL GROUP BY rm`,
  );
}
