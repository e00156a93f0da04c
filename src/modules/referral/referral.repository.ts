import { eq, type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { rmInScope } from '../contacts/scope-filters.repository.ts';
import { type ReferralCodeRow, type ReferralRow, referralCodes, referrals } from './referral.tables.ts';

/** A referral's status. */
export type ReferralStatus = 'pending' | 'rewarded' | 'rejected' | 'review';

/**
 * The referral module's who-referred-whom as a subquery other modules' SQL may read (the KOC influence
 * aggregate): `referrer`, `referred`, `genuine` (false for a self-referral or a contact who was already a
 * client: the referrer brought nobody) and `pending` (genuine and not yet rewarded: pending or in review).
 * Alias it where it is used: `${referralLinks()} rl`.
 */
export function referralLinks(): SQL {
  return sql`(SELECT r.referrer, r.referred,
                     NOT (r.status = 'rejected' AND COALESCE(r.reason IN ('self_referral','already_client'), FALSE))
                       AS genuine,
                     r.status IN ('pending','review') AS pending
              FROM referrals r)`;
}

/** SQL for referral codes and referrals. Methods take the handle they run on. */
export type ReferralRepository = ReturnType<typeof createReferralRepository>;

/** Creates the referral repository. */
export function createReferralRepository() {
  return {
    /** A client's referral code, if they have one. */
    async findCode(db: Db | Tx, referrer: string): Promise<ReferralCodeRow | undefined> {
      const [row] = await db.select().from(referralCodes).where(eq(referralCodes.referrer, referrer));
      return row;
    },

    /** The referral code with this state, if any. */
    async findCodeByState(db: Db | Tx, state: string): Promise<ReferralCodeRow | undefined> {
      const [row] = await db.select().from(referralCodes).where(eq(referralCodes.state, state));
      return row;
    },

    /** Stores a code; undefined when the client already had one (a concurrent create won). */
    async insertCode(tx: Tx, c: Omit<ReferralCodeRow, 'createdAt'>): Promise<ReferralCodeRow | undefined> {
      const [row] = await tx
        .insert(referralCodes)
        .values(c)
        .onConflictDoNothing({ target: referralCodes.referrer })
        .returning();
      return row;
    },

    /** Records a referral; undefined when the referred client already has one (first referrer wins). */
    async insertReferral(
      tx: Tx,
      r: Pick<ReferralRow, 'referrer' | 'referred' | 'rm' | 'state' | 'addedAt'> & {
        status: ReferralStatus;
        reason: string | null;
      },
    ): Promise<ReferralRow | undefined> {
      const [row] = await tx
        .insert(referrals)
        .values(r)
        .onConflictDoNothing({ target: referrals.referred })
        .returning();
      return row;
    },

    /**
     * When `rm` got at least `size` referrals added in (`since`, `until`], moves the pending ones among
     * them to review (reason `cluster`); returns their ids. Referrals to one RM are serialised by locking
     * the RM's row, so two concurrent adds both see each other.
     */
    async flagCluster(tx: Tx, rm: string, since: Date, until: Date, size: number): Promise<number[]> {
      await queryRows(tx, sql`SELECT 1 FROM rms WHERE userid = ${rm} FOR UPDATE`);
      const rows = await queryRows<{ id: number }>(
        tx,
        sql`WITH recent AS (
              SELECT id, status FROM referrals WHERE rm = ${rm} AND added_at > ${since} AND added_at <= ${until}
            )
            UPDATE referrals SET status = 'review', reason = 'cluster'
            WHERE id IN (SELECT id FROM recent WHERE status = 'pending')
              AND (SELECT count(*) FROM recent) >= ${size}
            RETURNING id::int AS id`,
      );
      return rows.map((r) => r.id);
    },

    /** Locks the referral of a referred client, if any. */
    async lockByReferred(tx: Tx, referred: string): Promise<ReferralRow | undefined> {
      const [row] = await tx.select().from(referrals).where(eq(referrals.referred, referred)).for('update');
      return row;
    },

    /** Locks one referral by id. */
    async lockById(tx: Tx, id: number): Promise<ReferralRow | undefined> {
      const [row] = await tx.select().from(referrals).where(eq(referrals.id, id)).for('update');
      return row;
    },

    /**
     * How many referrals of `referrer` were rewarded in the calendar month (in `timeZone`) of `at`. The
     * referrer's code row is locked first, so concurrent rewards for one referrer count each other.
     */
    async rewardedInMonth(tx: Tx, referrer: string, at: Date, timeZone: string): Promise<number> {
      await queryRows(tx, sql`SELECT 1 FROM referral_codes WHERE referrer = ${referrer} FOR UPDATE`);
      const [row] = await queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM referrals
            WHERE referrer = ${referrer} AND status = 'rewarded'
              AND date_trunc('month', rewarded_at AT TIME ZONE ${timeZone})
                = date_trunc('month', ${at}::timestamptz AT TIME ZONE ${timeZone})`,
      );
      return row?.n ?? 0;
    },

    /** Changes a referral's status and the timestamps that go with it; returns the new row. */
    async update(
      tx: Tx,
      id: number,
      set: Partial<Pick<ReferralRow, 'activatedAt' | 'rewardedAt' | 'reviewedBy' | 'reviewedAt'>> & {
        status?: ReferralStatus;
        reason?: string | null;
      },
    ): Promise<ReferralRow> {
      const [row] = await tx.update(referrals).set(set).where(eq(referrals.id, id)).returning();
      if (!row) throw new Error(`referral ${id} vanished`);
      return row;
    },

    /** Referrals to RMs within `scope`, oldest first, optionally of one status, after id `after`. */
    list(
      db: Db,
      scope: Scope,
      q: { status?: ReferralStatus; after?: number; limit: number },
    ): Promise<ReferralRow[]> {
      return db
        .select()
        .from(referrals)
        .where(
          sql`${rmInScope(scope, sql`${referrals.rm}`)}
              ${q.status ? sql`AND ${referrals.status} = ${q.status}` : sql``}
              ${q.after === undefined ? sql`` : sql`AND ${referrals.id} > ${q.after}`}`,
        )
        .orderBy(referrals.id)
        .limit(q.limit);
    },

    /** One referral within `scope`. */
    async find(db: Db, scope: Scope, id: number): Promise<ReferralRow | undefined> {
      const [row] = await db
        .select()
        .from(referrals)
        .where(sql`${referrals.id} = ${id} AND ${rmInScope(scope, sql`${referrals.rm}`)}`);
      return row;
    },
  };
}
