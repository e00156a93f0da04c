import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Clock } from '../../platform/clock.ts';
import { contract } from '../../platform/http/api-contract.ts';
import { invalidInput, parseOrThrow } from '../../platform/http/validate.ts';
import type { RoutingService } from './routing.service.ts';
import { type CompiledPolicy, policySchema } from './routing-policy.ts';

const previewBody = z
  .object({
    clients: z
      .array(
        z
          .object({
            externalUserid: z.string().min(1).max(64).default('preview'),
            aumBand: z.string().max(32).nullable().default(null),
            engagementScore: z.number().int().min(0).max(100).nullable().default(null),
            tags: z.array(z.string().min(1).max(32)).max(50).default([]),
            invitedCircles: z.array(z.string().max(32)).max(20).default([]),
            tier: z.string().max(32).nullable().default(null),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

const explanation = z.strictObject({ code: z.string(), text: z.string() }).meta({ id: 'RoutingExplanation' });
const previewAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      externalUserid: z.string(),
      tier: z.string(),
      change: z.enum(['new', 'up', 'down', 'none']),
      pendingDowngradeTo: z.string().nullable(),
      joins: z.array(z.string()).meta({ description: 'group keys the client would join' }),
      leaves: z.array(z.string()).meta({ description: 'group keys the client would leave' }),
      explanations: z.array(explanation),
    }),
  ),
});

/** `/api/v1/tiers`: the tier policy, and a preview of where given profiles would go (nothing is written). */
export function createTiersRouter(deps: {
  routing: RoutingService;
  policy: CompiledPolicy;
  clock: Clock;
}): Router {
  const router = Router();
  router.get(
    '/tiers/policy',
    contract({
      tag: 'tiers',
      summary: 'The tier policy: AUM bands, tiers, interest groups and circles',
      responses: { 200: policySchema.meta({ id: 'TierPolicy' }) },
    }),
    requireRole('admin', 'ops', 'rm'),
    (_req: Request, res: Response) => {
      res.json(deps.policy.policy);
    },
  );
  router.post(
    '/tiers/preview',
    contract({
      tag: 'tiers',
      summary: 'Where given client profiles would be routed, and why (nothing is written)',
      body: previewBody,
      responses: { 200: previewAnswer },
    }),
    requireRole('admin', 'ops'),
    (req: Request, res: Response) => {
      const body = parseOrThrow(previewBody, req.body, 'body');
      const unknown = body.clients.flatMap((c, i) =>
        c.aumBand && !deps.policy.bandRank.has(c.aumBand)
          ? [
              {
                en: `clients.${i}.aumBand: must be one of ${deps.policy.bandIds.join(', ')}`,
                zh: `clients.${i}.aumBand: 须为以下之一：${deps.policy.bandIds.join('、')}`,
              },
            ]
          : [],
      );
      if (unknown.length > 0) throw invalidInput(unknown);
      const decisions = deps.routing.preview(body.clients, deps.clock.now());
      res.json({
        items: decisions.map((d) => ({
          externalUserid: d.externalUserid,
          tier: d.tier,
          change: d.change,
          pendingDowngradeTo: d.pendingDowngradeTo,
          joins: d.joins,
          leaves: d.leaves,
          explanations: d.explanations,
        })),
      });
    },
  );
  return router;
}
