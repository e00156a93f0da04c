import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import { locals } from '../../platform/http/request-context.ts';
import { PG_ID_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import { RISK_LEVELS } from '../compliance/compliance.rules.ts';
import type { FaqReviewService } from './faq-review.service.ts';

const questionIds = z.array(z.number().int().positive().max(PG_ID_MAX)).min(1).max(500);
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .nullable()
  .default(null);
const attachBody = z.object({ questionIds, entryId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) }).strict();
const draftBody = z
  .object({
    questionIds,
    entry: z
      .object({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
        category: z.string().trim().min(1).max(32),
        question: z.string().trim().min(1).max(200),
        answer: z.string().trim().min(1).max(2000),
        tiers: z.array(z.string().min(1).max(32)).max(10).default([]),
        productRiskLevel: z.enum(RISK_LEVELS).nullable().default(null),
        validFrom: date,
        validUntil: date,
      })
      .strict(),
  })
  .strict();
const dismissBody = z.object({ questionIds }).strict();
const queueQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(1000) }).strict();
const deflectionQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict();

/**
 * The learning loop for ops: `/faq/review-queue` (clustered unanswered questions; attach them to an entry,
 * draft a new entry from them, or dismiss them) and `/faq/deflection` (answered without a person, per
 * category and entry). Drafts go to compliance like any other.
 */
export function createFaqReviewRouter(deps: { review: FaqReviewService; now: () => Date }): Router {
  const router = Router();
  const who = (res: Response) => locals(res).principal?.name ?? 'unknown';
  const ops = requireRole('admin', 'ops');
  router.get('/faq/review-queue', ops, async (req: Request, res: Response) => {
    const q = parseOrThrow(queueQuery, req.query, 'query');
    res.json(await deps.review.queue(q.limit));
  });
  router.post('/faq/review-queue/attach', ops, async (req: Request, res: Response) => {
    const b = parseOrThrow(attachBody, req.body, 'body');
    res
      .status(201)
      .json({ ...(await deps.review.attach(b.questionIds, b.entryId, who(res))), status: 'draft' });
  });
  router.post('/faq/review-queue/draft', ops, async (req: Request, res: Response) => {
    const b = parseOrThrow(draftBody, req.body, 'body');
    res.status(201).json({ ...(await deps.review.draft(b.questionIds, b.entry, who(res))), status: 'draft' });
  });
  router.post('/faq/review-queue/dismiss', ops, async (req: Request, res: Response) => {
    const b = parseOrThrow(dismissBody, req.body, 'body');
    res.json(await deps.review.dismiss(b.questionIds, who(res)));
  });
  router.get(
    '/faq/deflection',
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(deflectionQuery, req.query, 'query');
      res.json(await deps.review.deflection(new Date(deps.now().getTime() - q.days * 86_400_000)));
    },
  );
  return router;
}
