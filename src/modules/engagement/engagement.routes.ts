import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  requireHeadOffice,
  requireRole,
  requireScopedRole,
  scopeOf,
} from '../../platform/auth/auth.middleware.ts';
import { isIsoDate, previousDateInZone } from '../../platform/calendar/dates.ts';
import { PERIOD_KINDS, periodOf } from '../../platform/calendar/periods.ts';
import type { Clock } from '../../platform/clock.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { sendCsv } from '../../platform/http/csv-export.ts';
import { decodeCursor, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { RankedScore } from './rm-scores.repository.ts';
import { SCORE_COMPONENTS, type ScoreComponent } from './score-policy.ts';
import type { ScoringService } from './scoring.service.ts';
import type { DoneTouch } from './touches.repository.ts';

const isoDate = z
  .string()
  .refine(isIsoDate, 'must be a real date as YYYY-MM-DD')
  .meta({ description: 'a date inside the period (YYYY-MM-DD, business time zone); default yesterday' });
const periodFields = { period: z.enum(PERIOD_KINDS).default('day'), date: isoDate.optional() };
const rankingQuery = z
  .object({
    ...periodFields,
    branch: z.string().trim().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(5_000).default(1_000),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
const periodQuery = z.object(periodFields).strict();
const rmPath = z.object({ rm: z.string().min(1).max(64) });
const touchFilters = { ...periodFields, component: z.enum(['coverage', 'emotional']).default('coverage') };
const touchCursor = z.tuple([z.string().max(40), z.string().regex(/^\d{1,19}$/)]);
const recomputeBody = z.object({ period: z.enum(PERIOD_KINDS), date: isoDate }).strict();

const componentView = z.strictObject({
  raw: z.number(),
  normalised: z.number().meta({ description: 'in [0, 1]' }),
  weight: z.number().meta({ description: 'percent' }),
  points: z.number().meta({ description: 'normalised × weight; the components sum to the score' }),
  reference: z.number().optional().meta({
    description: 'the percentile of this raw figure over all RMs with clients (per-100 components)',
  }),
  details: z.record(z.string(), z.number().nullable()),
});
const periodView = z.strictObject({ kind: z.enum(PERIOD_KINDS), start: z.string(), end: z.string() });
const rankedView = z
  .strictObject({
    rm: z.string(),
    branch: z.string().nullable(),
    rank: z.number().int().meta({ description: 'rank within the branch, 1 = best' }),
    score: z.number(),
    points: z.record(z.string(), z.number()),
  })
  .meta({ id: 'RmScoreRanked' });
const rankingView = z.strictObject({
  period: periodView,
  computedAt: isoTime.nullable().meta({ description: 'null: the period has not been computed yet' }),
  items: z.array(rankedView),
});
const explanationView = z
  .strictObject({
    rm: z.string(),
    branch: z.string().nullable(),
    period: periodView,
    rank: z.number().int(),
    score: z.number(),
    policyVersion: z.string(),
    computedAt: isoTime,
    components: z.array(componentView.extend({ component: z.enum(SCORE_COMPONENTS) })),
    trend: z.array(z.strictObject({ periodStart: z.string(), score: z.number().nullable() })),
  })
  .meta({ id: 'RmScoreExplanation' });
const touchView = z.strictObject({
  id: z.string(),
  doneAt: isoTime,
  kind: z.string(),
  emotional: z.boolean(),
  externalUserid: z.string().nullable(),
  title: z.string(),
});

/** Column titles of the ranking CSV, one per component after the fixed ones. */
const COMPONENT_ZH: Record<ScoreComponent, string> = {
  responsiveness: '响应及时',
  coverage: '客户覆盖',
  taskCompletion: '任务完成',
  emotional: '情感关怀',
  contentDistribution: '内容分发',
  conversions: '转化',
};

const pointsOf = (s: RankedScore) => Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, s.points?.[c] ?? 0]));

/** The API's view of a ranked score. */
export function presentRanked(s: RankedScore): z.infer<typeof rankedView> {
  return { rm: s.rm, branch: s.branch, rank: s.rank, score: s.score, points: pointsOf(s) };
}

