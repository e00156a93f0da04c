import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { decodeCursor, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { PG_INT_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import type { ContentService } from './content.service.ts';
import type { ContentRenderService } from './content-render.service.ts';

const versionPath = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  // content_versions.version is an int4 column.
  v: z.coerce.number().int().min(1).max(PG_INT_MAX),
});
const outcomeBody = z
  .object({
    componentId: z.string().regex(/^[a-z0-9-]{1,64}$/),
    version: z.number().int().min(1).max(PG_INT_MAX),
    variantId: z.string().regex(/^[a-z0-9-]{1,32}$/),
    externalUserid: z.string().min(1).max(64),
    channel: z.enum(['text', 'markdown', 'news', 'template_card']),
    outcome: z.enum(['sent', 'delivered', 'read', 'clicked', 'replied', 'converted']),
  })
  .strict();

const previewBody = z
  .object({
    version: z.number().int().min(1).max(PG_INT_MAX).optional(),
    channel: z.enum(['text', 'markdown', 'news', 'template_card']).default('text'),
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

// Sort keys of the paged lists: component id; version number (newest first); version, variant, outcome.
const idCursor = z.tuple([z.string().max(64)]);
const versionCursor = z.tuple([z.number().int().min(1)]);
const outcomeCursor = z.tuple([z.number().int().min(1), z.string().max(64), z.string().max(64)]);

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
    requireRole('admin', 'ops', 'compliance', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseListQuery({}, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, idCursor)[0] : undefined;
      const rows = await deps.content.list({ ...(after === undefined ? {} : { after }), limit: q.limit + 1 });
      res.json(toPage(rows, q.limit, (r) => [r.id]));
    },
  );
  router.get(
    '/content/components/:id/versions',
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(z.object({ id: z.string().max(64) }), req.params, 'path');
      const q = parseListQuery({}, req.query);
      const before = q.cursor ? decodeCursor(q.cursor, versionCursor)[0] : undefined;
      const rows = await deps.content.versions(id, {
        ...(before === undefined ? {} : { before }),
        limit: q.limit + 1,
      });
      res.json(toPage(rows, q.limit, (r) => [r.version]));
    },
  );
  router.post('/content/components', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
    res.status(201).json(await deps.content.createDraft(req.body, actor(res)));
  });
  router.post(
    '/content/components/:id/versions/:v/submit',
    requireRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const p = parseOrThrow(versionPath, req.params, 'path');
      res.json(await deps.content.submit(p.id, p.v, actor(res)));
    },
  );
  router.post(
    '/content/components/:id/versions/:v/approve',
    requireRole('compliance'),
    async (req: Request, res: Response) => {
      const p = parseOrThrow(versionPath, req.params, 'path');
      const body = parseOrThrow(
        z.object({ note: z.string().max(500).optional() }).strict(),
        req.body ?? {},
        'body',
      );
      res.json(await deps.content.approve(p.id, p.v, actor(res), body.note));
    },
  );
  router.post(
    '/content/components/:id/versions/:v/reject',
    requireRole('compliance'),
    async (req: Request, res: Response) => {
      const p = parseOrThrow(versionPath, req.params, 'path');
      const body = parseOrThrow(z.object({ note: z.string().min(1).max(500) }).strict(), req.body, 'body');
      res.json(await deps.content.reject(p.id, p.v, actor(res), body.note));
    },
  );
  router.post(
    '/content/components/:id/preview',
    requireRole('admin', 'ops', 'compliance', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(z.object({ id: z.string().max(64) }), req.params, 'path');
      const body = parseOrThrow(previewBody, req.body, 'body');
      res.json(await deps.rendering.preview(id, body));
    },
  );
  router.post(
    '/content/outcomes',
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const o = parseOrThrow(outcomeBody, req.body, 'body');
      await deps.rendering.recordOutcome(o, scopeOf(res));
      res.status(201).json({ recorded: true });
    },
  );
  router.get(
    '/content/components/:id/outcomes',
    requireScopedRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(z.object({ id: z.string().max(64) }), req.params, 'path');
      const q = parseListQuery({}, req.query);
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
