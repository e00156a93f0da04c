import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import {
  FAQ_VERSION_STATUSES,
  type FaqEntrySummary,
  type FaqEntryVersion,
  type FaqRepository,
} from './faq.repository.ts';

// Entries are listed by id; the filters apply to each entry's newest version.
const entryFilters = {
  q: z.string().trim().min(1).max(64).optional().meta({
    description:
      'a fragment of the question, a similar question or the entry id, in any case; `%` and `_` match themselves',
  }),
  category: z.string().min(1).max(32).optional().meta({ description: 'the exact category' }),
  status: z.enum(FAQ_VERSION_STATUSES).optional().meta({ description: "the newest version's status" }),
};
const entryCursor = z.tuple([z.string().max(64)]);
const entryPath = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/) });

const versionStatus = z.enum(FAQ_VERSION_STATUSES);

const entryView = z
  .strictObject({
    id: z.string(),
    question: z.string().meta({ description: "the newest version's standard question" }),
    category: z.string(),
    tiers: z.array(z.string()).meta({ description: 'the client tiers that may see it; empty for everyone' }),
    status: versionStatus.meta({ description: "the newest version's status (`draft` waits for compliance)" }),
    version: z.number().int().meta({ description: 'the newest version' }),
    approvedVersion: z.number().int().nullable().meta({
      description:
        'the newest approved version, the one served inside its validity window (equal to `version` when the newest is approved); null when none was approved',
    }),
    validUntil: z.iso.date().nullable().meta({ description: "the newest version's last valid day" }),
    author: z.string().meta({ description: 'who wrote the newest version' }),
    reviewer: z.string().nullable().meta({ description: 'who reviewed the newest version, if anyone has' }),
    updatedAt: isoTime.meta({ description: 'when a version was last written or reviewed' }),
  })
  .meta({ id: 'FaqEntry' });
const entryPage = pageOf(entryView);

const entryVersionView = z
  .strictObject({
    version: z.number().int(),
    question: z.string(),
    similar: z.array(z.string()),
    answer: z.string(),
    category: z.string(),
    tiers: z.array(z.string()),
    status: versionStatus,
    author: z.string(),
    reviewer: z.string().nullable(),
    findings: z
      .number()
      .int()
      .meta({ description: 'how many compliance findings its answer had when it was written' }),
    createdAt: isoTime,
    reviewedAt: isoTime.nullable(),
  })
  .meta({ id: 'FaqEntryVersion' });
const entryVersionsView = z
  .strictObject({
    id: z.string(),
    versions: z.array(entryVersionView).meta({ description: 'newest first' }),
  })
  .meta({ id: 'FaqEntryVersions' });

const iso = (v: Date | string) => new Date(v).toISOString();

/** An entry of the list as the API answers it: its timestamp in ISO 8601, like every answer. */
const presentEntry = (e: FaqEntrySummary): z.infer<typeof entryView> => ({
  ...e,
  updatedAt: iso(e.updatedAt),
});

/** A version as the API answers it: its timestamps in ISO 8601. */
const presentVersion = (v: FaqEntryVersion): z.infer<typeof entryVersionView> => ({
  ...v,
  createdAt: iso(v.createdAt),
  reviewedAt: v.reviewedAt === null ? null : iso(v.reviewedAt),
});

/**
 * `/api/v1/faq/entries` for admins, ops and compliance: the knowledge base's entries, searchable and
 * filtered, and one entry's versions with their answers. Reading them involves no workflow, so the routes
 * ask the repository directly.
 */
export function createFaqEntriesRouter(deps: { db: Db; repo: FaqRepository }): Router {
  const router = Router();
  router.get(
    '/faq/entries',
    contract({
      tag: 'faq',
      summary: 'List FAQ entries with their newest and newest approved versions, searchable',
      description:
        'One row per entry, by id: its newest version whatever its status, and the number of the newest approved one. `q`, `category` and `status` filter on the newest version.',
      query: listQuery(entryFilters),
      responses: { 200: entryPage },
    }),
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(entryFilters, req.query);
      const after = q.cursor ? decodeCursor(q.cursor, entryCursor)[0] : undefined;
      const rows = await deps.repo.listEntries(deps.db, {
        ...(q.q === undefined ? {} : { search: q.q }),
        ...(q.category === undefined ? {} : { category: q.category }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(after === undefined ? {} : { after }),
        limit: q.limit + 1,
      });
      const page: z.infer<typeof entryPage> = mapPage(
        toPage(rows, q.limit, (r) => [r.id]),
        presentEntry,
      );
      res.json(page);
    },
  );
  router.get(
    '/faq/entries/:id',
    contract({
      tag: 'faq',
      summary: "An FAQ entry's versions, newest first, with their answers",
      description: 'Every version the entry has had, whatever its status; 404 when there is no such entry.',
      params: entryPath,
      responses: { 200: entryVersionsView },
    }),
    requireRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(entryPath, req.params, 'path');
      const versions = await deps.repo.entryVersions(deps.db, id);
      if (versions.length === 0)
        throw new AppError('not_found', { message: `no FAQ entry ${id}`, zh: `没有 FAQ 条目 ${id}。` });
      const view: z.infer<typeof entryVersionsView> = { id, versions: versions.map(presentVersion) };
      res.json(view);
    },
  );
  return router;
}
