import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { contract, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { guardRequestInput, PG_INT_MAX, parseOrThrow } from '../../platform/http/validate.ts';
import { createFaqRepository } from './faq.repository.ts';
import type { FaqService } from './faq.service.ts';
import { createFaqEntriesRouter } from './faq-entries.routes.ts';
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
const pendingFilters = {};
const pendingCursor = z.tuple([z.string().max(64), z.number().int().min(1)]);
const versionPath = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  // faq_versions.version is an int4 column.
  v: z.coerce.number().int().min(1).max(PG_INT_MAX),
});

/** One compliance finding on an answer's text (`compliance.service.ts`). */
const faqFindingView = z
  .strictObject({
    rule: z.string(),
    kind: z.enum(['banned-claim', 'missing-disclosure', 'pii']),
    span: z
      .tuple([z.number().int(), z.number().int()])
      .meta({ description: 'start and end offsets in the text' }),
    severity: z.enum(['block', 'warn']),
    suggestion: z.string(),
  })
  .meta({ id: 'FaqFinding' });

const suggestionView = z
  .strictObject({
    entryId: z.string(),
    version: z.number().int(),
    category: z.string(),
    question: z.string(),
    answer: z.string(),
    productRiskLevel: z.string().nullable(),
    score: z.number(),
    compliance: z
      .strictObject({
        ok: z.boolean().meta({ description: 'false when a finding blocks the answer' }),
        findings: z.array(faqFindingView),
        masked: z.string().meta({ description: 'the answer with personal data masked' }),
      })
      .meta({ description: 'the compliance verdict on the answer' }),
  })
  .meta({ id: 'FaqSuggestion' });

const suggestView = z.strictObject({
  outcome: z.enum(['answer', 'clarify', 'handoff']),
  unreadable: z
    .enum(['empty', 'too_long'])
    .nullable()
    .meta({ description: 'why nothing could be matched at all (empty or over-long message), if so' }),
  confidence: z.number().meta({ description: 'calibrated probability that the top answer is right' }),
  suggestions: z.array(suggestionView),
});

const importView = z.strictObject({
  drafts: z.number().int().meta({ description: 'how many rows were imported as drafts' }),
});

const pendingDraftView = z
  .strictObject({
    entryId: z.string(),
    version: z.number().int(),
    question: z.string(),
    answer: z.string(),
    author: z.string(),
    findings: z.array(faqFindingView),
  })
  .meta({ id: 'FaqPendingDraft' });
const pendingPage = pageOf(pendingDraftView);

const reviewDecisionView = z
  .strictObject({
    entryId: z.string(),
    version: z.number().int(),
    status: z.enum(['approved', 'rejected']),
  })
  .meta({ id: 'FaqReviewDecision' });

/**
 * `/api/v1/assist/suggest` for the RM sidebar, and `/api/v1/faq` for the knowledge base: import drafts
 * (ops), list and search entries (`faq-entries.routes.ts`), list pending drafts, approve or reject them
 * (compliance, never the author).
 */
export function createFaqRouter(deps: { faq: FaqService; questionLog: QuestionLog; db: Db }): Router {
  const router = Router();
  const who = (res: Response) => locals(res).principal?.name ?? 'unknown';
  router.post(
    '/assist/suggest',
    contract({
      tag: 'assist',
      summary: "Suggest approved FAQ answers for a client's message (RM sidebar)",
      description:
        "Answers with the decision (answer, clarify or hand off) and the candidates the client's tier may see, each with the compliance verdict on its answer.",
      body: suggestBody,
      responses: { 200: suggestView },
    }),
    requireRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const body = parseOrThrow(suggestBody, req.body, 'body');
      const s: z.infer<typeof suggestView> = await deps.faq.suggest(body.message, body.client);
      // What RMs ask the sidebar is counted for deflection and feeds the review queue like the bot's questions.
      await deps.questionLog.record(deps.db, 'assist', body.message, s);
      res.json(s);
    },
  );
  router.post(
    '/faq/import',
    contract({
      tag: 'faq',
      summary: 'Import FAQ rows as drafts for compliance review (all or none)',
      body: {
        mediaType: 'text/tab-separated-values',
        description:
          'The FAQ file with a header row: id, category, question, similar, answer, tiers, risk_level, valid_from, valid_until (lists separated by `|`). Also accepted as `text/csv`. The encoding is detected from the bytes.',
      },
      responses: { 201: importView },
    }),
    requireRole('admin', 'ops'),
    // Raw bytes: the file's encoding is detected from them (see decodeUpload), never assumed to be UTF-8.
    express.raw({ type: ['text/tab-separated-values', 'text/csv'], limit: '10mb' }),
    guardRequestInput(),
    async (req: Request, res: Response) => {
      const format = String(req.headers['content-type']).startsWith('text/csv') ? 'csv' : 'tsv';
      const parsed = parseFaqUpload(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), format);
      const rows = await deps.faq.importDrafts(parsed.ok ? parsed.rows : parsed, who(res));
      const view: z.infer<typeof importView> = { drafts: rows };
      res.status(201).json(view);
    },
  );
  router.get(
    '/faq/export',
    contract({
      tag: 'faq',
      summary: 'Export the newest version of every FAQ entry in the import format',
      responses: {
        200: {
          mediaType: 'text/tab-separated-values',
          description: 'UTF-8 TSV with a header row, the same columns as the import',
        },
      },
    }),
    requireRole('admin', 'ops', 'compliance'),
    async (_req: Request, res: Response) => {
      res.type('text/tab-separated-values; charset=utf-8').send(await deps.faq.exportTsv());
    },
  );
  router.get(
    '/faq/pending',
    contract({
      tag: 'faq',
      summary: 'List FAQ drafts waiting for compliance review, with their findings',
      query: listQuery(pendingFilters),
      responses: { 200: pendingPage },
    }),
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(pendingFilters, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, pendingCursor) : undefined;
      const rows = await deps.faq.pending({ ...(after ? { after } : {}), limit: q.limit + 1 });
      const page: z.infer<typeof pendingPage> = toPage(rows, q.limit, (r) => [r.entryId, r.version]);
      res.json(page);
    },
  );
  // The repository holds no state: a second instance reads the same tables as the service's.
  router.use(createFaqEntriesRouter({ db: deps.db, repo: createFaqRepository() }));
  for (const [step, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    router.post(
      `/faq/:id/versions/:v/${step}`,
      contract({
        tag: 'faq',
        summary:
          step === 'approve'
            ? 'Approve an FAQ draft version (compliance, never its author)'
            : 'Reject an FAQ draft version (compliance, never its author)',
        params: versionPath,
        responses: { 200: reviewDecisionView },
      }),
      requireRole('compliance'),
      async (req: Request, res: Response) => {
        const p = parseOrThrow(versionPath, req.params, 'path');
        const principal = locals(res).principal;
        if (!principal) throw new Error('FAQ review reached without a principal');
        await deps.faq.review(p.id, p.v, { name: principal.name, role: principal.role }, decision);
        const view: z.infer<typeof reviewDecisionView> = { entryId: p.id, version: p.v, status: decision };
        res.json(view);
      },
    );
  }
  return router;
}
