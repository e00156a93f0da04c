import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { type InboxSource, type InboxStatus, inbox } from '../../platform/db/schema.ts';
import { storableText } from '../../platform/db/storable-text.ts';

/** A callback to store. */
export type NewInboxRow = {
  source: InboxSource;
  dedupKey: string;
  kind: string;
  msgId: string | null;
  plaintext: string;
};
/** A stored callback. */
export type InboxRow = typeof inbox.$inferSelect;

/** SQL for the inbox table. Every method takes the handle it runs on, so callers control transactions. */
export type InboxRepository = ReturnType<typeof createInboxRepository>;

// An error text about a failed row must itself always be storable, or recording the failure fails too.
const errorText = (error: string) => storableText(error.slice(0, 2000));

// One column of a batch as a single array parameter (a bare array in drizzle's sql`` would be a list).
const col = (rows: NewInboxRow[], key: keyof NewInboxRow) => sql.param(rows.map((r) => r[key]));

/** Creates the inbox repository. */
export function createInboxRepository() {
  return {
    /**
     * Inserts rows in one statement, skipping ones whose (source, dedup_key) already exists.
     * Returns, per input row, the new id or null when it was a duplicate (of a stored row or of an
     * earlier row in the same batch).
     */
    async insertMany(db: Db, rows: NewInboxRow[]): Promise<(number | null)[]> {
      // One statement with five array parameters, whatever the batch size: cheaper to build and to plan
      // than a VALUES list, which matters on the intake hot path.
      const inserted = await queryRows<{ id: string; source: string; dedup_key: string }>(
        db,
        sql`INSERT INTO inbox (source, dedup_key, kind, msg_id, plaintext)
            SELECT * FROM unnest(${col(rows, 'source')}::text[], ${col(rows, 'dedupKey')}::text[],
                                 ${col(rows, 'kind')}::text[], ${col(rows, 'msgId')}::text[],
                                 ${col(rows, 'plaintext')}::text[])
            ON CONFLICT (source, dedup_key) DO NOTHING
            RETURNING id, source, dedup_key`,
      );
      const ids = new Map(inserted.map((r) => [`${r.source}\u0000${r.dedup_key}`, Number(r.id)]));
      return rows.map((r) => {
        const k = `${r.source}\u0000${r.dedupKey}`;
        const id = ids.get(k);
        if (id === undefined) return null;
        ids.delete(k); // a later duplicate in the same batch is a duplicate
        return id;
      });
    },

    /** Of `ids`, those still waiting to be processed, in id order. */
    async filterPending(db: Db, ids: number[]): Promise<number[]> {
      const rows = await db
        .select({ id: inbox.id })
        .from(inbox)
        .where(and(inArray(inbox.id, ids), eq(inbox.status, 'received')))
        .orderBy(asc(inbox.id));
      return rows.map((r) => r.id);
    },

    /** Locks one row for processing; concurrent processors of the same row wait here. */
    async lockForProcessing(tx: Tx, id: number): Promise<InboxRow | undefined> {
      const rows = await tx.select().from(inbox).where(eq(inbox.id, id)).for('update');
      return rows[0];
    },

    async markProcessed(tx: Tx, id: number): Promise<void> {
      await tx
        .update(inbox)
        .set({
          status: 'processed',
          processedAt: sql`now()`,
          attempts: sql`${inbox.attempts} + 1`,
          lastError: null,
        })
        .where(eq(inbox.id, id));
    },

    /** Counts one failed attempt and its reason. */
    async recordFailedAttempt(db: Db, id: number, error: string): Promise<void> {
      await db
        .update(inbox)
        .set({ attempts: sql`${inbox.attempts} + 1`, lastError: errorText(error) })
        .where(eq(inbox.id, id));
    },

    /**
     * Dead-letters a row whose attempts are spent, unless it was processed meanwhile. The row keeps the
     * reason its last attempt recorded; `fallback` is used only when none was recorded.
     */
    async markDead(db: Db, id: number, fallback: string): Promise<void> {
      await db
        .update(inbox)
        .set({ status: 'dead', lastError: sql`coalesce(${inbox.lastError}, ${errorText(fallback)})` })
        .where(and(eq(inbox.id, id), eq(inbox.status, 'received')));
    },

    /** How many rows are dead letters. */
    async countDead(db: Db): Promise<number> {
      const r = await queryRows<{ n: string }>(
        db,
        sql`SELECT count(*)::text AS n FROM inbox WHERE status = 'dead'`,
      );
      return Number(r[0]?.n ?? 0);
    },

    /** Rows stored at least `minAgeMs` ago and still waiting to be processed, oldest first. */
    async findPending(db: Db, minAgeMs: number, limit: number): Promise<Pick<InboxRow, 'id' | 'attempts'>[]> {
      return db
        .select({ id: inbox.id, attempts: inbox.attempts })
        .from(inbox)
        .where(
          and(
            eq(inbox.status, 'received'),
            lt(inbox.receivedAt, sql`now() - make_interval(secs => ${minAgeMs / 1000})`),
          ),
        )
        .orderBy(asc(inbox.receivedAt))
        .limit(limit);
    },

    /** Deletes processed rows older than `retentionS`: their dedup keys have outlived any retry or replay. */
    async pruneProcessed(db: Db, retentionS: number): Promise<number> {
      const deleted = await db
        .delete(inbox)
        .where(
          and(
            eq(inbox.status, 'processed'),
            lt(inbox.receivedAt, sql`now() - make_interval(secs => ${retentionS})`),
          ),
        )
        .returning({ id: inbox.id });
      return deleted.length;
    },

    async findById(db: Db, id: number): Promise<InboxRow | undefined> {
      const rows = await db.select().from(inbox).where(eq(inbox.id, id));
      return rows[0];
    },

    /** Recent rows, newest first, optionally of one status. */
    async list(db: Db, opts: { status?: InboxStatus; before?: number; limit: number }): Promise<InboxRow[]> {
      return db
        .select()
        .from(inbox)
        .where(
          and(
            opts.status ? eq(inbox.status, opts.status) : undefined,
            opts.before === undefined ? undefined : lt(inbox.id, opts.before),
          ),
        )
        .orderBy(desc(inbox.id))
        .limit(opts.limit);
    },
  };
}
