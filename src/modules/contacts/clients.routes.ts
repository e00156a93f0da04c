import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { guardRequestInput, parseOrThrow } from '../../platform/http/validate.ts';
import type { ClientsRepository, ClientView } from './clients.repository.ts';
import type { ProfileImportService } from './profile-import.service.ts';

/** Largest profile file accepted over HTTP; bigger feeds go through `helix import clients`. */
export const IMPORT_BODY_LIMIT = '50mb';

const listFilters = {
  channel: z.string().max(64).optional(),
  tier: z.string().max(32).optional(),
  ownerRm: z.string().min(1).max(64).optional().meta({ description: "the owner RM's userid" }),
  q: z.string().trim().min(1).max(64).optional().meta({
    description: 'a fragment of the name or the external userid, in any case; `%` and `_` match themselves',
  }),
};
const clientCursor = z.tuple([z.string().max(64)]);
const importQuery = z.object({ fileName: z.string().optional() });
const idPath = z.object({ id: z.string().min(1).max(64) });

const clientView = z
  .strictObject({
    externalUserid: z.string(),
    name: z.string().nullable(),
    aumBand: z.string().nullable(),
    riskLevel: z.string().nullable(),
    tags: z.array(z.string()),
    ownerRm: z.string().nullable(),
    branch: z.string().nullable().meta({ description: "the owner RM's branch" }),
    channelId: z.string().nullable(),
    status: z.string(),
    tier: z.string().nullable(),
    tierSince: isoTime.nullable(),
    acquiredAt: isoTime.nullable(),
  })
  .meta({ id: 'Client' });

/**
 * The answer for a client that is absent or outside the caller's scope; every route under
 * `/clients/:id` answers it, so an RM cannot probe for other RMs' clients. The id is left out of the
 * message: it may be an ID or phone number, and messages reach the log.
 */
export const clientNotInScope = () =>
  new AppError('not_found', { message: 'no such client in your scope', zh: '在您的权限范围内没有该客户。' });

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** The API's view of a client: the repository's row with its timestamps in ISO 8601, like every answer. */
function presentClient(c: ClientView): z.infer<typeof clientView> {
  return { ...c, tierSince: iso(c.tierSince), acquiredAt: iso(c.acquiredAt) };
}

const importApplied = z.strictObject({
  ok: z.literal(true),
  importId: z.number().int(),
  encoding: z
    .enum(['utf-8', 'utf-16le', 'utf-16be', 'gb18030'])
    .meta({ description: 'as detected from the bytes' }),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  routing: z
    .record(z.string(), z.unknown())
    .meta({ description: 'what tier routing did with the imported clients' }),
  activations: z
    .strictObject({ recorded: z.number().int(), activated: z.number().int() })
    .meta({ description: 'activation events in the file: new ones recorded, and clients they activated' }),
});

/**
 * `/api/v1/clients`: profile import (ops, admin) and client lookup (rm, ops, admin), both within the
 * caller's scope: an RM sees their own clients, branch ops their branch's, admin everything.
 */
export function createClientsRouter(deps: {
  db: Db;
  repo: ClientsRepository;
  imports: ProfileImportService;
}): Router {
  const router = Router();

  router.post(
    '/clients/import',
    contract({
      tag: 'clients',
      summary: 'Import client profiles (all rows or none), then route them into tiers',
      description:
        'The file is CSV (`text/csv`) or JSON lines (`application/x-ndjson`), in UTF-8, UTF-16 or GB18030 ' +
        '(detected from its bytes), at most 50 MB. A rejected file changes nothing and its 400 lists every ' +
        'problem by line and field. `?fileName=` is kept in the audit log.',
      query: importQuery,
      body: { mediaType: 'text/csv', description: 'the profile file (or application/x-ndjson)' },
      responses: { 201: importApplied },
    }),
    requireScopedRole('admin', 'ops'),
    // Raw bytes, not express.text: the file's encoding is detected from its bytes (Excel in China saves
    // GB18030 and labels nothing), and decoding them as UTF-8 here would turn every name into mojibake.
    express.raw({
      type: ['text/csv', 'application/x-ndjson', 'application/jsonl'],
      limit: IMPORT_BODY_LIMIT,
    }),
    guardRequestInput(),
    async (req: Request, res: Response) => {
      const type = req.headers['content-type'] ?? '';
      if (!Buffer.isBuffer(req.body)) {
        throw new AppError('unsupported_media_type', {
          message: 'send the file as text/csv or application/x-ndjson',
          zh: '请以 text/csv 或 application/x-ndjson 格式上传文件。',
        });
      }
      const p = locals(res).principal;
      const outcome = await deps.imports.importProfiles({
        file: req.body,
        format: type.startsWith('text/csv') ? 'csv' : 'jsonl',
        fileName: parseOrThrow(importQuery, req.query, 'query').fileName?.slice(0, 200) ?? null,
        actor: p?.name ?? 'unknown',
        via: 'api',
        scope: scopeOf(res),
        requestId: locals(res).requestId ?? null,
      });
      if (!outcome.ok) {
        throw new AppError('bad_request', {
          message: `import rejected: ${outcome.problems.length} problem(s); nothing was changed`,
          zh: `导入未通过：共 ${outcome.problems.length} 个问题，未做任何更改。`,
          details: { rows: outcome.rows, problems: outcome.problems },
        });
      }
      res.status(201).json(outcome);
    },
  );

  router.get(
    '/clients',
    contract({
      tag: 'clients',
      summary: "List or search clients in the caller's scope",
      query: listQuery(listFilters),
      responses: { 200: pageOf(clientView) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.repo.list(deps.db, scopeOf(res), {
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.tier ? { tier: q.tier } : {}),
        ...(q.ownerRm ? { ownerRm: q.ownerRm } : {}),
        ...(q.q ? { search: q.q } : {}),
        ...(q.cursor ? { after: decodeCursor(q.cursor, clientCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (c) => [c.externalUserid]),
          presentClient,
        ),
      );
    },
  );

  router.get(
    '/clients/:id',
    contract({
      tag: 'clients',
      summary: "One client's profile (404 outside the caller's scope)",
      params: idPath,
      responses: { 200: clientView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const row = await deps.repo.find(deps.db, scopeOf(res), id);
      if (!row) throw clientNotInScope();
      res.json(presentClient(row));
    },
  );
  return router;
}
