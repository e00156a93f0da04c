import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../platform/db/client.ts';

/** A routing move to record: an invitation to join, or a request to leave, a group key. */
export type RoutingMove = {
  externalUserid: string;
  groupKey: string;
  kind: 'join' | 'leave';
  rmUserid: string | null;
  explanation: unknown;
};

const param = (xs: unknown[]) => sql.param(xs);

/** SQL tier routing runs on groups, memberships and routing moves, in its caller's transaction. */
export type RoutingRepository = ReturnType<typeof createRoutingRepository>;

/** Creates the routing repository. */
export function createRoutingRepository() {
  return {
    /**
     * For each of `ids`, the group keys it is in or has a pending invitation to join. Clients with
     * neither are left out of the map.
     */
    async groupKeysOf(tx: Tx, ids: string[]): Promise<Map<string, string[]>> {
      const rows = await queryRows<{ id: string; keys: string[] }>(
        tx,
        sql`SELECT id, array_agg(key) AS keys FROM (
              SELECT m.member_id AS id, g.group_key AS key
              FROM group_memberships m JOIN community_groups g ON g.chat_id = m.chat_id
              WHERE m.member_id = ANY(${param(ids)}::text[]) AND m.left_at IS NULL AND g.group_key IS NOT NULL
              UNION
              SELECT i.external_userid, i.group_key FROM group_invitations i
              WHERE i.external_userid = ANY(${param(ids)}::text[]) AND i.kind = 'join' AND i.status = 'pending'
            ) AS k GROUP BY id`,
      );
      return new Map(rows.map((r) => [r.id, r.keys]));
    },

    /** For each of `ids`, the circles it is invited to (not revoked). Clients with none are left out. */
    async invitedCirclesOf(tx: Tx, ids: string[]): Promise<Map<string, string[]>> {
      const rows = await queryRows<{ id: string; circles: string[] }>(
        tx,
        sql`SELECT external_userid AS id, array_agg(circle_id ORDER BY circle_id) AS circles FROM circle_invites
            WHERE external_userid = ANY(${param(ids)}::text[]) AND status <> 'revoked' GROUP BY external_userid`,
      );
      return new Map(rows.map((r) => [r.id, r.circles]));
    },

    /** Cancels the pending join invitations to these (client, group key) pairs. */
    async cancelPendingJoins(tx: Tx, pairs: { externalUserid: string; groupKey: string }[]): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE group_invitations i SET status = 'cancelled'
            FROM unnest(${param(pairs.map((p) => p.externalUserid))}::text[], ${param(pairs.map((p) => p.groupKey))}::text[]) AS u(id, key)
            WHERE i.external_userid = u.id AND i.group_key = u.key AND i.kind = 'join' AND i.status = 'pending'`,
      );
    },

    /**
     * Records each move as a pending invitation; a leave names the group the client is in under that key.
     * A move already pending is not duplicated.
     */
    async addPendingMoves(tx: Tx, moves: RoutingMove[]): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO group_invitations (external_userid, group_key, kind, rm_userid, explanation, chat_id)
            SELECT u.id, u.key, u.kind, u.rm, u.why::jsonb,
                   CASE WHEN u.kind = 'leave' THEN (
                     SELECT m.chat_id FROM group_memberships m JOIN community_groups g ON g.chat_id = m.chat_id
                     WHERE m.member_id = u.id AND m.left_at IS NULL AND g.group_key = u.key LIMIT 1) END
            FROM unnest(${param(moves.map((m) => m.externalUserid))}::text[], ${param(moves.map((m) => m.groupKey))}::text[],
                        ${param(moves.map((m) => m.kind))}::text[], ${param(moves.map((m) => m.rmUserid))}::text[],
                        ${param(moves.map((m) => JSON.stringify(m.explanation)))}::text[]) AS u(id, key, kind, rm, why)
            ON CONFLICT (external_userid, group_key, kind) WHERE status = 'pending' DO NOTHING`,
      );
    },
  };
}
