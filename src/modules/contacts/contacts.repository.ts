import { and, asc, desc, eq, lt, or, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientRms, rms, UNKNOWN_CHANNEL_ID, welcomes } from './contacts.tables.ts';

/** What an add event tells Helix about a client and the RM they added. */
export type ClientAdd = {
  externalUserid: string;
  rmUserid: string;
  state: string | null;
  at: Date;
};

/** The outcome of recording an add: whether the client is new and where they were attributed. */
export type RecordedAdd = {
  created: boolean;
  channelId: string;
  /** True when the State named no channel (the client went to "unknown"). */
  unknownState: boolean;
  /** True when the client had been acquired before this add (a re-add, or a second RM). */
  wasAcquired: boolean;
  ownerRm: string;
  tier: string | null;
  persona: string | null;
  rmName: string;
  clientName: string | null;
};

/** Why a pending welcome was given up: its code's 20 s passed before any send finished. */
export const NOT_SENT_IN_TIME = 'not_sent_in_time';

/** A welcome decision to store before anything is sent. */
export type NewWelcome = {
  inboxId: number;
  externalUserid: string;
  rmUserid: string;
  status: 'pending' | 'skipped';
  reason: string | null;
  tier: string | null;
  templateId: string | null;
  text: string | null;
  joinLink: string | null;
  /** Only for a pending welcome: the add event's one-time code. */
  welcomeCode?: string | null;
  eventAt: Date;
};

/** A pending welcome as its send job reads it. */
export type PendingWelcome = {
  id: number;
  status: string;
  welcomeCode: string | null;
  text: string | null;
  eventAt: Date;
};

/** SQL for RMs, clients, channels and welcomes. Methods take the handle they run on. */
export type ContactsRepository = ReturnType<typeof createContactsRepository>;

