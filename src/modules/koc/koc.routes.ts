import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  requireHeadOffice,
  requireRole,
  requireScopedRole,
  scopeOf,
} from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { type CsvCell, sendCsv } from '../../platform/http/csv-export.ts';
import { locals } from '../../platform/http/request-context.ts';
import { PG_ID_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import type { CandidateRow } from './koc.repository.ts';
import type { KocExplanation, KocService } from './koc.service.ts';
import type { InfluenceMeasure, KocInfluence, KocInfluenceService } from './koc-influence.service.ts';
import { KOC_KINDS } from './koc-weights.ts';

const clientId = z.string().min(1).max(64);
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const influenceQuery = limitQuery.extend({ format: z.enum(['json', 'csv']).default('json') });
const teaPartyQuery = z.object({ n: z.coerce.number().int().min(1).max(200).default(20) });
const idPath = z.object({ id: clientId });
const helpfulBody = z
  .object({
    externalUserid: clientId,
    messageId: z.number().int().min(1).max(PG_ID_MAX).optional(),
    ref: z
      .string()
      .regex(/^[A-Za-z0-9_:.-]{1,100}$/, 'letters, digits and _ : . -')
      .optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine((b) => (b.messageId === undefined) !== (b.ref === undefined), {
    message: 'give exactly one of messageId or ref',
    path: ['ref'],
  });
const shareClickBody = z
  .object({
    sharer: clientId,
    clicker: z.string().min(1).max(128),
    linkId: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits and _ . -'),
    at: isoTime.optional(),
  })
  .strict();

const candidateView = z
  .strictObject({
    externalUserid: z.string(),
    score: z.number().meta({ description: 'the score decayed to now' }),
    scoredAt: isoTime.meta({ description: 'when the stored score was last raised or re-scored' }),
  })
  .meta({ id: 'KocCandidate' });
const measureView = z.strictObject({
  rate: z.number().nullable().meta({ description: "share (0..1) of the KOC's people" }),
  baseline: z
    .number()
    .nullable()
    .meta({ description: 'share among clients without a KOC, weighted by the same tier × month cells' }),
  liftPp: z
    .number()
    .nullable()
    .meta({ description: 'rate − baseline in percentage points; null when too few' }),
});
const influenceView = z
  .strictObject({
    externalUserid: z.string(),
    brought: z.number().int().meta({ description: 'distinct people referred or who clicked shared content' }),
    answered: z.number().int().meta({ description: 'helpful answers (whom they helped is not recorded)' }),
    invited: z.number().int().meta({ description: 'referees not yet activated (pending or in review)' }),
    people: z
      .number()
      .int()
      .meta({ description: 'distinct known clients among those brought: the group measured' }),
    tooFew: z.boolean().meta({ description: 'fewer than 5 people: rates shown, lifts not' }),
    activated: measureView,
    retained: measureView,
    engaged: measureView.meta({ description: 'attended an event or claimed a flash sale' }),
    impact: z.number().nullable().meta({ description: 'people × activated lift (pp): the ranking key' }),
    computedAt: isoTime,
  })
  .meta({ id: 'KocInfluence' });
const explanationView = z
  .strictObject({
    externalUserid: z.string(),
    score: z.number(),
    asOf: isoTime,
    halfLifeDays: z.number(),
    contributions: z.array(
      z.strictObject({
        kind: z.enum(KOC_KINDS),
        ref: z.string(),
        weight: z.number(),
        occurredAt: isoTime,
        ageDays: z.number(),
        decayed: z.number().meta({ description: 'the weight decayed to now; these sum to the score' }),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    influence: influenceView.nullable().meta({ description: 'null until the nightly job computed it' }),
  })
  .meta({ id: 'KocExplanation' });
const itemsOf = z.strictObject({ items: z.array(candidateView) });

/** The API's view of a candidate. */
export function presentCandidate(c: CandidateRow): z.infer<typeof candidateView> {
  return { externalUserid: c.externalUserid, score: c.score, scoredAt: c.asOf.toISOString() };
}

/** The API's view of a KOC's influence. */
export function presentInfluence(i: KocInfluence): z.infer<typeof influenceView> {
  return { ...i, computedAt: i.computedAt.toISOString() };
}

/** The API's view of an explanation, with the KOC's influence when computed. */
export function presentExplanation(
  e: KocExplanation,
  influence: KocInfluence | null,
): z.infer<typeof explanationView> {
  return {
    externalUserid: e.externalUserid,
    score: e.score,
    asOf: e.asOf.toISOString(),
    halfLifeDays: e.halfLifeDays,
    contributions: e.contributions.map((c) => ({ ...c, occurredAt: c.occurredAt.toISOString() })),
    influence: influence ? presentInfluence(influence) : null,
  };
}

const INFLUENCE_CSV_HEADER = [
  '客户ID',
  '带来人数',
  '有用解答数',
  '待激活推荐数',
  '可比人数',
  '样本',
  '激活率(%)',
  '基准激活率(%)',
  '激活提升(百分点)',
  '留存率(%)',
  '基准留存率(%)',
  '留存提升(百分点)',
  '参与率(%)',
  '基准参与率(%)',
  '参与提升(百分点)',
  '影响力(人数×激活提升)',
  '计算时间',
] as const;

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const measureCells = (m: InfluenceMeasure): CsvCell[] => [
  round1(m.rate === null ? null : m.rate * 100),
  round1(m.baseline === null ? null : m.baseline * 100),
  round1(m.liftPp),
];

/** One CSV row of the influence report: percentages to one decimal, "样本不足" for a group too small. */
function influenceCsvRow(i: KocInfluence): CsvCell[] {
  return [
    i.externalUserid,
    i.brought,
    i.answered,
    i.invited,
    i.people,
    i.tooFew ? '样本不足' : '',
    ...measureCells(i.activated),
    ...measureCells(i.retained),
    ...measureCells(i.engaged),
    round1(i.impact),
    i.computedAt.toISOString(),
  ];
}

/** Recomputing influence reads every branch's clients: head office runs it. */
const headOffice = requireHeadOffice({ en: 'KOC influence recomputes', zh: 'KOC 影响力重算' });

/**
 * `/api/v1/koc`: KOC candidates by decayed score (an RM sees their own clients, branch ops their branch),
 * the explanation of one score, the tea party's invitees, and the two feeds Helix cannot see by itself:
 * an RM marking a helpful answer, and the bank's link service reporting a shared link's click.
 */
export function createKocRouter(deps: { koc: KocService; influence: KocInfluenceService }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  router.get(
    '/koc/candidates',
    contract({
      tag: 'koc',
      summary: 'Top KOC candidates by score decayed to now',
      query: limitQuery,
      responses: { 200: itemsOf },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { limit } = parseOrThrow(limitQuery, req.query, 'query');
      const rows = await deps.koc.candidates(scopeOf(res), limit);
      res.json({ items: rows.map(presentCandidate) });
    },
  );
  router.get(
    '/koc/candidates/:id',
    contract({
      tag: 'koc',
      summary: "Explain a client's KOC score contribution by contribution",
      params: idPath,
      responses: { 200: explanationView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      // explain checks the scope (404 outside it) before the influence figures are read.
      const explanation = await deps.koc.explain(scopeOf(res), id);
      res.json(presentExplanation(explanation, await deps.influence.of(id)));
    },
  );
  router.get(
    '/koc/influence',
    contract({
      tag: 'koc',
      summary: "KOCs ranked by influence: their people's engagement against similar clients without a KOC",
      description:
        'Reads the nightly koc_influence aggregate. Ranked by people × activated lift; KOCs with fewer than 5 people come last (too few to compare). `format=csv` downloads the same rows with Chinese headers.',
      query: influenceQuery,
      responses: { 200: z.strictObject({ items: z.array(influenceView) }) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { limit, format } = parseOrThrow(influenceQuery, req.query, 'query');
      const rows = await deps.influence.ranking(scopeOf(res), limit);
      if (format === 'csv')
        return sendCsv(res, 'koc-influence.csv', INFLUENCE_CSV_HEADER, rows.map(influenceCsvRow));
      res.json({ items: rows.map(presentInfluence) });
    },
  );
  router.post(
    '/koc/influence/recompute',
    contract({
      tag: 'koc',
      summary: "Recompute every KOC's influence now (the nightly job's work)",
      responses: { 200: z.strictObject({ kocs: z.number().int() }) },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (_req: Request, res: Response) => {
      res.json(await deps.influence.recompute());
    },
  );
  router.get(
    '/koc/tea-party-invitees',
    contract({
      tag: 'koc',
      summary: "The Sunday tea party's invitees: the top n candidates",
      query: teaPartyQuery,
      responses: { 200: itemsOf },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { n } = parseOrThrow(teaPartyQuery, req.query, 'query');
      res.json({ items: (await deps.koc.selectTeaPartyInvitees(n)).map(presentCandidate) });
    },
  );
  router.post(
    '/koc/helpful',
    contract({
      tag: 'koc',
      summary: "Mark a client's message as a helpful answer to others",
      body: helpfulBody,
      responses: { 200: z.strictObject({ recorded: z.boolean(), ref: z.string() }) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const body = parseOrThrow(helpfulBody, req.body, 'body');
      res.json(await deps.koc.markHelpful(scopeOf(res), body, actor(res)));
    },
  );
  router.post(
    '/koc/share-clicks',
    contract({
      tag: 'koc',
      summary: "Report a click on a link a client shared (the bank's link service)",
      body: shareClickBody,
      responses: {
        200: z.strictObject({
          counted: z.boolean(),
          reason: z.enum(['self_click', 'repeat_click']).optional(),
        }),
      },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { at, ...body } = parseOrThrow(shareClickBody, req.body, 'body');
      res.json(await deps.koc.recordShareClick({ ...body, ...(at ? { at: new Date(at) } : {}) }));
    },
  );
  return router;
}
