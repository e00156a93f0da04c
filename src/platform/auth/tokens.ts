import { createHash, randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.ts';
import type { Db, Tx } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { createTokensRepository } from './tokens.repository.ts';

/**
 * Where token changes are audited. The audit module provides it; platform code names only the shape it
 * needs, so it does not import a module above it.
 */
export type TokenAudit = {
  append(
    tx: Tx,
    entry: {
      actor: string;
      action: string;
      targetType: string;
      targetId: string;
      details?: Record<string, unknown>;
    },
  ): Promise<void>;
};

/** Who is calling the admin API. */
export type Principal = { tokenId: string; name: string; role: Role; branchScope: string | null };

/** What checking a presented secret gives: the principal, or why there is none. */
export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: 'invalid' | 'expired' };

/** Issues and checks admin API tokens. */
export type TokenService = ReturnType<typeof createTokenService>;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const TOKEN_FORMAT = /^hx_[A-Za-z0-9_-]{43}$/;
/** last_used_at is approximate to this much, so a busy token costs one write a minute, not one a request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Tokens are 32 random bytes (`hx_` + base64url). Only their SHA-256 is stored: with that much entropy a
 * fast hash is enough, and it lets us look a token up by its hash in one indexed query.
 */
export function createTokenService(deps: { db: Db; audit: TokenAudit; clock?: Clock }) {
  // The clock is optional because most callers (the CLI, test factories) only create tokens.
  const { db, audit, clock = systemClock } = deps;
  const repo = createTokensRepository();
  return {
    /** Creates a token and returns its secret, which is never stored and cannot be shown again. */
    async create(input: {
      name: string;
      role: Role;
      branchScope?: string | null;
      /** When the token stops working; null or absent: never. */
      expiresAt?: Date | null;
      actor: string;
    }) {
      const secret = `hx_${randomBytes(32).toString('base64url')}`;
      return db.transaction(async (tx) => {
        const row = await repo.insert(tx, {
          name: input.name,
          role: input.role,
          branchScope: input.branchScope ?? null,
          tokenHash: hash(secret),
          tokenPrefix: secret.slice(0, 8),
          expiresAt: input.expiresAt ?? null,
        });
        await audit.append(tx, {
          actor: input.actor,
          action: 'api_token.create',
          targetType: 'api_token',
          targetId: row.id,
          details: {
            name: input.name,
            role: input.role,
            branchScope: input.branchScope ?? null,
            expiresAt: input.expiresAt?.toISOString() ?? null,
          },
        });
        return { id: row.id, secret };
      });
    },

    /** The principal for a presented secret; `invalid` if malformed, unknown or revoked, `expired` if past expiry. */
    async authenticate(secret: string): Promise<AuthResult> {
      if (!TOKEN_FORMAT.test(secret)) return { ok: false, reason: 'invalid' };
      const row = await repo.findActiveByHash(db, hash(secret));
      if (!row) return { ok: false, reason: 'invalid' };
      const now = clock.now();
      if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
      const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      if (!row.lastUsedAt || row.lastUsedAt < stale) {
        await repo.touchLastUsed(db, row.id, now, stale);
      }
      return {
        ok: true,
        principal: { tokenId: row.id, name: row.name, role: row.role, branchScope: row.branchScope },
      };
    },

    /** Revokes a token; returns false when there was no such active token. */
    async revoke(id: string, actor: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        if (!(await repo.revoke(tx, id))) return false;
        await audit.append(tx, { actor, action: 'api_token.revoke', targetType: 'api_token', targetId: id });
        return true;
      });
    },

    /** Every token, oldest first, with its expiry and approximate last use; never a secret or hash. */
    list: () => repo.list(db),
  };
}
