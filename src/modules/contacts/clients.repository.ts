import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { rmInScope } from './scope.sql.ts';

/** The API's view of a client, with the branch of its owner RM. */
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

/** Client lookups for the API, always within a scope (an RM's own clients, a branch's, or all). */
export type ClientsRepository = ReturnType<typeof createClientsRepository>;

/** Creates the client lookup repository. */
export function createClientsRepository() {
  return {
    /** Clients within `scope`, by id, after `after`, optionally of one channel or tier; `limit` rows at most. */
    list(
      db: Db,
      scope: Scope,
      q: { channel?: string; tier?: string; after?: string; limit: number },
    ): Promise<ClientView[]> {
      return queryRows<ClientView>(
        db,
        sql`${select} WHERE ${rmInScope(scope, sql`c.owner_rm`)}
            ${q.channel ? sql`AND c.channel_id = ${q.channel}` : sql``}
            ${q.tier ? sql`AND c.tier = ${q.tier}` : sql``}
            ${q.after === undefined ? sql`` : sql`AND c.external_userid > ${q.after}`}
            ORDER BY c.external_userid LIMIT ${q.limit}`,
      );
    },

    /** One client, or undefined when it does not exist or is outside `scope`. */
    async find(db: Db, scope: Scope, id: string): Promise<ClientView | undefined> {
      const [row] = await queryRows<ClientView>(
        db,
        sql`${select} WHERE c.external_userid = ${id} AND ${rmInScope(scope, sql`c.owner_rm`)}`,
      );
      return row;
    },
  };
}
