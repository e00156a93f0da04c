import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Scope } from '../../platform/auth/scope.ts';
import { dateInZone } from '../../platform/calendar/dates.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { CalendarRepository } from '../calendar/calendar.repository.ts';
import type { AudienceRepository } from '../contacts/audience.repository.ts';
import type { RmsRepository } from '../contacts/rms.repository.ts';
import type { ConversationsService } from '../conversations/conversations.service.ts';
import type { TouchesRepository } from '../engagement/touches.repository.ts';
import type { CampaignsRepository } from './campaigns.repository.ts';

const userid = z.string().min(1).max(64);
const tasksQuery = z.object({ rm: userid.optional() }).strict();
const touchPath = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 53 - 1),
});
const logTouchBody = z
  .object({
    externalUserid: z.string().min(1).max(128),
    kind: z.enum(['check_in', 'follow_up']),
    title: z.string().trim().min(1).max(64),
    ref: z.string().min(1).max(128).optional(),
  })
  .strict();

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const taskListView = z.strictObject({
  rm: z.string(),
  date: isoDate.meta({ description: "today's local date (the service's time zone)" }),
  sendTasks: z.array(
    z.strictObject({
      id: z.number().int(),
      kind: z.enum(['single', 'group', 'moment', 'app', 'robot']),
      recipients: z.number().int(),
      entryId: z.string().nullable(),
      title: z.string().nullable().meta({ description: "the calendar entry's name" }),
      scheduledAt: isoTime.nullable(),
      createdAt: isoTime,
    }),
  ),
  touchesDue: z.array(
    z.strictObject({
      id: z.number().int(),
      kind: z.enum(['task_confirmed', 'birthday', 'festival', 'handoff_reply', 'check_in', 'follow_up']),
      emotional: z.boolean(),
      title: z.string(),
      body: z.string().nullable().meta({ description: 'the ready text the RM sends personally, if any' }),
      externalUserid: z.string().nullable(),
      dueDate: isoDate.nullable(),
    }),
  ),
  handoffs: z.array(
    z.strictObject({
      id: z.number().int(),
      chatId: z.string(),
      clientUserid: z.string(),
      ownerState: z.enum(['pending-human', 'human']),
      rmUserid: z.string().nullable(),
      takenOverBy: z.string().nullable(),
      slaDueAt: isoTime.nullable(),
      slaKept: z.boolean().nullable(),
    }),
  ),
});

const touchDoneView = z.strictObject({
  id: z.number().int(),
  status: z.enum(['due', 'done']),
  doneAt: isoTime.nullable(),
});

const touchLoggedView = z.strictObject({
  ref: z.string().meta({ description: "the touch's idempotency key: the same ref logs it once" }),
  created: z.boolean().meta({ description: 'false when a touch with this ref was logged already' }),
});

/**
 * `/api/v1/tasks`: an RM's task list, the page their reminders link to. It lists the send tasks they still
 * have to confirm in WeCom, the touches due today (birthdays, festivals, follow-ups) and their open hand-offs,
 * and lets them mark a touch done or log a check-in. An RM sees their own list; ops see an RM's in scope.
 */