/** Creates the contacts repository. */
export function createContactsRepository() {
  return {
    /** Makes sure the RM exists; WeCom may name members Helix has not been told about. */
    async ensureRm(db: Db | Tx, userid: string): Promise<void> {
      await db.insert(rms).values({ userid, name: userid }).onConflictDoNothing();
    },

    /**
     * Records that a client added an RM, creating the client if needed. First touch wins: a client keeps
     * the first known channel and owner. Safe under concurrency: one statement per table, ON CONFLICT.
     */
    async recordAdd(tx: Tx, add: ClientAdd): Promise<RecordedAdd> {
      const [row] = await queryRows<{
        created: boolean;
        channel_id: string;
        unknown_state: boolean;
        owner_rm: string;
        tier: string | null;
        client_name: string | null;
        was_acquired: boolean;
      }>(
        tx,
        sql`WITH prev AS (SELECT acquired_at FROM clients WHERE external_userid = ${add.externalUserid}),
            ch AS (
              SELECT COALESCE((SELECT id FROM channels WHERE state = ${add.state ?? ''} AND state <> ''),
                              ${UNKNOWN_CHANNEL_ID}) AS id
            )
            INSERT INTO clients (external_userid, owner_rm, channel_id, channel_state, aware_at, acquired_at)
            SELECT ${add.externalUserid}, ${add.rmUserid}, ch.id, ${add.state}, ${add.at}, ${add.at} FROM ch
            ON CONFLICT (external_userid) DO UPDATE SET
              owner_rm = COALESCE(clients.owner_rm, EXCLUDED.owner_rm),
              channel_id = CASE WHEN clients.channel_id IS NULL OR clients.channel_id = ${UNKNOWN_CHANNEL_ID}
                                THEN EXCLUDED.channel_id ELSE clients.channel_id END,
              channel_state = COALESCE(clients.channel_state, EXCLUDED.channel_state),
              aware_at = COALESCE(clients.aware_at, EXCLUDED.aware_at),
              acquired_at = COALESCE(clients.acquired_at, EXCLUDED.acquired_at),
              status = 'active',
              updated_at = now()
            RETURNING (xmax = 0) AS created, channel_id, owner_rm, tier, name AS client_name,
                      (channel_id = ${UNKNOWN_CHANNEL_ID}) AS unknown_state,
                      COALESCE((SELECT acquired_at IS NOT NULL FROM prev), FALSE) AS was_acquired`,
      );
      if (!row) throw new Error('client upsert returned no row');
      await tx
        .insert(clientRms)
        .values({
          externalUserid: add.externalUserid,
          rmUserid: add.rmUserid,
          state: add.state,
          addedAt: add.at,
        })
        .onConflictDoUpdate({
          target: [clientRms.externalUserid, clientRms.rmUserid],
          set: { removedAt: null, state: sql`COALESCE(EXCLUDED.state, ${clientRms.state})` },
        });
      const [rm] = await tx
        .select({ name: rms.name, persona: rms.persona })
        .from(rms)
        .where(eq(rms.userid, add.rmUserid));
      return {
        created: row.created,
        channelId: row.channel_id,
        unknownState: row.unknown_state,
        wasAcquired: row.was_acquired,
        ownerRm: row.owner_rm,
        tier: row.tier,
        persona: rm?.persona ?? null,
        rmName: rm?.name ?? add.rmUserid,
        clientName: row.client_name,
      };
    },

    /** Marks a relationship ended; the client's status says who ended it. Unknown clients are created. */
    async recordRemoval(
      tx: Tx,
      r: { externalUserid: string; rmUserid: string; at: Date; by: 'client' | 'rm' },
    ): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO clients (external_userid, owner_rm, channel_id, status)
            VALUES (${r.externalUserid}, ${r.rmUserid}, ${UNKNOWN_CHANNEL_ID},
                    ${r.by === 'client' ? 'removed_by_client' : 'removed_by_rm'})
            ON CONFLICT (external_userid) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
      );
      await queryRows(
        tx,
        sql`INSERT INTO client_rms (external_userid, rm_userid, added_at, removed_at)
            VALUES (${r.externalUserid}, ${r.rmUserid}, ${r.at}, ${r.at})
            ON CONFLICT (external_userid, rm_userid) DO UPDATE SET removed_at = EXCLUDED.removed_at`,
      );
    },

    /** Every RM's userid, in order. */
    async listRmUserids(db: Db): Promise<string[]> {
      const rows = await queryRows<{ userid: string }>(db, sql`SELECT userid FROM rms ORDER BY userid`);
      return rows.map((r) => r.userid);
    },

    /** Which of `ids` Helix already holds as clients of `rmUserid` with a known channel. */
    async attributedClientsOf(db: Db, rmUserid: string, ids: string[]): Promise<string[]> {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`SELECT cr.external_userid AS id FROM client_rms cr JOIN clients c USING (external_userid)
            WHERE cr.rm_userid = ${rmUserid} AND cr.external_userid = ANY(${sql.param(ids)}::text[])
              AND c.channel_id IS NOT NULL AND c.channel_id <> ${UNKNOWN_CHANNEL_ID}`,
      );
      return rows.map((r) => r.id);
    },

    /** Stores a welcome decision; returns its id. */
    async insertWelcome(tx: Tx, w: NewWelcome): Promise<number> {
      const [row] = await tx.insert(welcomes).values(w).returning({ id: welcomes.id });
      if (!row) throw new Error('welcome insert returned no row');
      return row.id;
    },

    /** Locks a welcome for its send job (the caller's transaction holds the lock until it commits). */
    async lockWelcome(tx: Tx, id: number): Promise<PendingWelcome | undefined> {
      const [row] = await tx
        .select({
          id: welcomes.id,
          status: welcomes.status,
          welcomeCode: welcomes.welcomeCode,
          text: welcomes.text,
          eventAt: welcomes.eventAt,
        })
        .from(welcomes)
        .where(eq(welcomes.id, id))
        .for('update');
      return row;
    },

    /**
     * Records how sending a welcome ended, and forgets its code. Only a pending welcome changes, or one the
     * sweeper gave up on while its send was still in flight: what WeCom answered is the truth, the
     * sweeper's `not_sent_in_time` only a presumption. Returns whether the row changed.
     */
    async finishWelcome(
      db: Db | Tx,
      id: number,
      outcome: { status: 'sent' | 'failed'; reason: string | null; at: Date },
    ): Promise<boolean> {
      const rows = await db
        .update(welcomes)
        .set({
          status: outcome.status,
          reason: outcome.reason,
          welcomeCode: null,
          sentAt: outcome.status === 'sent' ? outcome.at : null,
        })
        .where(
          and(
            eq(welcomes.id, id),
            or(
              eq(welcomes.status, 'pending'),
              and(eq(welcomes.status, 'failed'), eq(welcomes.reason, NOT_SENT_IN_TIME)),
            ),
          ),
        )
        .returning({ id: welcomes.id });
      return rows.length > 0;
    },

    /** Fails every welcome still pending from an add event before `cutoff`; returns their ids. */
    async failUnsentWelcomes(db: Db, cutoff: Date): Promise<number[]> {
      const rows = await db
        .update(welcomes)
        .set({ status: 'failed', reason: NOT_SENT_IN_TIME, welcomeCode: null })
        .where(and(eq(welcomes.status, 'pending'), lt(welcomes.eventAt, cutoff)))
        .returning({ id: welcomes.id });
      return rows.map((r) => r.id);
    },

    /** Ids of welcomes still pending (their code not yet expired), oldest first. */
    async pendingWelcomeIds(db: Db, limit: number): Promise<number[]> {
      const rows = await db
        .select({ id: welcomes.id })
        .from(welcomes)
        .where(eq(welcomes.status, 'pending'))
        .orderBy(asc(welcomes.eventAt))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    /** Welcomes, newest first (for ops and tests). */
    async listWelcomes(db: Db, limit: number) {
      return db.select().from(welcomes).orderBy(desc(welcomes.id)).limit(limit);
    },

    /**
     * A client's tier and owner RM, not scoped: the bot answers whoever writes to it and hands off to the
     * client's own RM. Undefined for a client Helix does not know.
     */
    async clientTierAndOwner(
      db: Db | Tx,
      externalUserid: string,
    ): Promise<{ tier: string | null; rm: string | null } | undefined> {
      const [client] = await queryRows<{ tier: string | null; rm: string | null }>(
        db,
        sql`SELECT tier, owner_rm AS rm FROM clients WHERE external_userid = ${externalUserid}`,
      );
      return client;
    },
  };
}
