import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { contract } from '../../platform/http/api-contract.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { ActivationService } from './activation.service.ts';

/** Most events one request may carry. */
export const ACTIVATION_BATCH_MAX = 1000;

const resultView = z
  .strictObject({
    ref: z.string(),
    status: z.enum(['activated', 'recorded', 'outside_period', 'duplicate', 'error']).meta({
      description:
        'activated: the client is now activated; recorded: stored, the client was activated already; ' +
        'outside_period: stored, but after the new-client period; duplicate: this ref was recorded before',
    }),
    error: z.strictObject({ code: z.string(), message: z.string(), zh: z.string() }).optional(),
  })
  .meta({ id: 'ActivationResult' });

/**
 * `POST /api/v1/activation-events`: the bank reports activation events (admin, ops). The whole body is
 * validated first, so a malformed one changes nothing; then each event is recorded, and an event for an
 * unknown client gets its own error while the others apply.
 */
export function createActivationRouter(deps: {
  activation: ActivationService;
  kinds: readonly string[];
}): Router {
  const router = Router();
  const body = z
    .strictObject({
      events: z
        .array(
          z.strictObject({
            externalUserid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
            kind: z.enum(deps.kinds as [string, ...string[]]),
            ref: z.string().trim().min(1).max(128).meta({ description: "the bank's own event id" }),
            occurredAt: z.iso.datetime({ offset: true }),
            details: z.record(z.string().max(64), z.unknown()).optional(),
          }),
        )
        .min(1)
        .max(ACTIVATION_BATCH_MAX),
    })
    .meta({ id: 'ActivationEvents' });
  router.post(
    '/activation-events',
    contract({
      tag: 'clients',
      summary: 'Record activation events (a product purchase, a first deposit, a configured event)',
      body,
      responses: { 200: z.strictObject({ results: z.array(resultView) }) },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { events } = parseOrThrow(body, req.body, 'body');
      const results = await deps.activation.record(
        events.map((e) => ({
          externalUserid: e.externalUserid,
          kind: e.kind,
          ref: e.ref,
          occurredAt: new Date(e.occurredAt),
          ...(e.details ? { details: e.details } : {}),
        })),
        { name: locals(res).principal?.name ?? 'unknown', requestId: locals(res).requestId ?? null },
        scopeOf(res),
      );
      res.json({ results });
    },
  );
  return router;
}
