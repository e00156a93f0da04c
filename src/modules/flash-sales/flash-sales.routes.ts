import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireHeadOffice, requireRole } from '../../platform/auth/auth.middleware.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import { claimLinkToken, verifyClaimLinkToken } from './flash-sales.rules.ts';
import type { FlashSalesService } from './flash-sales.service.ts';
import type { FlashSaleRow } from './flash-sales.tables.ts';

const saleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
const idPath = z.object({ id: saleId });
const externalUserid = z.string().min(1).max(64);
const createBody = z
  .object({
    id: saleId,
    name: z.string().trim().min(1).max(64),
    itemName: z.string().trim().min(1).max(20),
    stock: z.number().int().min(1).max(1_000_000),
    keyword: z.string().trim().min(1).max(16).optional(),
    eligibility: z
      .strictObject({
        tiers: z.array(z.string().min(1).max(32)).max(20).optional(),
        riskLevels: z
          .array(z.enum(['C1', 'C2', 'C3', 'C4', 'C5']))
          .max(5)
          .optional(),
        newClientsWithinDays: z.number().int().min(1).max(3650).optional(),
      })
      .optional(),
    opensAt: isoTime,
    closesAt: isoTime,
    returnUnclaimed: z.boolean().optional(),
    redeemWithinHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .optional(),
    pointsCost: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();
const clientBody = z.strictObject({ externalUserid });
const claimBody = z.strictObject({ externalUserid, token: z.string().min(1).max(128) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const saleView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    itemName: z.string(),
    stock: z.number().int(),
    taken: z.number().int(),
    keyword: z.string(),
    eligibility: z.record(z.string(), z.unknown()),
    opensAt: isoTime,
    closesAt: isoTime,
    returnUnclaimed: z.boolean(),
    redeemWithinHours: z.number().int(),
    pointsCost: z.number().int(),
    createdBy: z.string(),
    createdAt: isoTime,
    cancelledAt: isoTime.nullable(),
  })
  .meta({ id: 'FlashSale' });
const claimView = z.strictObject({
  externalUserid: z.string(),
  status: z.enum(['won', 'redeemed', 'expired', 'returned']),
  via: z.enum(['keyword', 'link']),
  claimedAt: isoTime,
  expiresAt: isoTime,
});
const resultsView = z
  .strictObject({
    sale: saleView,
    stockLeft: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Redis's units left; null while it is rebuilt" }),
    claimsByStatus: z.record(z.string(), z.number().int()),
    attempts: z
      .record(z.string(), z.number().int())
      .meta({ description: 'claim attempts by outcome (Redis)' }),
    winners: z.array(claimView),
  })
  .meta({ id: 'FlashSaleResults' });
const outcomeView = z.strictObject({
  outcome: z.enum(['won', 'sold_out', 'not_eligible', 'already_claimed', 'not_open', 'closed']),
  reason: z.enum(['tier', 'risk_level', 'not_new_client', 'unknown_client', 'points']).optional(),
});

const iso = (d: Date | string) => new Date(d).toISOString();

/** The API's view of a sale. */
export function presentFlashSale(s: FlashSaleRow): z.infer<typeof saleView> {
  return {
    id: s.id,
    name: s.name,
    itemName: s.itemName,
    stock: s.stock,
    taken: s.taken,
    keyword: s.keyword,
    eligibility: s.eligibility,
    opensAt: iso(s.opensAt),
    closesAt: iso(s.closesAt),
    returnUnclaimed: s.returnUnclaimed,
    redeemWithinHours: s.redeemWithinHours,
    pointsCost: s.pointsCost,
    createdBy: s.createdBy,
    createdAt: iso(s.createdAt),
    cancelledAt: s.cancelledAt ? iso(s.cancelledAt) : null,
  };
}

/** A sale reaches every branch's clients, and its results name them: head office runs it. */
const headOffice = requireHeadOffice({ en: 'flash sales', zh: '秒杀活动' });

/**
 * `/api/v1/flash-sales` for ops (admin, ops): create and list sales, see one's live results, mark a win
 * redeemed, and make a client's claim link.
 */
export function createFlashSalesRouter(deps: { sales: FlashSalesService; linkSecret: string }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  router.post(
    '/flash-sales',
    contract({
      tag: 'flash-sales',
      summary: 'Create a flash sale',
      body: createBody,
      responses: { 201: saleView },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const b = parseOrThrow(createBody, req.body, 'body');
      const { eligibility, opensAt, closesAt, ...rest } = b;
      const sale = await deps.sales.create(
        {
          ...rest,
          opensAt: new Date(opensAt),
          closesAt: new Date(closesAt),
          ...(eligibility ? { eligibility: JSON.parse(JSON.stringify(eligibility)) } : {}),
        },
        actor(res),
      );
      res.status(201).json(presentFlashSale(sale));
    },
  );
  router.get(
    '/flash-sales',
    contract({
      tag: 'flash-sales',
      summary: 'List flash sales, newest first',
      query: listQuery,
      responses: { 200: z.strictObject({ items: z.array(saleView) }) },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const q = parseOrThrow(listQuery, req.query, 'query');
      res.json({ items: (await deps.sales.list(q.limit)).map(presentFlashSale) });
    },
  );
  router.get(
    '/flash-sales/:id',
    contract({
      tag: 'flash-sales',
      summary: "A flash sale's live results: units left, winners, attempts by outcome",
      params: idPath,
      responses: { 200: resultsView },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const r = await deps.sales.results(id);
      res.json({
        sale: presentFlashSale(r.sale),
        stockLeft: r.live.stockLeft,
        claimsByStatus: r.byStatus,
        attempts: r.live.attempts,
        winners: r.winners.map((w) => ({ ...w, claimedAt: iso(w.claimedAt), expiresAt: iso(w.expiresAt) })),
      });
    },
  );
  router.post(
    '/flash-sales/:id/redemptions',
    contract({
      tag: 'flash-sales',
      summary: "Mark a client's won claim redeemed",
      params: idPath,
      body: clientBody,
      responses: { 200: claimView },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const b = parseOrThrow(clientBody, req.body, 'body');
      const c = await deps.sales.redeem(id, b.externalUserid, actor(res));
      res.json({
        externalUserid: c.externalUserid,
        status: c.status,
        via: c.via,
        claimedAt: iso(c.claimedAt),
        expiresAt: iso(c.expiresAt),
      });
    },
  );
  router.post(
    '/flash-sales/:id/links',
    contract({
      tag: 'flash-sales',
      summary: "Make a client's claim-link token (HMAC of sale and client)",
      params: idPath,
      body: clientBody,
      responses: { 200: z.strictObject({ token: z.string(), claimPath: z.string() }) },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const b = parseOrThrow(clientBody, req.body, 'body');
      await deps.sales.get(id);
      res.json({
        token: claimLinkToken(deps.linkSecret, id, b.externalUserid),
        claimPath: `/public/flash-sales/${id}/claims`,
      });
    },
  );
  return router;
}

/**
 * The link path, `/public/flash-sales/:id/claims`, outside `/api/v1`'s staff authentication: a client's claim page posts
 * `{externalUserid, token}`, and the token (the HMAC `claimLinkToken` ops made for that client) is the
 * authentication. A wrong token is a 401 and claims nothing.
 */
export function createFlashClaimRouter(deps: { sales: FlashSalesService; linkSecret: string }): Router {
  const router = Router();
  router.post(
    '/flash-sales/:id/claims',
    contract({
      tag: 'flash-sales',
      summary: "A client's claim through their signed link",
      params: idPath,
      body: claimBody,
      responses: { 200: outcomeView },
    }),
    express.json({ limit: '4kb' }),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const b = parseOrThrow(claimBody, req.body, 'body');
      if (!verifyClaimLinkToken(deps.linkSecret, id, b.externalUserid, b.token))
        throw new AppError('unauthenticated', {
          message: 'the claim link is not valid for this client',
          zh: '领取链接无效，请向您的客户经理索取新的链接。',
        });
      res.setHeader('Cache-Control', 'no-store');
      const r = await deps.sales.claim(id, b.externalUserid, { via: 'link' });
      res.json({ outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}) });
    },
  );
  return router;
}
