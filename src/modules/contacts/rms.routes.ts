import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { assertMayPlaceRm } from '../../platform/auth/scope.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, type Page, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { invalidInput, parseOrThrow } from '../../platform/http/validate.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { RmsRepository } from './rms.repository.ts';

const rmBody = z
  .object({
    name: z.string().trim().min(1).max(64),
    branch: z.string().trim().min(1).max(64).nullable().default(null),
    persona: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/)
      .nullable()
      .default(null),
    capacity: z.number().int().min(1).max(100_000).default(2000),
  })
  .strict();
const rmCursor = z.tuple([z.string().max(64)]);
const listFilters = {};
const useridPath = z.object({ userid: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/) });

const rmView = z
  .strictObject({
    userid: z.string().meta({ description: "the RM's WeCom userid" }),
    name: z.string(),
    branch: z.string().nullable(),
    persona: z.string().nullable().meta({ description: 'the content-library persona of their voice' }),
    capacity: z.number().int().meta({ description: 'how many clients they can take' }),
  })
  .meta({ id: 'Rm' });
type RmOut = z.infer<typeof rmView>;

/**
 * `/api/v1/rms`: ops set up RMs (name, branch, persona, capacity); WeCom events only carry their userid.
 * Branch ops see and edit their branch's RMs only; moving an RM between branches needs admin.
 */
export function createRmsRouter(deps: {
  db: Db;
  repo: RmsRepository;
  audit: AuditRepository;
  /** The persona ids of the content library: an RM's persona picks their welcome and content voice. */
  personas: Pick<ReadonlySet<string>, 'has'>;
}): Router {
  const router = Router();
  router.get(
    '/rms',
    contract({
      tag: 'rms',
      summary: 'List RMs by userid',
      query: listQuery(listFilters),
      responses: { 200: pageOf(rmView) },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.repo.list(deps.db, scopeOf(res), {
        ...(q.cursor ? { after: decodeCursor(q.cursor, rmCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      const page: Page<RmOut> = toPage(rows, q.limit, (r) => [r.userid]);
      res.json(page);
    },
  );
  router.put(
    '/rms/:userid',
    contract({
      tag: 'rms',
      summary: 'Set up an RM: name, branch, persona and capacity',
      description: 'Creates the RM or replaces their setup. Moving an RM between branches needs admin.',
      params: useridPath,
      body: rmBody,
      responses: { 200: rmView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { userid } = parseOrThrow(useridPath, req.params, 'path');
      const body = parseOrThrow(rmBody, req.body, 'body');
      // A persona the library does not define would silently fall back to the default voice.
      if (body.persona !== null && !deps.personas.has(body.persona)) {
        throw invalidInput([
          {
            en: `persona: unknown persona "${body.persona}"; see content-library/personas/personas.yaml`,
            zh: `persona: 未知的人设“${body.persona}”；可用的人设见 content-library/personas/personas.yaml`,
          },
        ]);
      }
      const p = locals(res).principal as Principal;
      const row = await deps.db.transaction(async (tx) => {
        const current = await deps.repo.findForUpdate(tx, scopeOf(res), userid);
        // Another branch's RM looks absent, so a branch token cannot probe for it.
        if (current && !current.inScope)
          throw new AppError('not_found', {
            message: `no RM ${userid} in your scope`,
            zh: `在您的权限范围内没有客户经理 ${userid}。`,
          });
        assertMayPlaceRm(p, { exists: current !== undefined, branch: current?.branch ?? null }, body.branch);
        const rm = await deps.repo.upsert(tx, userid, body);
        await deps.audit.append(tx, {
          actor: p.name,
          action: 'rm.upsert',
          targetType: 'rm',
          targetId: userid,
          details: { ...body, previousBranch: current?.branch ?? null },
          requestId: locals(res).requestId ?? null,
        });
        return rm;
      });
      const view: RmOut = row;
      res.json(view);
    },
  );
  return router;
}
