import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { decodeCursor, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { guardRequestInput, PG_INT_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import type { FaqService } from './faq.service.ts';
import { parseFaqUpload } from './faq-import.parser.ts';
import type { QuestionLog } from './question-log.ts';

const suggestBody = z
  .object({
    // Long or odd messages are answered with a hand-off, not refused: the limit only guards the server.
    message: z.string().max(100_000),
    client: z
      .object({ tier: z.string().max(32).nullable().optional() })
      .strict()
      .default({}),
  })
  .strict();
// Drafts waiting for review are listed by entry, then version.
const pendingCursor = z.tuple([z.string().max(64), z.number().int().min(1)]);
const versionPath = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  // faq_versions.version is an int4 column.
  v: z.coerce.number().int().min(1).max(PG_INT_MAX),
});

/**
 * `/api/v1/assist/suggest` for the RM sidebar, and `/api/v1/faq` for the knowledge base: import drafts
 * (ops), list pending drafts, approve or reject them (compliance, never the author).
 */
export function createFaqRouter(deps: { faq: FaqService; questionLog: QuestionLog; db: Db }): Router {
  const router = Router();
  const who = (res: Response) => locals(res).principal?.name ?? 'unknown';
  router.post('/assist/suggest', requireRole('admin', 'ops', 'rm'), async (req: Request, res: Response) => {
    const body = parseOrThrow(suggestBody, req.body, 'body');
    const s = await deps.faq.suggest(body.message, body.client);
    // What RMs ask the sidebar is counted for deflection and feeds the review queue like the bot's questions.
    await deps.questionLog.record(deps.db, 'assist', body.message, s);
    res.json(s);
  });
  router.post(
    '/faq/import',
    requireRole('admin', 'ops'),
    // Raw bytes: the file's encoding is detected from them (see decodeUpload), never assumed to be UTF-8.
    express.raw({ type: ['text/tab-separated-values', 'text/csv'], limit: '10mb' }),
    guardRequestInput(),
    async (req: Request, res: Response) => {
      const format = String(req.headers['content-type']).startsWith('text/csv') ? 'csv' : 'tsv';
      const parsed = parseFaqUpload(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), format);
      const rows = await deps.faq.importDrafts(parsed.ok ? parsed.rows : parsed, who(res));
      res.status(201).json({ drafts: rows });
    },
  );
  router.get(
    '/faq/export',
    requireRole('admin', 'ops', 'compliance'),
    async (_req: Request, res: Response) => {
      res.type('text/tab-separated-values; charset=utf-8').send(await deps.faq.exportTsv());
    },
  );
  router.get(
    '/faq/pending',
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const q = parseListQuery({}, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, pendingCursor) : undefined;
      const rows = await deps.faq.pending({ ...(after ? { after } : {}), limit: q.limit + 1 });
      res.json(toPage(rows, q.limit, (r) => [r.entryId, r.version]));
    },
  );
  for (const [step, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    router.post(
      `/faq/:id/versions/:v/${step}`,
      requireRole('compliance'),
      async (req: Request, res: Response) => {
        const p = parseOrThrow(versionPath, req.params, 'path');
        const principal = locals(res).principal;
        if (!principal) throw new Error('FAQ review reached without a principal');
        await deps.faq.review(p.id, p.v, { name: principal.name, role: principal.role }, decision);
        res.json({ entryId: p.id, version: p.v, status: decision });
      },
    );
  }
  return router;
}
