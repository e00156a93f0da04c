import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireHeadOffice, requireRole } from '../../platform/auth/auth.middleware.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { RankerRefitService } from './learning/ranker-refit.service.ts';
import type { RankerFitSummary } from './ranker-fits.repository.ts';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
const refitBody = z
  .object({
    force: z
      .boolean()
      .default(false)
      .meta({ description: 'refit even when the served KB has not changed since the last refit' }),
  })
  .strict();

const scoreView = z
  .strictObject({
    questions: z.number().int(),
    answered: z.number().int(),
    correct: z.number().int(),
    clarifiedResolved: z.number().int(),
    resolveRate: z.number().meta({ description: '(correct answers + resolved clarifications) / questions' }),
    precision: z.number().meta({ description: 'correct / answered (1 when nothing was answered)' }),
    clarifyHit: z
      .number()
      .meta({ description: 'share of clarifications whose choices held the right answer (1 when none)' }),
  })
  .meta({ id: 'FaqRefitScore' });
const reportView = z
  .strictObject({
    examples: z.number().int().meta({ description: 'similar questions the ranker was fitted on' }),
    heldBack: z.number().int().meta({ description: 'similar questions held back to judge the fit' }),
    cvQuestions: z.number().int().meta({ description: 'questions scored in cross-validation' }),
    deploy: z.boolean(),
    reason: z.string().meta({ description: 'why the fit was or was not deployed' }),
    chosen: z
      .strictObject({
        beta: z.number().meta({ description: 'how much the fitted n-gram weights count' }),
        answerThreshold: z.number(),
        clarifyThreshold: z.number(),
        clarifyMinShare: z.number(),
        cv: scoreView,
      })
      .nullable()
      .meta({
        description: 'the weight and thresholds cross-validation chose; null when nothing was fitted',
      }),
    heldBackCandidate: scoreView.nullable().meta({ description: 'the new fit on the held-back slice' }),
    heldBackCurrent: scoreView.nullable().meta({ description: 'what is served now, on the same slice' }),
  })
  .meta({ id: 'FaqRefitReport' });
const deployedView = z
  .strictObject({
    id: z.number().int(),
    createdAt: isoTime,
    examples: z.number().int(),
    report: reportView,
  })
  .meta({ id: 'FaqDeployedFit' });
const refitView = z
  .strictObject({
    id: z.number().int(),
    createdAt: isoTime,
    status: z
      .enum(['deployed', 'not_deployed', 'retired'])
      .meta({ description: '`retired`: deployed once, replaced by a later deployment' }),
    kbDigest: z.string().meta({ description: 'a digest of the served KB the refit was made from' }),
    examples: z.number().int(),
    actor: z.string().meta({ description: 'who ran it (`scheduler` for the scheduled refit)' }),
    report: reportView,
  })
  .meta({ id: 'FaqRefit' });
const rankerView = z.strictObject({
  deployed: deployedView.nullable().meta({ description: 'the fit served now; null before the first one' }),
  refits: z.array(refitView).meta({ description: 'the latest refits, newest first' }),
});
const outcomeView = z
  .union([
    z.strictObject({
      id: z.number().int(),
      status: z.enum(['deployed', 'not_deployed']),
      report: reportView,
    }),
    z.strictObject({
      id: z.null(),
      status: z.literal('skipped'),
      reason: z.string().meta({ description: 'why nothing was fitted (the KB has not changed)' }),
    }),
  ])
  .meta({ id: 'FaqRefitOutcome' });

const iso = (pgTime: string) => new Date(pgTime).toISOString();
const presentRefit = (r: RankerFitSummary): z.infer<typeof refitView> => ({
  id: r.id,
  createdAt: iso(r.createdAt),
  status: r.status,
  kbDigest: r.kbDigest,
  examples: r.examples,
  actor: r.actor,
  report: r.report,
});

/**
 * The learning loop's ranker for ops: `GET /faq/ranker` (the deployed fit and the latest refits, for
 * anyone who reads the bank-wide KB) and `POST /faq/ranker/refit` (a refit now, by admin or head-office
 * ops). One refit at a time per process: a second asks while the first fits gets 409 rather than doubling
 * the CPU a refit takes from answering.
 */
export function createFaqRankerRouter(deps: {
  refit: Pick<RankerRefitService, 'refit' | 'recent' | 'deployed'>;
}): Router {
  const router = Router();
  let running = false;
  router.get(
    '/faq/ranker',
    contract({
      tag: 'faq',
      summary: "The FAQ ranker's deployed fit and the latest refits of the learning loop",
      description: 'The `limit` most recent refits (default 20), newest first, without their weights.',
      query: listQuery,
      responses: { 200: rankerView },
    }),
    requireRole('admin', 'compliance', 'ops'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(listQuery, req.query, 'query');
      const [deployed, refits] = await Promise.all([deps.refit.deployed(), deps.refit.recent(q.limit)]);
      const view: z.infer<typeof rankerView> = {
        deployed: deployed && { ...deployed, createdAt: iso(deployed.createdAt) },
        refits: refits.map(presentRefit),
      };
      res.json(view);
    },
  );
  router.post(
    '/faq/ranker/refit',
    contract({
      tag: 'faq',
      summary: 'Refit the FAQ ranker now on the approved similar questions',
      description:
        'Runs at once and answers when done: deployed only when it does at least as well as the served fit ' +
        'on a held-back slice; skipped when the served KB has not changed, unless `force`. 409 while ' +
        'another refit asked here is still running.',
      body: refitBody,
      responses: { 200: outcomeView },
    }),
    requireRole('admin', 'ops'),
    requireHeadOffice({ en: 'FAQ ranker refits', zh: 'FAQ 排序模型重新训练' }),
    async (req: Request, res: Response) => {
      const b = parseOrThrow(refitBody, req.body ?? {}, 'body');
      if (running)
        throw new AppError('conflict', {
          message: 'a refit of the FAQ ranker is already running; try again when it has finished',
          zh: 'FAQ 排序模型正在重新训练，请在完成后再试。',
        });
      running = true;
      try {
        const out: z.infer<typeof outcomeView> = await deps.refit.refit(
          locals(res).principal?.name ?? 'unknown',
          { force: b.force },
        );
        res.json(out);
      } finally {
        running = false;
      }
    },
  );
  return router;
}
