import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { CircleInvite } from './circle-invites.repository.ts';
import type { CircleInvitesService } from './circle-invites.service.ts';

const circlePath = z.object({ id: z.string().min(1).max(32) });
const invitePath = circlePath.extend({ externalUserid: z.string().min(1).max(64) });
const inviteBody = z.object({ externalUserid: z.string().min(1).max(64) }).strict();
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

const inviteView = z
  .strictObject({
    circleId: z.string(),
    externalUserid: z.string(),
    invitedBy: z.string(),
    invitedAt: isoTime,
    status: z.enum(['invited', 'joined', 'revoked']),
    revokedAt: isoTime.nullable(),
  })
  .meta({ id: 'CircleInvite' });

/** The API's view of a circle invitation. */
export function presentInvite(i: CircleInvite): z.infer<typeof inviteView> {
  return {
    circleId: i.circleId,
    externalUserid: i.externalUserid,
    invitedBy: i.invitedBy,
    invitedAt: i.invitedAt.toISOString(),
    status: i.status,
    revokedAt: i.revokedAt ? i.revokedAt.toISOString() : null,
  };
}

/**
 * `/api/v1/circles/:id/invites`: ops, or the client's own RM, invite a client to an invitation-only circle
 * (the answer carries the circle group's join link to send them), revoke the invitation, and list them.
 */
export function createCircleInvitesRouter(deps: { invites: CircleInvitesService }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  router.get(
    '/circles/:id/invites',
    contract({
      tag: 'groups',
      summary: "List a circle's invitations",
      params: circlePath,
      query: listQuery,
      responses: { 200: z.strictObject({ items: z.array(inviteView) }) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(circlePath, req.params, 'path');
      const { limit } = parseOrThrow(listQuery, req.query, 'query');
      res.json({ items: (await deps.invites.list(scopeOf(res), id, limit)).map(presentInvite) });
    },
  );
  router.post(
    '/circles/:id/invites',
    contract({
      tag: 'groups',
      summary: 'Invite a client to a circle and get the join link to send them',
      params: circlePath,
      body: inviteBody,
      responses: {
        201: z.strictObject({
          invite: inviteView,
          joinLink: z.string().meta({ description: "the circle group's join way (QR code) to send" }),
        }),
      },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(circlePath, req.params, 'path');
      const { externalUserid } = parseOrThrow(inviteBody, req.body, 'body');
      const r = await deps.invites.invite(scopeOf(res), id, externalUserid, actor(res));
      res.status(201).json({ invite: presentInvite(r.invite), joinLink: r.joinLink });
    },
  );
  router.delete(
    '/circles/:id/invites/:externalUserid',
    contract({
      tag: 'groups',
      summary: "Revoke a client's circle invitation",
      params: invitePath,
      responses: { 200: inviteView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id, externalUserid } = parseOrThrow(invitePath, req.params, 'path');
      res.json(presentInvite(await deps.invites.revoke(scopeOf(res), id, externalUserid, actor(res))));
    },
  );
  return router;
}
