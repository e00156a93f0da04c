import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { invalidInput } from '../../platform/http/validate.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ClientsRepository } from '../contacts/clients.repository.ts';
import type { CircleInvite, CircleInvitesRepository } from './circle-invites.repository.ts';
import type { CommunitiesRepository } from './communities.repository.ts';
import type { RoutingRepository } from './routing.repository.ts';

/** Who asked, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** Invitations to invitation-only circles. */
export type CircleInvitesService = ReturnType<typeof createCircleInvitesService>;

/**
 * Creates the circle invitations service. Ops, or the client's own RM, invite a client by circle id; the
 * invitation is recorded, the client is routed again at once (so the router's targets now include the
 * circle and the RM gets the join task), and the answer carries the circle group's join link. A circle
 * no group serves yet is refused before anything is written.
 */
export function createCircleInvitesService(deps: {
  db: Db;
  repo: CircleInvitesRepository;
  /** The circle ids the tier policy defines. */
  circleIds: () => ReadonlySet<string>;
  clients: Pick<ClientsRepository, 'find'>;
  groups: Pick<CommunitiesRepository, 'joinLinkFor'>;
  moves: Pick<RoutingRepository, 'cancelPendingJoins'>;
  /** Routes these clients again in the caller's transaction (the routing service's `routeClients`). */
  route: (tx: Tx, ids: string[], now: Date) => Promise<unknown>;
  audit: AuditRepository;
  clock: Clock;
}) {
  function requireCircle(circleId: string): void {
    const ids = deps.circleIds();
    if (ids.has(circleId)) return;
    throw invalidInput(
      [
        {
          en: `id: unknown circle "${circleId}"; one of ${[...ids].join(', ')}`,
          zh: `id: 未知的圈子“${circleId}”；可选：${[...ids].join('、')}`,
        },
      ],
      'path',
    );
  }

  async function requireClient(scope: Scope, id: string): Promise<void> {
    if (!(await deps.clients.find(deps.db, scope, id))) {
      throw new AppError('not_found', { message: `no client ${id}`, zh: `没有客户 ${id}。` });
    }
  }

  return {
    /** Invites a client to a circle; returns the invitation and the circle group's join link. */
    async invite(
      scope: Scope,
      circleId: string,
      externalUserid: string,
      actor: Actor,
    ): Promise<{ invite: CircleInvite; joinLink: string }> {
      requireCircle(circleId);
      await requireClient(scope, externalUserid);
      const joinLink = await deps.groups.joinLinkFor(deps.db, circleId);
      if (!joinLink) {
        throw new AppError('conflict', {
          message: `no group for this circle: register an active group with groupKey "${circleId}" first`,
          zh: `该圈子还没有客户群：请先登记群组键为“${circleId}”的客户群。`,
        });
      }
      const invite = await deps.db.transaction(async (tx) => {
        const now = deps.clock.now();
        const row = await deps.repo.invite(tx, { circleId, externalUserid, invitedBy: actor.name, at: now });
        await deps.route(tx, [externalUserid], now);
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'circle.invite',
          targetType: 'client',
          targetId: externalUserid,
          details: { circleId },
          requestId: actor.requestId,
        });
        return row;
      });
      return { invite, joinLink };
    },

    /** Revokes a client's invitation and cancels their pending join task; 404 when there is none. */
    async revoke(
      scope: Scope,
      circleId: string,
      externalUserid: string,
      actor: Actor,
    ): Promise<CircleInvite> {
      requireCircle(circleId);
      await requireClient(scope, externalUserid);
      return deps.db.transaction(async (tx) => {
        const row = await deps.repo.revoke(tx, { circleId, externalUserid, at: deps.clock.now() });
        if (!row) {
          throw new AppError('not_found', {
            message: `no invitation of ${externalUserid} to ${circleId}`,
            zh: `客户 ${externalUserid} 没有“${circleId}”的有效邀请。`,
          });
        }
        await deps.moves.cancelPendingJoins(tx, [{ externalUserid, groupKey: circleId }]);
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'circle.revoke',
          targetType: 'client',
          targetId: externalUserid,
          details: { circleId },
          requestId: actor.requestId,
        });
        return row;
      });
    },

    /** A circle's invitations within `scope`, newest first. */
    list(scope: Scope, circleId: string, limit: number): Promise<CircleInvite[]> {
      requireCircle(circleId);
      return deps.repo.list(deps.db, scope, circleId, limit);
    },
  };
}
