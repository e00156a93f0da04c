import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../platform/db/client.ts';
import type { CompiledPolicy } from './routing-policy.ts';
import { type RoutingDecision, type RoutingProfile, type RoutingState, routeClient } from './tier-router.ts';

/** What one routing run changed, for the import report and the RMs' task notices. */
export type RoutingSummary = {
  routed: number;
  placed: number;
  upgraded: number;
  downgraded: number;
  downgradesPending: number;
  invitations: number;
  leaveRequests: number;
  /** RM userid → how many new invitations and leave requests they have to act on. */
  tasksByRm: Record<string, number>;
};

type Loaded = RoutingProfile & RoutingState & { ownerRm: string | null };

const CHUNK = 5000;
const param = (xs: unknown[]) => sql.param(xs);

/**
 * Routes clients already in PostgreSQL, inside the caller's transaction: reads their profile, tier state and
 * groups, decides with the pure router, then writes tier changes and one pending invitation (or leave
 * request) per move, each carrying its explanation. Pending invitations are never duplicated.
 */
export function createRoutingService(deps: { policy: () => CompiledPolicy }) {
  async function load(tx: Tx, ids: string[]): Promise<Loaded[]> {
    // Raw rows carry timestamps as text; the router works with Dates.
    const toDate = (v: Date | string | null) => (v === null ? null : new Date(v));
    const rows = await queryRows<Loaded>(
      tx,
      sql`SELECT c.external_userid AS "externalUserid", c.aum_band AS "aumBand",
                 c.engagement_score AS "engagementScore", c.tags, c.owner_rm AS "ownerRm", c.tier,
                 c.tier_since AS "tierSince", c.pending_downgrade_to AS "pendingDowngradeTo",
                 c.pending_downgrade_since AS "pendingDowngradeSince",
                 ARRAY(SELECT g.group_key FROM group_memberships m JOIN community_groups g ON g.chat_id = m.chat_id
                       WHERE m.member_id = c.external_userid AND m.left_at IS NULL AND g.group_key IS NOT NULL
                       UNION
                       SELECT i.group_key FROM group_invitations i
                       WHERE i.external_userid = c.external_userid AND i.kind = 'join' AND i.status = 'pending')
                   AS "groupKeys"
          FROM clients c WHERE c.external_userid = ANY(${param(ids)}::text[])`,
    );
    return rows.map((r) => ({
      ...r,
      tierSince: toDate(r.tierSince),
      pendingDowngradeSince: toDate(r.pendingDowngradeSince),
    }));
  }

  async function write(tx: Tx, decided: { d: RoutingDecision; rm: string | null }[]): Promise<void> {
    const ds = decided.map((x) => x.d);
    await queryRows(
      tx,
      sql`UPDATE clients c SET tier = u.tier, tier_since = u.since, pending_downgrade_to = u.pto,
                               pending_downgrade_since = u.psince, updated_at = now()
          FROM unnest(${param(ds.map((d) => d.externalUserid))}::text[], ${param(ds.map((d) => d.tier))}::text[],
                      ${param(ds.map((d) => d.tierSince.toISOString()))}::timestamptz[],
                      ${param(ds.map((d) => d.pendingDowngradeTo))}::text[],
                      ${param(ds.map((d) => d.pendingDowngradeSince?.toISOString() ?? null))}::timestamptz[])
               AS u(id, tier, since, pto, psince)
          WHERE c.external_userid = u.id`,
    );
    const moves = decided.flatMap(({ d, rm }) => [
      ...d.joins.map((key) => ({ id: d.externalUserid, key, kind: 'join', rm, why: d.explanations })),
      ...d.leaves.map((key) => ({ id: d.externalUserid, key, kind: 'leave', rm, why: d.explanations })),
    ]);
    if (moves.length === 0) return;
    // A tier change makes pending invitations to the old tier's groups moot.
    const leaving = moves.filter((m) => m.kind === 'leave');
    if (leaving.length > 0) {
      await queryRows(
        tx,
        sql`UPDATE group_invitations i SET status = 'cancelled'
            FROM unnest(${param(leaving.map((m) => m.id))}::text[], ${param(leaving.map((m) => m.key))}::text[]) AS u(id, key)
            WHERE i.external_userid = u.id AND i.group_key = u.key AND i.kind = 'join' AND i.status = 'pending'`,
      );
    }
    await queryRows(
      tx,
      sql`INSERT INTO group_invitations (external_userid, group_key, kind, rm_userid, explanation, chat_id)
          SELECT u.id, u.key, u.kind, u.rm, u.why::jsonb,
                 CASE WHEN u.kind = 'leave' THEN (
                   SELECT m.chat_id FROM group_memberships m JOIN community_groups g ON g.chat_id = m.chat_id
                   WHERE m.member_id = u.id AND m.left_at IS NULL AND g.group_key = u.key LIMIT 1) END
          FROM unnest(${param(moves.map((m) => m.id))}::text[], ${param(moves.map((m) => m.key))}::text[],
                      ${param(moves.map((m) => m.kind))}::text[], ${param(moves.map((m) => m.rm))}::text[],
                      ${param(moves.map((m) => JSON.stringify(m.why)))}::text[]) AS u(id, key, kind, rm, why)
          ON CONFLICT (external_userid, group_key, kind) WHERE status = 'pending' DO NOTHING`,
    );
  }

  return {
    /** Routes the given clients at `now` and writes the outcome; returns what changed. */
    async routeClients(tx: Tx, ids: string[], now: Date): Promise<RoutingSummary> {
      const policy = deps.policy();
      const summary: RoutingSummary = {
        routed: 0,
        placed: 0,
        upgraded: 0,
        downgraded: 0,
        downgradesPending: 0,
        invitations: 0,
        leaveRequests: 0,
        tasksByRm: {},
      };
      for (let i = 0; i < ids.length; i += CHUNK) {
        const loaded = await load(tx, ids.slice(i, i + CHUNK));
        const decided = loaded.map((c) => ({ d: routeClient(c, c, policy, now), rm: c.ownerRm }));
        await write(tx, decided);
        for (const { d, rm } of decided) {
          summary.routed++;
          if (d.change === 'new') summary.placed++;
          if (d.change === 'up') summary.upgraded++;
          if (d.change === 'down') summary.downgraded++;
          if (d.pendingDowngradeTo) summary.downgradesPending++;
          summary.invitations += d.joins.length;
          summary.leaveRequests += d.leaves.length;
          const tasks = d.joins.length + d.leaves.length;
          if (rm && tasks > 0) summary.tasksByRm[rm] = (summary.tasksByRm[rm] ?? 0) + tasks;
        }
      }
      return summary;
    },

    /** Decides without writing anything: the "where would these clients go?" preview. */
    preview(profiles: (RoutingProfile & Partial<RoutingState>)[], now: Date): RoutingDecision[] {
      const policy = deps.policy();
      return profiles.map((p) =>
        routeClient(
          p,
          {
            tier: p.tier ?? null,
            tierSince: p.tierSince ?? null,
            pendingDowngradeTo: p.pendingDowngradeTo ?? null,
            pendingDowngradeSince: p.pendingDowngradeSince ?? null,
            groupKeys: p.groupKeys ?? [],
          },
          policy,
          now,
        ),
      );
    },
  };
}

/** The routing service. */
export type RoutingService = ReturnType<typeof createRoutingService>;
