import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { type Role, webSessions } from '../db/schema.ts';

/** The SQL behind console sessions: the only code that reads or writes `web_sessions`. */
export type SessionsRepository = ReturnType<typeof createSessionsRepository>;

/** Creates the sessions repository. */
export function createSessionsRepository() {
  return {
    /** Stores a new session (its secret's hash only) and returns its id. */
    async insert(
      tx: Db | Tx,
      s: {
        sessionHash: string;
        csrfToken: string;
        userid: string;
        role: Role;
        branchScope: string | null;
        expiresAt: Date;
      },
    ): Promise<{ id: string }> {
      const [row] = await tx.insert(webSessions).values(s).returning({ id: webSessions.id });
      if (!row) throw new Error('session insert returned no row');
      return row;
    },

    /** The unrevoked session with this hash, if any (expired ones included: the caller says why it ended). */
    async findActiveByHash(db: Db | Tx, sessionHash: string) {
      const [row] = await db
        .select()
        .from(webSessions)
        .where(and(eq(webSessions.sessionHash, sessionHash), isNull(webSessions.revokedAt)));
      return row;
    },

    /** Ends a session; false when it was already ended or unknown. */
    async revokeByHash(tx: Db | Tx, sessionHash: string): Promise<boolean> {
      const rows = await tx
        .update(webSessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(webSessions.sessionHash, sessionHash), isNull(webSessions.revokedAt)))
        .returning({ id: webSessions.id });
      return rows.length > 0;
    },

    /** Ends every open session of a WeCom user (their access was withdrawn); returns how many. */
    async revokeUser(tx: Db | Tx, userid: string): Promise<number> {
      const rows = await tx
        .update(webSessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(webSessions.userid, userid), isNull(webSessions.revokedAt)))
        .returning({ id: webSessions.id });
      return rows.length;
    },
  };
}