export function createTasksRouter(deps: {
  db: Db;
  campaigns: Pick<CampaignsRepository, 'openTasksOf'>;
  calendar: Pick<CalendarRepository, 'occurrenceLabels'>;
  touches: TouchesRepository;
  rms: Pick<RmsRepository, 'outsideScope'>;
  audience: Pick<AudienceRepository, 'clientsPage'>;
  conversations: Pick<ConversationsService, 'list'>;
  timeZone: string;
  clock: Clock;
}): Router {
  const router = Router();
  const gate = requireScopedRole('admin', 'ops', 'rm');
  // Touches are the RM's own record: only an RM marks one done or logs one.
  const rmOnly = requireScopedRole('rm');

  /** The RM whose list this is: an RM token's own, or the `rm` an ops token names (within its scope). */
  async function rmFor(scope: Scope, asked: string | undefined): Promise<string> {
    if (scope.kind === 'rm') {
      if (asked && asked !== scope.rmUserid)
        throw new AppError('not_found', {
          message: `no RM ${asked} in your scope`,
          zh: `在您的权限范围内没有客户经理 ${asked}。`,
        });
      return scope.rmUserid;
    }
    if (!asked)
      throw new AppError('bad_request', {
        message: 'invalid query: rm: name the RM whose tasks to list',
        zh: '查询参数有误：请用 rm 指定要查看哪位客户经理的任务。',
      });
    if ((await deps.rms.outsideScope(deps.db, scope, [asked])).length > 0)
      throw new AppError('not_found', {
        message: `no RM ${asked} in your scope`,
        zh: `在您的权限范围内没有客户经理 ${asked}。`,
      });
    return asked;
  }

  router.get(
    '/tasks',
    contract({
      tag: 'tasks',
      summary: "An RM's task list: send tasks to confirm, touches due today and open hand-offs",
      description: 'An RM gets their own list; ops name the RM with `rm` (within their scope).',
      query: tasksQuery,
      responses: { 200: taskListView },
    }),
    gate,
    async (req: Request, res: Response) => {
      const q = parseOrThrow(tasksQuery, req.query, 'query');
      const rm = await rmFor(scopeOf(res), q.rm);
      const today = dateInZone(deps.clock.now(), deps.timeZone);
      const tasks = await deps.campaigns.openTasksOf(deps.db, rm);
      const labels = new Map(
        (await deps.calendar.occurrenceLabels(deps.db, [...new Set(tasks.map((t) => t.occurrenceId))])).map(
          (l) => [l.id, l],
        ),
      );
      const rmScope: Scope = { kind: 'rm', rmUserid: rm };
      const handoffs = [
        ...(await deps.conversations.list(deps.db, rmScope, { state: 'pending-human', limit: 50 })),
        ...(await deps.conversations.list(deps.db, rmScope, { state: 'human', limit: 50 })),
      ];
      res.json({
        rm,
        date: today,
        sendTasks: tasks.map((t) => {
          const l = labels.get(t.occurrenceId);
          return {
            id: t.id,
            kind: t.kind,
            recipients: t.recipients,
            entryId: l?.entryId ?? null,
            title: l?.body.name ?? null,
            scheduledAt: l ? new Date(l.scheduledAt).toISOString() : null,
            createdAt: new Date(t.createdAt).toISOString(),
          };
        }),
        touchesDue: (await deps.touches.due(deps.db, rm, today)).map((t) => ({
          id: t.id,
          kind: t.kind,
          emotional: t.emotional,
          title: t.title,
          body: t.body,
          externalUserid: t.externalUserid,
          dueDate: t.dueDate,
        })),
        handoffs,
      });
    },
  );

  router.post(
    '/tasks/touches/:id/done',
    contract({
      tag: 'tasks',
      summary: 'Mark a touch due on your task list done',
      params: touchPath,
      responses: { 200: touchDoneView },
    }),
    rmOnly,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(touchPath, req.params, 'path');
      const touch = await deps.touches.find(deps.db, id);
      const scope = scopeOf(res);
      // Another RM's touch (or one outside an ops token's branch) does not exist for this caller.
      const visible =
        touch &&
        (scope.kind === 'rm'
          ? touch.rm === scope.rmUserid
          : (await deps.rms.outsideScope(deps.db, scope, [touch.rm])).length === 0);
      if (!touch || !visible)
        throw new AppError('not_found', {
          message: `no touch ${id} in your scope`,
          zh: `在您的权限范围内没有编号为 ${id} 的触达任务。`,
        });
      const done = await deps.touches.markDone(deps.db, id, deps.clock.now());
      if (!done)
        throw new AppError('conflict', {
          message: `touch ${id} is done already`,
          zh: `触达任务 ${id} 已经完成。`,
        });
      res.json({
        id: done.id,
        status: done.status,
        doneAt: done.doneAt ? new Date(done.doneAt).toISOString() : null,
      });
    },
  );

  router.post(
    '/tasks/touches',
    contract({
      tag: 'tasks',
      summary: 'Log a check-in or follow-up with one of your clients',
      description: 'Idempotent per `ref`: logging the same ref again answers 200 with `created: false`.',
      body: logTouchBody,
      responses: { 201: touchLoggedView, 200: touchLoggedView },
    }),
    rmOnly,
    async (req: Request, res: Response) => {
      const scope = scopeOf(res);
      if (scope.kind !== 'rm') throw new Error('the rm gate let a non-RM through');
      const body = parseOrThrow(logTouchBody, req.body, 'body');
      const mine = await deps.audience.clientsPage(
        deps.db,
        { externalUserids: [body.externalUserid], rms: [scope.rmUserid] },
        '',
        1,
      );
      if (mine.length === 0)
        throw new AppError('not_found', { message: 'no such client of yours', zh: '您名下没有该客户。' });
      const now = deps.clock.now();
      const ref = `rm:${scope.rmUserid}:${body.ref ?? `${body.kind}:${body.externalUserid}:${now.getTime()}`}`;
      const inserted = await deps.touches.insert(
        deps.db,
        [
          {
            rm: scope.rmUserid,
            externalUserid: body.externalUserid,
            kind: body.kind,
            emotional: body.kind === 'check_in',
            status: 'done',
            title: body.title,
            ref,
          },
        ],
        now,
      );
      res.status(inserted ? 201 : 200).json({ ref, created: inserted > 0 });
    },
  );

  return router;
}
