import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { apiTokens, type Role } from '../db/schema.ts';

/** The SQL behind API tokens: the only code that reads or writes `api_tokens`. */
export type TokensRepository = ReturnType<typeof createTokensRepository>;

/** Creates the tokens repository. */
export function createTokensRepository() {
  return {
    /** Stores a new token (its hash only) and returns its id. */
    async insert(
      tx: Db | Tx,
      t: {
        name: string;
        role: Role;
        branchScope: string | null;
        tokenHash: string;
        tokenPrefix: string;
        expiresAt: Date | null;
      },
    ): Promise<{ id: string }> {
      const [row] = await tx.insert(apiTokens).values(t).returning({ id: apiTokens.id });
      if (!row) throw new Error('token insert returned no row');
      return row;
    },

    /** The unrevoked token with this hash, if any. */
    async findActiveByHash(db: Db | Tx, tokenHash: string) {
      const [row] = await db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
      return row;
    },

    /** Records use at `now` unless it was recorded after `stale`; replicas racing on one token write once. */
    async touchLastUsed(db: Db | Tx, id: string, now: Date, stale: Date): Promise<void> {
      await db
        .update(apiTokens)
        .set({ lastUsedAt: now })
        .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
    },

    /** Revokes an active token; false when there was none. */
    async revoke(tx: Db | Tx, id: string): Promise<boolean> {
      const rows = await tx
        .update(apiTokens)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.length > 0;
    },

    /** Every token, oldest first; never a secret or hash. */
    list: (db: Db | Tx) =>
      db
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          role: apiTokens.role,
          branchScope: apiTokens.branchScope,
          tokenPrefix: apiTokens.tokenPrefix,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          expiresAt: apiTokens.expiresAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .orderBy(apiTokens.createdAt),
  };
}