/**
 * `/api/v1/engagement`: the RM engagement ranking per branch (JSON or CSV), one RM's score explained with
 * its trend, the touch-log rows behind a component, and a recompute on demand. Branch ops see their
 * branch's RMs (another branch's list is empty), an RM only their own row.
 */
export function createEngagementRouter(deps: {
  scoring: ScoringService;
  timeZone: string;
  clock: Clock;
}): Router {
  const router = Router();
  // Default: yesterday in the business time zone (the last day the nightly job has scored).
  const yesterday = () => previousDateInZone(deps.clock.now(), deps.timeZone);
  router.get(
    '/engagement/rms',
    contract({
      tag: 'engagement',
      summary: 'Rank RMs by engagement score within each branch (add format=csv for a download)',
      query: rankingQuery,
      responses: { 200: rankingView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(rankingQuery, req.query, 'query');
      const out = await deps.scoring.ranking(scopeOf(res), {
        kind: q.period,
        date: q.date ?? yesterday(),
        limit: q.limit,
        ...(q.branch !== undefined ? { branch: q.branch } : {}),
      });
      if (q.format === 'csv') {
        return sendCsv(
          res,
          `rm-engagement-${q.period}-${out.period.start}.csv`,
          ['分行', '名次', '客户经理', '总分', ...SCORE_COMPONENTS.map((c) => COMPONENT_ZH[c])],
          out.rows.map((s) => [
            s.branch,
            s.rank,
            s.rm,
            s.score,
            ...SCORE_COMPONENTS.map((c) => s.points?.[c] ?? 0),
          ]),
        );
      }
      res.json({
        period: out.period,
        computedAt: out.computedAt?.toISOString() ?? null,
        items: out.rows.map(presentRanked),
      });
    },
  );
  router.get(
    '/engagement/rms/:rm',
    contract({
      tag: 'engagement',
      summary: "Explain an RM's engagement score component by component, with the last 8 periods",
      params: rmPath,
      query: periodQuery,
      responses: { 200: explanationView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { rm } = parseOrThrow(rmPath, req.params, 'path');
      const q = parseOrThrow(periodQuery, req.query, 'query');
      const e = await deps.scoring.explain(scopeOf(res), { kind: q.period, date: q.date ?? yesterday() }, rm);
      const body: z.infer<typeof explanationView> = {
        rm: e.row.rm,
        branch: e.row.branch,
        period: e.period,
        rank: e.row.rank,
        score: e.row.score,
        policyVersion: e.row.policyVersion,
        computedAt: new Date(e.row.computedAt).toISOString(),
        components: SCORE_COMPONENTS.map((c) => ({ component: c, ...e.row.components[c] })),
        trend: e.trend,
      };
      res.json(body);
    },
  );
  router.get(
    '/engagement/rms/:rm/touches',
    contract({
      tag: 'engagement',
      summary: "List the touch-log rows behind an RM's coverage or emotional component, newest first",
      params: rmPath,
      query: listQuery(touchFilters),
      responses: { 200: pageOf(touchView) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { rm } = parseOrThrow(rmPath, req.params, 'path');
      const q = parseListQuery(touchFilters, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, touchCursor) : undefined;
      const rows = await deps.scoring.touches(
        scopeOf(res),
        { kind: q.period, date: q.date ?? yesterday(), rm, component: q.component, limit: q.limit + 1 },
        after ? { at: after[0], id: after[1] } : undefined,
      );
      res.json(toPage(rows, q.limit, (t: DoneTouch) => [t.doneAt, t.id]));
    },
  );
  router.post(
    '/engagement/recompute',
    contract({
      tag: 'engagement',
      summary: 'Recompute the engagement scores of one period now (audited)',
      body: recomputeBody,
      responses: {
        200: z.strictObject({ period: periodView, rms: z.number().int(), seconds: z.number() }),
      },
    }),
    requireRole('admin', 'ops'),
    requireHeadOffice({ en: 'engagement recomputations', zh: '活跃度评分重算' }),
    async (req: Request, res: Response) => {
      const b = parseOrThrow(recomputeBody, req.body, 'body');
      const out = await deps.scoring.recompute(
        { kind: b.period, date: b.date },
        { name: locals(res).principal?.name ?? 'unknown', requestId: locals(res).requestId ?? null },
      );
      res.json({ period: periodOf(b.period, b.date), ...out });
    },
  );
  return router;
}
