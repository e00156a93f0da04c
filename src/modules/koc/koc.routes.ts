import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { locals } from '../../platform/http/request-context.ts';
import { PG_ID_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import type { CandidateRow } from './koc.repository.ts';
import type { KocExplanation, KocService } from './koc.service.ts';
import { KOC_KINDS } from './koc-weights.ts';

const clientId = z.string().min(1).max(64);
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
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
  })
  .meta({ id: 'KocExplanation' });
const itemsOf = z.strictObject({ items: z.array(candidateView) });

/** The API's view of a candidate. */
export function presentCandidate(c: CandidateRow): z.infer<typeof candidateView> {
  return { externalUserid: c.externalUserid, score: c.score, scoredAt: c.asOf.toISOString() };
}

/** The API's view of an explanation. */
export function presentExplanation(e: KocExplanation): z.infer<typeof explanationView> {
  return {
    externalUserid: e.externalUserid,
    score: e.score,
    asOf: e.asOf.toISOString(),
    halfLifeDays: e.halfLifeDays,
    contributions: e.contributions.map((c) => ({ ...c, occurredAt: c.occurredAt.toISOString() })),
  };
}

/**
 * `/api/v1/koc`: KOC candidates by decayed score (an RM sees their own clients, branch ops their branch),
 * the explanation of one score, the tea party's invitees, and the two feeds Helix cannot see by itself:
 * an RM marking a helpful answer, and the bank's link service reporting a shared link's click.
 */
export function createKocRouter(deps: { koc: KocService }): Router {
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
      res.json(presentExplanation(await deps.koc.explain(scopeOf(res), id)));
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
