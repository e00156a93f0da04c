import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import {
  CSRF_COOKIE,
  readCookie,
  SESSION_COOKIE,
  type SessionService,
} from '../../platform/auth/sessions.ts';
import { ROLES } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { StaffRow } from './staff.repository.ts';
import type { StaffService } from './staff.service.ts';

const userid = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a WeCom userid');
const useridPath = z.object({ userid });
const putStaffBody = z
  .object({
    name: z.string().trim().min(1).max(64),
    role: z.enum(ROLES),
    branchScope: z.string().trim().min(1).max(64).nullable().default(null),
    disabled: z.boolean().default(false),
  })
  .strict()
  .refine((b) => b.branchScope === null || b.role === 'ops', {
    message: 'only ops staff have a branch scope',
    path: ['branchScope'],
  });
const listFilters = {};
const staffCursor = z.tuple([z.string().max(64)]);

const staffView = z
  .strictObject({
    userid: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    branchScope: z.string().nullable(),
    disabledAt: isoTime.nullable(),
    updatedAt: isoTime,
  })
  .meta({ id: 'Staff' });

/** The API's view of a staff record. */
function presentStaff(s: StaffRow): z.infer<typeof staffView> {
  return {
    userid: s.userid,
    name: s.name,
    role: s.role,
    branchScope: s.branchScope,
    disabledAt: s.disabledAt ? new Date(s.disabledAt).toISOString() : null,
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

/**
 * `/api/v1/staff`: who may sign in to the console with which role (admins only; RMs need no record), and
 * `/api/v1/auth/logout` to end the caller's own console session.
 */
export function createStaffRouter(deps: {
  staff: StaffService;
  sessions: Pick<SessionService, 'close'>;
}): Router {
  const router = Router();
  router.get(
    '/staff',
    contract({
      tag: 'staff',
      summary: 'List staff records (who may sign in, with which role)',
      query: listQuery(listFilters),
      responses: { 200: pageOf(staffView) },
    }),
    requireRole('admin'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.staff.list({
        ...(q.cursor ? { after: decodeCursor(q.cursor, staffCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (s) => [s.userid]),
          presentStaff,
        ),
      );
    },
  );
  router.put(
    '/staff/:userid',
    contract({
      tag: 'staff',
      summary: "Create or change a staff record; the person's open sessions end",
      params: useridPath,
      body: putStaffBody,
      responses: { 200: staffView },
    }),
    requireRole('admin'),
    async (req: Request, res: Response) => {
      const { userid: id } = parseOrThrow(useridPath, req.params, 'path');
      const body = parseOrThrow(putStaffBody, req.body, 'body');
      const p = locals(res).principal;
      if (p?.name === id && (body.role !== 'admin' || body.disabled))
        throw new AppError('conflict', {
          message: 'an admin cannot take their own admin role away',
          zh: '管理员不能取消自己的管理员角色。',
        });
      const row = await deps.staff.put(
        { userid: id, ...body },
        { name: p?.name ?? 'unknown', requestId: locals(res).requestId ?? null },
      );
      res.json(presentStaff(row));
    },
  );
  router.post(
    '/auth/logout',
    contract({
      tag: 'auth',
      summary: "End the caller's console session (signed-in browsers only)",
      responses: { 204: null },
    }),
    requireRole(...ROLES),
    async (req: Request, res: Response) => {
      const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (!secret || !locals(res).principal?.tokenId.startsWith('session:'))
        throw new AppError('bad_request', {
          message: 'only a signed-in browser session can sign out; revoke tokens with the CLI',
          zh: '只有通过浏览器登录的会话才能退出登录；API 令牌请用命令行工具吊销。',
        });
      await deps.sessions.close(secret);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.clearCookie(CSRF_COOKIE, { path: '/' });
      res.status(204).end();
    },
  );
  return router;
}
