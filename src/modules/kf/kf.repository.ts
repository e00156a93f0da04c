import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/client.ts';
import { type KfMessageKind, kfCursors, kfMessages } from './kf.tables.ts';

/** A pulled message as the sync stores it (text already masked). */
export type NewKfMessage = {
  msgid: string;
  openKfid: string;
  externalUserid: string;
  kind: KfMessageKind;
  text: string | null;
  welcomeCode: string | null;
  sentAt: Date;
  /** 'done' for what the bot has nothing to do with (a servicer's message, an unknown event). */
  status?: 'pending' | 'done';
};

/** A stored customer-service message. */
export type KfMessageRow = typeof kfMessages.$inferSelect;

/** All SQL on kf_cursors and kf_messages. */
export type KfRepository = ReturnType<typeof createKfRepository>;

/** Creates the repository. */
export function createKfRepository() {
  return {
    /** The account's stored cursor ('' before the first page). */
    async cursorOf(db: Db | Tx, openKfid: string): Promise<string> {
      const [row] = await db
        .select({ cursor: kfCursors.cursor })
        .from(kfCursors)
        .where(eq(kfCursors.openKfid, openKfid));
      return row?.cursor ?? '';
    },

    /**
     * Locks the account's cursor row (creating it at '' first) and answers the cursor under the lock, so
     * two syncs of one account store their pages one after the other and each sees the other's cursor.
     */
    async lockCursor(tx: Tx, openKfid: string): Promise<string> {
      await tx.insert(kfCursors).values({ openKfid }).onConflictDoNothing();
      const [row] = await tx
        .select({ cursor: kfCursors.cursor })
        .from(kfCursors)
        .where(eq(kfCursors.openKfid, openKfid))
        .for('update');
      return row?.cursor ?? '';
    },

    /** Stores the cursor the next page is read from. */
    async storeCursor(tx: Tx, openKfid: string, cursor: string): Promise<void> {
      await tx
        .update(kfCursors)
        .set({ cursor, updatedAt: sql`now()` })
        .where(eq(kfCursors.openKfid, openKfid));
    },

    /** Inserts a page; a msgid already stored (a page read twice) is left as it is. Returns how many were new. */
    async insertMessages(tx: Tx, rows: readonly NewKfMessage[]): Promise<number> {
      if (rows.length === 0) return 0;
      const inserted = await tx
        .insert(kfMessages)
        .values([...rows])
        .onConflictDoNothing({ target: kfMessages.msgid })
        .returning({ id: kfMessages.id });
      return inserted.length;
    },

    /** The account's pending messages, oldest first. */
    async pendingIds(db: Db, openKfid: string, limit: number): Promise<number[]> {
      const rows = await db
        .select({ id: kfMessages.id })
        .from(kfMessages)
        .where(and(eq(kfMessages.openKfid, openKfid), eq(kfMessages.status, 'pending')))
        .orderBy(asc(kfMessages.id))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    /**
     * The accounts with a message still pending `minAgeMs` after it was stored: a sync stored the page but
     * never handled it (the worker died, or the job was never enqueued). Younger ones are left to the run
     * that is storing them. Reads the pending partial index (kf_messages_pending_idx).
     */
    async accountsWithPending(db: Db, minAgeMs: number, limit = 500): Promise<string[]> {
      const rows = await db
        .selectDistinct({ openKfid: kfMessages.openKfid })
        .from(kfMessages)
        .where(
          and(
            eq(kfMessages.status, 'pending'),
            lt(kfMessages.receivedAt, sql`now() - make_interval(secs => ${minAgeMs / 1000})`),
          ),
        )
        .orderBy(asc(kfMessages.openKfid))
        .limit(limit);
      return rows.map((r) => r.openKfid);
    },

    async findById(db: Db, id: number): Promise<KfMessageRow | undefined> {
      const [row] = await db.select().from(kfMessages).where(eq(kfMessages.id, id));
      return row;
    },

    /** Locks a message for processing; its status under the lock decides whether it is still to do. */
    async lockForProcessing(tx: Tx, id: number): Promise<KfMessageRow | undefined> {
      const [row] = await tx.select().from(kfMessages).where(eq(kfMessages.id, id)).for('update');
      return row;
    },

    async markDone(tx: Tx, id: number): Promise<void> {
      await tx
        .update(kfMessages)
        .set({ status: 'done', processedAt: sql`now()` })
        .where(eq(kfMessages.id, id));
    },
  };
}
