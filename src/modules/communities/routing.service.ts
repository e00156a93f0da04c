import type { Tx } from '../../platform/db/client.ts';
import type { ClientsRepository } from '../contacts/clients.repository.ts';
import type { RoutingMove, RoutingRepository } from './routing.repository.ts';
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

/**
 * Routes clients already in PostgreSQL, inside the caller's transaction: reads their profile, tier state and
 * groups, decides with the pure router, then writes tier changes and one pending invitation (or leave
 * request) per move, each carrying its explanation. Pending invitations are never duplicated. The tier
 * state lives on `clients`, which the contacts module owns, so it is read and written through its repository.
 */
export function createRoutingService(deps: {
  policy: () => CompiledPolicy;
  clients: Pick<ClientsRepository, 'tierStates' | 'writeTierStates'>;
  moves: RoutingRepository;
}) {
  async function load(tx: Tx, ids: string[]): Promise<Loaded[]> {
    // One after the other: a transaction is one connection, which runs one query at a time anyway.
    const clients = await deps.clients.tierStates(tx, ids);
    const keys = await deps.moves.groupKeysOf(tx, ids);
    const circles = await deps.moves.invitedCirclesOf(tx, ids);
    return clients.map((c) => ({
      ...c,
      groupKeys: keys.get(c.externalUserid) ?? [],
      invitedCircles: circles.get(c.externalUserid) ?? [],
    }));
  }

  async function write(tx: Tx, decided: { d: RoutingDecision; rm: string | null }[]): Promise<void> {
    await deps.clients.writeTierStates(
      tx,
      decided.map((x) => x.d),
    );
    const moves: RoutingMove[] = decided.flatMap(({ d, rm }) => [
      ...d.joins.map((groupKey) => move(d, groupKey, 'join', rm)),
      ...d.leaves.map((groupKey) => move(d, groupKey, 'leave', rm)),
    ]);
    if (moves.length === 0) return;
    // A tier change makes pending invitations to the old tier's groups moot.
    const leaving = moves.filter((m) => m.kind === 'leave');
    if (leaving.length > 0) await deps.moves.cancelPendingJoins(tx, leaving);
    await deps.moves.addPendingMoves(tx, moves);
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

const move = (
  d: RoutingDecision,
  groupKey: string,
  kind: 'join' | 'leave',
  rm: string | null,
): RoutingMove => ({
  externalUserid: d.externalUserid,
  groupKey,
  kind,
  rmUserid: rm,
  explanation: d.explanations,
});

/** The routing service. */
export type RoutingService = ReturnType<typeof createRoutingService>;
