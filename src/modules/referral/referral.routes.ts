import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { ReferralService } from './referral.service.ts';
import type { ReferralCodeRow, ReferralRow } from './referral.tables.ts';

const STATUSES = ['pending', 'rewarded', 'rejected', 'review'] as const;
const clientPath = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const referralPath = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const listFilters = { status: z.enum(STATUSES).optional() };
const referralCursor = z.tuple([z.number().int()]);
const reviewBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().min(1).max(200),
});

const codeView = z
  .strictObject({
    referrer: z.string(),
    rm: z.string(),
    state: z.string(),
    kind: z.string(),
    configId: z.string().nullable(),
    qrCode: z.string().nullable().meta({ description: "the contact-me QR code's URL, from WeCom" }),
    createdAt: isoTime,
  })
  .meta({ id: 'ReferralCode' });

const referralView = z
  .strictObject({
    id: z.number().int(),
    referrer: z.string(),
    referred: z.string(),
    rm: z.string(),
    state: z.string(),
    status: z.enum(STATUSES),
    reason: z.string().nullable().meta({
      description: 'self_referral, already_client, cap, cluster, or the reviewer’s reason',
    }),
    addedAt: isoTime,
    activatedAt: isoTime.nullable(),
    rewardedAt: isoTime.nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: isoTime.nullable(),
  })
  .meta({ id: 'Referral' });

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The API's view of a referral code. */
export function presentCode(c: ReferralCodeRow): z.infer<typeof codeView> {
  return { ...c, createdAt: new Date(c.createdAt).toISOString() };
}

/** The API's view of a referral. */
export function presentReferral(r: ReferralRow): z.infer<typeof referralView> {
  return {
    ...r,
    status: r.status as (typeof STATUSES)[number],
    addedAt: new Date(r.addedAt).toISOString(),
    activatedAt: iso(r.activatedAt),
    rewardedAt: iso(r.rewardedAt),
    reviewedAt: iso(r.reviewedAt),
  };
}

/**
 * Referral (裂变): a client's personal code (ops, or the client's RM), and the referrals with their
 * review queue (ops, admin; branch ops see referrals to their branch's RMs).
 */
export function createReferralRouter(deps: { referral: ReferralService }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  router.post(
    '/clients/:id/referral-code',
    contract({
      tag: 'referral',
      summary: "The client's personal referral code (created in WeCom on the first call, then the same)",
      params: clientPath,
      responses: { 200: codeView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(clientPath, req.params, 'path');
      res.json(presentCode(await deps.referral.codeFor(id, actor(res), scopeOf(res))));
    },
  );
  router.get(
    '/referrals',
    contract({
      tag: 'referral',
      summary: 'List referrals (e.g. ?status=review for the review queue)',
      query: listQuery(listFilters),
      responses: { 200: pageOf(referralView) },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.referral.list(scopeOf(res), {
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { after: decodeCursor(q.cursor, referralCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (r) => [r.id]),
          presentReferral,
        ),
      );
    },
  );
  router.post(
    '/referrals/:id/review',
    contract({
      tag: 'referral',
      summary: 'Approve or reject a referral in review (audited)',
      params: referralPath,
      body: reviewBody,
      responses: { 200: referralView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(referralPath, req.params, 'path');
      const body = parseOrThrow(reviewBody, req.body, 'body');
      const row = await deps.referral.review(
        id,
        { approve: body.decision === 'approve', reason: body.reason },
        actor(res),
        scopeOf(res),
      );
      res.json(presentReferral(row));
    },
  );
  return router;
}
