import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
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

const clusterView = z
  .strictObject({
    representative: z.string().meta({ description: 'the question that reads most like the rest' }),
    questionIds: z.array(z.number().int()),
    texts: z.array(z.string()),
    likelyEntries: z
      .array(z.strictObject({ entryId: z.string(), count: z.number().int() }))
      .meta({ description: 'the entries retrieval most often offered for these questions (at most 3)' }),
  })
  .meta({ id: 'FaqQuestionCluster' });
const queueView = z.strictObject({
  questions: z.number().int().meta({ description: 'how many open questions were clustered' }),
  clusters: z.array(clusterView),
});
const draftWrittenView = z
  .strictObject({ entryId: z.string(), version: z.number().int(), status: z.literal('draft') })
  .meta({ id: 'FaqDraftWritten' });
const dismissView = z.strictObject({ dismissed: z.number().int() });
const deflectionRowView = z
  .strictObject({
    key: z.string().meta({ description: 'the category or entry id; `(none)` when unknown, `all` overall' }),
    asked: z.number().int(),
    answered: z.number().int(),
    clarifiedAndChosen: z.number().int(),
    clarified: z.number().int(),
    handedOff: z.number().int(),
    deflectionRate: z.number().meta({ description: '(answered + clarifiedAndChosen) / asked, 4 decimals' }),
  })
  .meta({ id: 'FaqDeflectionCounts' });
const deflectionView = z.strictObject({
  since: isoTime,
  overall: deflectionRowView,
  categories: z.array(deflectionRowView),
  entries: z.array(deflectionRowView),
});

/**
 * The learning loop for ops: `/faq/review-queue` (clustered unanswered questions; attach them to an entry,
 * draft a new entry from them, or dismiss them) and `/faq/deflection` (answered without a person, per
 * category and entry). Drafts go to compliance like any other.
 */
export function createFaqReviewRouter(deps: { review: FaqReviewService; now: () => Date }): Router {
  const router = Router();
  const who = (res: Response) => locals(res).principal?.name ?? 'unknown';
  const ops = requireRole('admin', 'ops');
  router.get(
    '/faq/review-queue',
    contract({
      tag: 'faq',
      summary: 'Unanswered questions not yet reviewed, clustered by wording',
      description: 'The newest `limit` open questions, biggest cluster first.',
      query: queueQuery,
      responses: { 200: queueView },
    }),
    ops,
    async (req: Request, res: Response) => {
      const q = parseOrThrow(queueQuery, req.query, 'query');
      const view: z.infer<typeof queueView> = await deps.review.queue(q.limit);
      res.json(view);
    },
  );
  router.post(
    '/faq/review-queue/attach',
    contract({
      tag: 'faq',
      summary:
        "Attach questions to an entry as similar questions (a new draft of the entry's newest version)",
      body: attachBody,
      responses: { 201: draftWrittenView },
    }),
    ops,
    async (req: Request, res: Response) => {
      const b = parseOrThrow(attachBody, req.body, 'body');
      const view: z.infer<typeof draftWrittenView> = {
        ...(await deps.review.attach(b.questionIds, b.entryId, who(res))),
        status: 'draft',
      };
      res.status(201).json(view);
    },
  );
  router.post(
    '/faq/review-queue/draft',
    contract({
      tag: 'faq',
      summary: 'Draft a new FAQ entry from questions (they become its similar questions)',
      body: draftBody,
      responses: { 201: draftWrittenView },
    }),
    ops,
    async (req: Request, res: Response) => {
      const b = parseOrThrow(draftBody, req.body, 'body');
      const view: z.infer<typeof draftWrittenView> = {
        ...(await deps.review.draft(b.questionIds, b.entry, who(res))),
        status: 'draft',
      };
      res.status(201).json(view);
    },
  );
  router.post(
    '/faq/review-queue/dismiss',
    contract({
      tag: 'faq',
      summary: 'Take questions out of the review queue without changing the knowledge base',
      body: dismissBody,
      responses: { 200: dismissView },
    }),
    ops,
    async (req: Request, res: Response) => {
      const b = parseOrThrow(dismissBody, req.body, 'body');
      const view: z.infer<typeof dismissView> = await deps.review.dismiss(b.questionIds, who(res));
      res.json(view);
    },
  );
  router.get(
    '/faq/deflection',
    contract({
      tag: 'faq',
      summary:
        "Deflection of the bot's questions over the last `days` days: overall, per category and per entry",
      query: deflectionQuery,
      responses: { 200: deflectionView },
    }),
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(deflectionQuery, req.query, 'query');
      const view: z.infer<typeof deflectionView> = await deps.review.deflection(
        new Date(deps.now().getTime() - q.days * 86_400_000),
      );
      res.json(view);
    },
  );
  return router;
}
