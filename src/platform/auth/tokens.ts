import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AuditRepository } from '../../modules/audit/audit.repository.ts';
import type { Db } from '../db/client.ts';
import { apiTokens, type Role } from '../db/schema.ts';

/** Who is calling the admin API. */
export type Principal = { tokenId: string; name: string; role: Role; branchScope: string | null };

/** Issues and checks admin API tokens. */
export type TokenService = ReturnType<typeof createTokenService>;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const TOKEN_FORMAT = /^hx_[A-Za-z0-9_-]{43}$/;

/**
 * Tokens are 32 random bytes (`hx_` + base64url). Only their SHA-256 is stored: with that much entropy a
 * fast hash is enough, and it lets us look a token up by its hash in one indexed query.
 */
export function createTokenService(deps: { db: Db; audit: AuditRepository }) {
  const { db, audit } = deps;
  return {
    /** Creates a token and returns its secret, which is never stored and cannot be shown again. */
    async create(input: { name: string; role: Role; branchScope?: string | null; actor: string }) {
      const secret = `hx_${randomBytes(32).toString('base64url')}`;
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(apiTokens)
          .values({
            name: input.name,
            role: input.role,
            branchScope: input.branchScope ?? null,
            tokenHash: hash(secret),
            tokenPrefix: secret.slice(0, 8),
          })
          .returning({ id: apiTokens.id });
        if (!row) throw new Error('token insert returned no row');
        await audit.append(tx, {
          actor: input.actor,
          action: 'api_token.create',
          targetType: 'api_token',
          targetId: row.id,
          details: { name: input.name, role: input.role, branchScope: input.branchScope ?? null },
        });
        return { id: row.id, secret };
      });
    },

    /** The principal for a presented secret, or null when it is malformed, unknown or revoked. */
    async authenticate(secret: string): Promise<Principal | null> {
      if (!TOKEN_FORMAT.test(secret)) return null;
      const rows = await db
        .update(apiTokens)
        .set({ lastUsedAt: sql`now()` })
        .where(and(eq(apiTokens.tokenHash, hash(secret)), isNull(apiTokens.revokedAt)))
        .returning();
      const row = rows[0];
      return row ? { tokenId: row.id, name: row.name, role: row.role, branchScope: row.branchScope } : null;
    },

    /** Revokes a token; returns false when there was no such active token. */
    async revoke(id: string, actor: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(apiTokens)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
          .returning({ id: apiTokens.id });
        if (rows.length === 0) return false;
        await audit.append(tx, { actor, action: 'api_token.revoke', targetType: 'api_token', targetId: id });
        return true;
      });
    },

    async list() {
      return db
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          role: apiTokens.role,
          branchScope: apiTokens.branchScope,
          tokenPrefix: apiTokens.tokenPrefix,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .orderBy(apiTokens.createdAt);
    },
  };
}
