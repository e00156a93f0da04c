import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { channelInScope } from './scope-filters.repository.ts';

// The contacts module's SQL on clients and channels that channel economics (AAC, LROI, 渠道画像) embeds:
// subqueries to select from, never the tables themselves, so the columns other modules see stay here.

/**
 * A subquery of the clients acquired through a channel in [from, to): `external_userid`, `channel_id`,
 * `acquired_at`, `activated_at`, `tier`, `risk_level`, `tags`, `birthday`, and `still_contact` (the
 * client has not removed, nor been removed by, their RM). Clients with no channel are left out.
 */
export function clientsAcquiredBetween(from: Date, to: Date): SQL {
  return sql`(SELECT cc.external_userid, cc.channel_id, cc.acquired_at, cc.activated_at, cc.tier,
                     cc.risk_level, cc.tags, cc.birthday, (cc.status = 'active') AS still_contact
              FROM clients cc
              WHERE cc.channel_id IS NOT NULL
                AND cc.acquired_at >= ${from.toISOString()}::timestamptz
                AND cc.acquired_at < ${to.toISOString()}::timestamptz)`;
}

/**
 * A subquery of the lump-sum cost entered when each channel was created (`channels.cost`), as
 * `channel_id`, `month` (the first of its creation month, local in `timeZone`) and `cost`; channels
 * whose lump sum is zero are left out.
 */
export function channelCreationCosts(timeZone: string): SQL {
  return sql`(SELECT ch.id AS channel_id,
                     date_trunc('month', ch.created_at AT TIME ZONE ${timeZone})::date AS month,
                     ch.cost
              FROM channels ch WHERE ch.cost > 0)`;
}

/** A subquery of the channels within `scope`: `id`, `name`, `archived_at`. */
export function channelsInScope(scope: Scope): SQL {
  return sql`(SELECT chs.id, chs.name, chs.archived_at FROM channels chs
              WHERE ${channelInScope(scope, sql`chs.rm_userids`)})`;
}

/** Which of `ids` name no client Helix knows. */
export async function unknownClients(db: Db | Tx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT u.id FROM unnest(${sql.param(ids)}::text[]) AS u(id)
        WHERE NOT EXISTS (SELECT 1 FROM clients c WHERE c.external_userid = u.id)`,
  );
  return rows.map((r) => r.id);
}
