import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, type Page, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { PG_INT_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import { complianceResultView } from '../compliance/compliance.routes.ts';
import { COMPONENT_KINDS, componentSchema } from './content.schemas.ts';
import type { ContentService } from './content.service.ts';
import type { ContentRenderService } from './content-render.service.ts';

const CHANNELS = ['text', 'markdown', 'news', 'template_card'] as const;
const OUTCOMES = ['sent', 'delivered', 'read', 'clicked', 'replied', 'converted'] as const;
const APPROVAL_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;

const idPath = z.object({ id: z.string().max(64) });
const versionPath = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  // content_versions.version is an int4 column.
  v: z.coerce.number().int().min(1).max(PG_INT_MAX),
});
const approveBody = z.object({ note: z.string().max(500).optional() }).strict();
const rejectBody = z.object({ note: z.string().min(1).max(500) }).strict();
const outcomeBody = z
  .object({
    componentId: z.string().regex(/^[a-z0-9-]{1,64}$/),
    version: z.number().int().min(1).max(PG_INT_MAX),
    variantId: z.string().regex(/^[a-z0-9-]{1,32}$/),
    externalUserid: z.string().min(1).max(64),
    channel: z.enum(CHANNELS),
    outcome: z.enum(OUTCOMES),
  })
  .strict();

const previewBody = z
  .object({
    version: z.number().int().min(1).max(PG_INT_MAX).optional(),
    channel: z.enum(CHANNELS).default('text'),
    client: z
      .object({
        externalUserid: z.string().min(1).max(64),
        name: z.string().max(64).optional(),
        tier: z.string().max(32).optional(),
        tags: z.array(z.string().max(32)).max(50).optional(),
        riskLevel: z.enum(['C1', 'C2', 'C3', 'C4', 'C5']).optional(),
      })
      .strict(),
    rm: z.record(z.string(), z.union([z.string().max(200), z.number()])).optional(),
    personaId: z.string().max(64).optional(),
    context: z.record(z.string(), z.union([z.string().max(500), z.number()])).optional(),
  })
  .strict();

const listFilters = {};

// Sort keys of the paged lists: component id; version number (newest first); version, variant, outcome.
const idCursor = z.tuple([z.string().max(64)]);
const versionCursor = z.tuple([z.number().int().min(1)]);
const outcomeCursor = z.tuple([z.number().int().min(1), z.string().max(64), z.string().max(64)]);

const componentSummaryView = z
  .strictObject({
    id: z.string(),
    kind: z.enum(COMPONENT_KINDS),
    title: z.string(),
    source: z
      .enum(['library', 'api'])
      .meta({ description: "head office's library files, or authored by ops" }),
    latest: z.number().int().meta({ description: 'the newest version' }),
    approved: z.number().int().nullable().meta({ description: 'the newest approved version' }),
  })
  .meta({ id: 'ContentComponent' });

const contentFindingView = z
  .strictObject({
    file: z.string().meta({ description: 'the library file, or `api:<id>` for an authored draft' }),
    field: z.string(),
    message: z.string(),
    severity: z.enum(['block', 'warn']),
  })
  .meta({ id: 'ContentFinding' });

const versionView = z
  .strictObject({
    componentId: z.string(),
    version: z.number().int(),
    status: z.enum(APPROVAL_STATUSES),
    author: z.string(),
    reviewer: z.string().nullable(),
    reviewNote: z.string().nullable(),
    findings: z.array(contentFindingView),
    contentHash: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'ContentVersion' });

const previewView = z
  .union([
    z
      .strictObject({
        version: z.number().int(),
        status: z.enum(APPROVAL_STATUSES),
        sendable: z.boolean(),
        unsendableReason: z
          .string()
          .optional()
          .meta({ description: 'why it may not be sent; absent when it may' }),
        componentId: z.string(),
        variantId: z.string(),
        channel: z.enum(CHANNELS),
        payload: z.record(z.string(), z.string()).meta({ description: 'the rendered fields of the channel' }),
        marketData: z
          .enum(['live', 'sample'])
          .optional()
          .meta({ description: 'where the market figures came from, when it shows any' }),
        marketDataAsOf: isoTime.optional(),
        compliance: complianceResultView,
      })
      .meta({ id: 'ContentPreviewRendered' }),
    z
      .strictObject({
        version: z.number().int(),
        status: z.enum(APPROVAL_STATUSES),
        sendable: z.literal(false),
        unsendableReason: z.string(),
        componentId: z.string(),
      })
      .meta({
        id: 'ContentPreviewUnrendered',
        description: 'no market figures to render with: only why it cannot be sent',
      }),
  ])
  .meta({ id: 'ContentPreview' });

const outcomeCountView = z
  .strictObject({
    version: z.number().int(),
    variantId: z.string(),
    outcome: z.enum(OUTCOMES),
    count: z.number().int(),
  })
  .meta({ id: 'ContentOutcomeCount' });

type VersionOut = z.infer<typeof versionView>;

/**
 * `/api/v1/content`: list and preview components (every role), author drafts and submit them (ops,
 * admin), approve or reject them (compliance, never the author).
 */
