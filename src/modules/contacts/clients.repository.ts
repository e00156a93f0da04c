import { sql } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/tokens.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';

/** The API's view of a client, as the lookups select it. */
export type ClientView = {
  externalUserid: string;
  name: string | null;
  aumBand: string | null;
  riskLevel: string | null;
  tags: string[];
  ownerRm: string | null;
  branch: string | null;
  channelId: string | null;
  status: string;
  tier: string | null;
  tierSince: string | null;
  acquiredAt: string | null;
};

const select = sql`SELECT c.external_userid AS "externalUserid", c.name, c.aum_band AS "aumBand",
                          c.risk_level AS "riskLevel", c.tags, c.owner_rm AS "ownerRm", r.branch,
                          c.channel_id AS "channelId", c.status, c.tier, c.tier_since AS "tierSince",
                          c.acquired_at AS "acquiredAt"
                   FROM clients c LEFT JOIN rms r ON r.userid = c.owner_rm`;

/**
 * Who may see which clients: an RM only their own (the token's name is their WeCom userid), ops only
 * their branch when the token has a branch scope, admin everything.
 */
function scopeFilter(p: Principal) {
  if (p.role === 'rm') return sql`c.owner_rm = ${p.name}`;
  if (p.role === 'ops' && p.branchScope) return sql`r.branch = ${p.branchScope}`;
  return sql`TRUE`;
}

/** Scoped client lookups for the API. */
export type ClientsRepository = ReturnType<typeof createClientsRepository>;

/** Creates the client lookup repository. */
export function createClientsRepository() {
  return {
    /** Clients in the principal's scope, by id, after `after`; `limit` rows at most. */
    list(
      db: Db,
      p: Principal,
      q: { channel?: string; tier?: string; after?: string; limit: number },
    ): Promise<ClientView[]> {
      return queryRows<ClientView>(
        db,
        sql`${select} WHERE ${scopeFilter(p)}
            ${q.channel ? sql`AND c.channel_id = ${q.channel}` : sql``}
            ${q.tier ? sql`AND c.tier = ${q.tier}` : sql``}
            ${q.after === undefined ? sql`` : sql`AND c.external_userid > ${q.after}`}
            ORDER BY c.external_userid LIMIT ${q.limit}`,
      );
    },

    /** One client, if it is in the principal's scope. */
    async find(db: Db, p: Principal, id: string): Promise<ClientView | undefined> {
      const [row] = await queryRows<ClientView>(
        db,
        sql`${select} WHERE c.external_userid = ${id} AND ${scopeFilter(p)}`,
      );
      return row;
    },
  };
}
