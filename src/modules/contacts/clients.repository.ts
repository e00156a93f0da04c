import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { containsPattern } from '../../platform/db/like-pattern.ts';
import { rmInScope } from './scope-filters.repository.ts';

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

/** A client's profile and tier state as tier routing reads them. */
export type ClientTierState = {
  externalUserid: string;
  aumBand: string | null;
  engagementScore: number | null;
  tags: string[];
  ownerRm: string | null;
  tier: string | null;
  tierSince: Date | null;
  pendingDowngradeTo: string | null;
  pendingDowngradeSince: Date | null;
};

/** A client's tier state as tier routing decided it. */
export type TierUpdate = {
  externalUserid: string;
  tier: string;
  tierSince: Date;
  pendingDowngradeTo: string | null;
  pendingDowngradeSince: Date | null;
};

const param = (xs: unknown[]) => sql.param(xs);

/**
 * Client lookups for the API, always within a scope (an RM's own clients, a branch's, or all), and the
 * tier state the communities module's routing reads and writes inside its caller's transaction.
 */
export type ClientsRepository = ReturnType<typeof createClientsRepository>;

/** Creates the client lookup repository. */
export function createClientsRepository() {
  return {
    /**
     * Clients within `scope`, by id, after `after`, optionally of one channel, tier or owner RM and matching
     * `search`; `limit` rows at most.
     *
     * `search` is a case-insensitive substring of the name or the external userid, its `%`, `_` and `\`
     * matching themselves. What it costs: a pattern with a leading `%` cannot use a B-tree index, so the
     * search is a filter on the rows the other conditions leave, read in primary-key order until the page
     * is full. An RM's search reads only their own clients (clients_owner_rm_idx), and a common fragment
     * fills a page early; a rare one in an admin's or a branch's search reads up to every client. A
     * pg_trgm GIN index on both columns would make it an index scan, should that grow too slow.
     */
    list(
      db: Db,
      scope: Scope,
      q: {
        channel?: string;
        tier?: string;
        ownerRm?: string;
        search?: string;
        after?: string;
        limit: number;
      },
    ): Promise<ClientView[]> {
      const pattern = q.search === undefined ? undefined : containsPattern(q.search);
      return queryRows<ClientView>(
        db,
        sql`${select} WHERE ${rmInScope(scope, sql`c.owner_rm`)}
            ${q.channel ? sql`AND c.channel_id = ${q.channel}` : sql``}
            ${q.tier ? sql`AND c.tier = ${q.tier}` : sql``}
            ${q.ownerRm ? sql`AND c.owner_rm = ${q.ownerRm}` : sql``}
            ${
              pattern === undefined
                ? sql``
                : sql`AND (c.name ILIKE ${pattern} ESCAPE '\\' OR c.external_userid ILIKE ${pattern} ESCAPE '\\')`
            }
            ${q.after === undefined ? sql`` : sql`AND c.external_userid > ${q.after}`}
            ORDER BY c.external_userid LIMIT ${q.limit}`,
      );
    },

    /** Profile and tier state of the clients `ids` names; unknown ids are left out. */
    async tierStates(tx: Tx, ids: string[]): Promise<ClientTierState[]> {
      // Raw rows carry timestamps as text; routing works with Dates.
      const toDate = (v: Date | string | null) => (v === null ? null : new Date(v));
      const rows = await queryRows<ClientTierState>(
        tx,
        sql`SELECT c.external_userid AS "externalUserid", c.aum_band AS "aumBand",
                   c.engagement_score AS "engagementScore", c.tags, c.owner_rm AS "ownerRm", c.tier,
                   c.tier_since AS "tierSince", c.pending_downgrade_to AS "pendingDowngradeTo",
                   c.pending_downgrade_since AS "pendingDowngradeSince"
            FROM clients c WHERE c.external_userid = ANY(${param(ids)}::text[])`,
      );
      return rows.map((r) => ({
        ...r,
        tierSince: toDate(r.tierSince),
        pendingDowngradeSince: toDate(r.pendingDowngradeSince),
      }));
    },

    /** Writes each client's tier, tier start and pending downgrade in one statement. */
    async writeTierStates(tx: Tx, us: TierUpdate[]): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE clients c SET tier = u.tier, tier_since = u.since, pending_downgrade_to = u.pto,
                                 pending_downgrade_since = u.psince, updated_at = now()
            FROM unnest(${param(us.map((u) => u.externalUserid))}::text[], ${param(us.map((u) => u.tier))}::text[],
                        ${param(us.map((u) => u.tierSince.toISOString()))}::timestamptz[],
                        ${param(us.map((u) => u.pendingDowngradeTo))}::text[],
                        ${param(us.map((u) => u.pendingDowngradeSince?.toISOString() ?? null))}::timestamptz[])
                 AS u(id, tier, since, pto, psince)
            WHERE c.external_userid = u.id`,
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