export function createContentRouter(deps: {
  content: ContentService;
  rendering: ContentRenderService;
}): Router {
  const router = Router();
  const actor = (res: Response) => {
    const principal = locals(res).principal;
    // Every route below sits behind a role gate, so a missing principal is a wiring bug, not a caller's.
    if (!principal) throw new Error('content route reached without a principal');
    return { name: principal.name, role: principal.role, requestId: locals(res).requestId ?? null };
  };
  router.get(
    '/content/components',
    contract({
      tag: 'content',
      summary: 'List content components with their newest and newest approved versions',
      query: listQuery(listFilters),
      responses: { 200: pageOf(componentSummaryView) },
    }),
    requireRole('admin', 'ops', 'compliance', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, idCursor)[0] : undefined;
      const rows = await deps.content.list({ ...(after === undefined ? {} : { after }), limit: q.limit + 1 });
      // The repository types kind and source as text; the contract holds them to the values written.
      res.json(toPage(rows, q.limit, (r) => [r.id]));
    },
  );
  router.get(
    '/content/components/:id/versions',
    contract({
      tag: 'content',
      summary: "List a component's versions, newest first",
      params: idPath,
      query: listQuery(listFilters),
      responses: { 200: pageOf(versionView) },
    }),
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const q = parseListQuery(listFilters, req.query);
      const before = q.cursor ? decodeCursor(q.cursor, versionCursor)[0] : undefined;
      const rows = await deps.content.versions(id, {
        ...(before === undefined ? {} : { before }),
        limit: q.limit + 1,
      });
      const page: Page<VersionOut> = toPage(rows, q.limit, (r) => [r.version]);
      res.json(page);
    },
  );
  router.post(
    '/content/components',
    contract({
      tag: 'content',
      summary: 'Author a draft: a new component, or a new version of one',
      description:
        'Structural problems (schema, variables, channel limits) are a 400; compliance findings are kept ' +
        'with the draft for the reviewer.',
      body: componentSchema,
      responses: { 201: versionView },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const view: VersionOut = await deps.content.createDraft(req.body, actor(res));
      res.status(201).json(view);
    },
  );
  router.post(
    '/content/components/:id/versions/:v/submit',
    contract({
      tag: 'content',
      summary: 'Submit a draft version to compliance',
      params: versionPath,
      responses: { 200: versionView },
    }),
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const p = parseOrThrow(versionPath, req.params, 'path');
      const view: VersionOut = await deps.content.submit(p.id, p.v, actor(res));
      res.json(view);
    },
  );
  router.post(
    '/content/components/:id/versions/:v/approve',
    contract({
      tag: 'content',
      summary: 'Approve a submitted version (a compliance checker who is not its author)',
      params: versionPath,
      body: approveBody,
      responses: { 200: versionView },
    }),
    requireRole('compliance'),
    async (req: Request, res: Response) => {
      const p = parseOrThrow(versionPath, req.params, 'path');
      const body = parseOrThrow(approveBody, req.body ?? {}, 'body');
      const view: VersionOut = await deps.content.approve(p.id, p.v, actor(res), body.note);
      res.json(view);
    },
  );
  router.post(
    '/content/components/:id/versions/:v/reject',
    contract({
      tag: 'content',
      summary: 'Reject a submitted version with a note (a compliance checker who is not its author)',
      params: versionPath,
      body: rejectBody,
      responses: { 200: versionView },
    }),
    requireRole('compliance'),
    async (req: Request, res: Response) => {
      const p = parseOrThrow(versionPath, req.params, 'path');
      const body = parseOrThrow(rejectBody, req.body, 'body');
      const view: VersionOut = await deps.content.reject(p.id, p.v, actor(res), body.note);
      res.json(view);
    },
  );
  router.post(
    '/content/components/:id/preview',
    contract({
      tag: 'content',
      summary: 'Preview a version for a client, with its compliance verdict and whether it is sendable',
      description:
        'Renders the given version, or the newest approved one. Stale market figures are shown (flagged); ' +
        'with no figures at all the answer is only why it cannot be sent.',
      params: idPath,
      body: previewBody,
      responses: { 200: previewView },
    }),
    requireRole('admin', 'ops', 'compliance', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const body = parseOrThrow(previewBody, req.body, 'body');
      const view: z.infer<typeof previewView> = await deps.rendering.preview(id, body);
      res.json(view);
    },
  );
  router.post(
    '/content/outcomes',
    contract({
      tag: 'content',
      summary: 'Record what happened to a rendering (sent, clicked, converted …) for A/B results',
      body: outcomeBody,
      responses: { 201: z.strictObject({ recorded: z.literal(true) }) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const o = parseOrThrow(outcomeBody, req.body, 'body');
      await deps.rendering.recordOutcome(o, scopeOf(res));
      res.status(201).json({ recorded: true });
    },
  );
  router.get(
    '/content/components/:id/outcomes',
    contract({
      tag: 'content',
      summary: "A/B results: each outcome's count per version and variant",
      params: idPath,
      query: listQuery(listFilters),
      responses: { 200: pageOf(outcomeCountView) },
    }),
    requireScopedRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const q = parseListQuery(listFilters, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, outcomeCursor) : undefined;
      const rows = await deps.rendering.outcomes(id, scopeOf(res), {
        ...(after === undefined ? {} : { after }),
        limit: q.limit + 1,
      });
      res.json(toPage(rows, q.limit, (r) => [r.version, r.variantId, r.outcome]));
    },
  );
  return router;
}
