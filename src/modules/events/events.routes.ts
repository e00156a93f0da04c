import { parse as parseCsv } from 'csv-parse/sync';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  requireHeadOffice,
  requireRole,
  requireScopedRole,
  scopeOf,
} from '../../platform/auth/auth.middleware.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import { signupTokenValid } from './event-audience.ts';
import type { CancelResult, EventsService, SignUpResult } from './events.service.ts';
import type { EventRow, SignupRow } from './events.tables.ts';
import type { PromotionNotice } from './promotion-notice.ts';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
const userid = z.string().min(1).max(64);
const createBody = z
  .object({
    kind: z.enum(['welfare_day', 'night_school', 'tea_party', 'other']),
    title: z.string().trim().min(1).max(40),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    capacity: z.number().int().min(0).max(100_000),
    audience: z
      .object({
        tiers: z.array(z.string().min(1).max(32)).min(1).max(20).optional(),
        groupKeys: z.array(z.string().min(1).max(64)).min(1).max(200).optional(),
        tags: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
        clientIds: z.array(userid).min(1).max(5000).optional(),
        /** The top N KOC candidates by score now (the Sunday tea party), added to clientIds. */
        kocTop: z.number().int().min(1).max(500).optional(),
      })
      .strict()
      .refine(
        (a) => Object.keys(a).length > 0,
        'name an audience (tiers, groupKeys, tags, clientIds or kocTop)',
      ),
    invitationComponentId: slug,
    context: z
      .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/), z.union([z.string().max(200), z.number()]))
      .refine((r) => Object.keys(r).length <= 20, 'at most 20 values')
      .optional(),
    inviteAt: z.iso.datetime({ offset: true }).optional(),
    reminders: z
      .array(
        z
          .number()
          .int()
          .min(1)
          .max(14 * 1440),
      )
      .max(5)
      .optional(),
    pointsForAttendance: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();
const idPath = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
});
const signupPath = idPath.extend({ externalUserid: userid });
const signupBody = z.object({ externalUserid: userid }).strict();
const linkBody = z.object({ externalUserid: userid, token: z.string().min(8).max(64) }).strict();
const attendanceBody = z.object({ externalUserids: z.array(userid).min(1).max(10_000) }).strict();
const eventCursor = z.tuple([z.number().int()]);

const eventView = z
  .strictObject({
    id: z.number().int().meta({ description: 'the number clients reply with (报名 12)' }),
    kind: z.string(),
    title: z.string(),
    startsAt: isoTime,
    endsAt: isoTime,
    capacity: z.number().int(),
    audience: z.record(z.string(), z.array(z.string())),
    invitationComponentId: z.string(),
    calendarEntryId: z.string().nullable(),
    reminders: z.array(z.number().int()),
    pointsForAttendance: z.number().int(),
    status: z.string(),
    createdBy: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'Event' });
const statsView = z.strictObject({
  invited: z.number().int(),
  signedUp: z.number().int(),
  waitlisted: z.number().int(),
  cancelled: z.number().int(),
  attended: z.number().int(),
  converted: z.number().int().meta({ description: 'attendees who activated since the event began' }),
});
const signupView = z
  .strictObject({
    externalUserid: z.string(),
    status: z.string(),
    via: z.string(),
    createdAt: isoTime,
    cancelledAt: isoTime.nullable(),
    promotedAt: isoTime.nullable(),
    attendedAt: isoTime.nullable(),
  })
  .meta({ id: 'EventSignup' });
const signUpView = z.strictObject({
  outcome: z.enum(['signed_up', 'already_signed_up', 'waitlisted', 'already_waitlisted']),
  position: z.number().int().optional().meta({ description: 'place on the waitlist' }),
});
const issueView = z.strictObject({ line: z.number().int(), externalUserid: z.string(), problem: z.string() });
const attendanceView = z.strictObject({
  attended: z.number().int(),
  newlyAttended: z.number().int(),
  issues: z.array(issueView),
});

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The API's view of an event (never its link secret). */
export function presentEvent(e: EventRow): z.infer<typeof eventView> {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    startsAt: new Date(e.startsAt).toISOString(),
    endsAt: new Date(e.endsAt).toISOString(),
    capacity: e.capacity,
    audience: e.audience as Record<string, string[]>,
    invitationComponentId: e.invitationComponentId,
    calendarEntryId: e.calendarEntryId,
    reminders: e.reminders,
    pointsForAttendance: e.pointsForAttendance,
    status: e.status,
    createdBy: e.createdBy,
    createdAt: new Date(e.createdAt).toISOString(),
  };
}

const presentSignup = (s: SignupRow): z.infer<typeof signupView> => ({
  externalUserid: s.externalUserid,
  status: s.status,
  via: s.via,
  createdAt: new Date(s.createdAt).toISOString(),
  cancelledAt: iso(s.cancelledAt),
  promotedAt: iso(s.promotedAt),
  attendedAt: iso(s.attendedAt),
});

/** A sign-up's answer; a refused one (the event started or was cancelled) is a 409 that says so. */
function presentSignUp(r: SignUpResult): z.infer<typeof signUpView> {
  if (r.outcome === 'closed')
    throw new AppError('conflict', {
      message: `event ${r.event.id} has started, ended or was cancelled: sign-ups are closed`,
      zh: `活动 ${r.event.id} 已开始、已结束或已取消，不能再报名。`,
    });
  return r.outcome === 'waitlisted' || r.outcome === 'already_waitlisted'
    ? { outcome: r.outcome, position: r.position }
    : { outcome: r.outcome };
}

/**
 * Attendance import lines: the first column of each record (a header `external_userid` is skipped), with
 * the line it came from. Quoted fields are read as CSV reads them; malformed CSV is a 400 naming its line.
 */
function parseAttendanceCsv(text: string): { line: number; externalUserid: string }[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      // csv-parse's types do not follow `info: true`, which wraps each record with where it was read.
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError('bad_request', {
      message: `attendance CSV is malformed${line ? ` at line ${line}` : ''}`,
      zh: `签到名单的 CSV 格式有误${line ? `（第 ${line} 行）` : ''}。`,
    });
  }
  const out: { line: number; externalUserid: string }[] = [];
  for (const { record, info } of records) {
    const first = record[0] ?? '';
    if (!first || (info.lines === 1 && /^external_?userid$/i.test(first))) continue;
    out.push({ line: info.lines, externalUserid: first.slice(0, 64) });
  }
  return out;
}

/** Events invite every branch's clients through the calendar: head office runs them. */
const headOffice = requireHeadOffice({ en: 'events', zh: '活动' });

/**
 * `/api/v1/events`: ops create events and mark attendance; RMs read their own clients' sign-ups. Sign-ups
 * and cancels by ops act for a client (`via: ops`); clients use the bot or their link (`createEventLinkRouter`).
 */
export function createEventsRouter(deps: { events: EventsService; notifyPromoted: PromotionNotice }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  router.get(
    '/events',
    contract({
      tag: 'events',
      summary: 'List events, newest first',
      query: listQuery({}),
      responses: { 200: pageOf(eventView) },
    }),
    requireRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseListQuery({}, req.query);
      const rows = await deps.events.list({
        ...(q.cursor ? { beforeId: decodeCursor(q.cursor, eventCursor)[0] } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (e) => [e.id]),
          presentEvent,
        ),
      );
    },
  );
  router.post(
    '/events',
    contract({
      tag: 'events',
      summary: 'Create an event and its one-off calendar invitation',
      description:
        'The invitation is the calendar entry `event-<id>` (1:1 channel, the event audience; `groupKeys` ' +
        'become the groups serving them, `clientIds` the named clients). Filters combine with AND, as ' +
        'sign-ups check them.',
      body: createBody,
      responses: { 201: eventView },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const b = parseOrThrow(createBody, req.body, 'body');
      const { kocTop, ...audience } = b.audience;
      const row = await deps.events.create(
        {
          ...b,
          audience,
          ...(kocTop ? { kocTop } : {}),
          startsAt: new Date(b.startsAt),
          endsAt: new Date(b.endsAt),
          ...(b.inviteAt ? { inviteAt: new Date(b.inviteAt) } : {}),
          ...(b.context ? { context: b.context } : {}),
        } as Parameters<EventsService['create']>[0],
        actor(res),
      );
      res.status(201).json(presentEvent(row));
    },
  );
  router.get(
    '/events/:id',
    contract({
      tag: 'events',
      summary: 'An event with its stats',
      params: idPath,
      responses: { 200: eventView.extend({ stats: statsView }) },
    }),
    requireRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const event = await deps.events.get(id);
      res.json({ ...presentEvent(event), stats: await deps.events.stats(id) });
    },
  );
  router.get(
    '/events/:id/signups',
    contract({
      tag: 'events',
      summary: "An event's sign-ups (an RM sees their own clients')",
      params: idPath,
      responses: { 200: z.strictObject({ items: z.array(signupView) }) },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      res.json({ items: (await deps.events.listSignups(id, scopeOf(res))).map(presentSignup) });
    },
  );
  router.post(
    '/events/:id/signups',
    contract({
      tag: 'events',
      summary: 'Sign a client up for them (ops); full events waitlist them',
      description:
        'Clients sign up through their link instead: `POST /signup/events/:id` (outside the API, no sign-in) ' +
        'with `{externalUserid, token}`, token from `GET /events/:id/link/:externalUserid` (an HMAC under ' +
        "the event's own secret).",
      params: idPath,
      body: signupBody,
      responses: { 201: signUpView },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const { externalUserid } = parseOrThrow(signupBody, req.body, 'body');
      const r = await deps.events.signUp({ eventId: id, externalUserid, via: 'ops', actor: actor(res).name });
      res.status(201).json(presentSignUp(r));
    },
  );
  router.delete(
    '/events/:id/signups/:externalUserid',
    contract({
      tag: 'events',
      summary: "Cancel a client's sign-up; the first waitlisted client gets the place",
      params: signupPath,
      responses: {
        200: z.strictObject({ outcome: z.literal('cancelled'), promoted: z.string().nullable() }),
      },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const { id, externalUserid } = parseOrThrow(signupPath, req.params, 'path');
      const r = await deps.events.cancel({ eventId: id, externalUserid, actor: actor(res).name });
      const answer = presentCancel(r);
      // Told after commit, without holding the answer: the notice logs its own failure.
      if (r.outcome === 'cancelled' && r.promoted) void deps.notifyPromoted(r.event, r.promoted);
      res.json(answer);
    },
  );
  router.get(
    '/events/:id/link/:externalUserid',
    contract({
      tag: 'events',
      summary: "A client's sign-up link token",
      params: signupPath,
      responses: { 200: z.strictObject({ token: z.string() }) },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const { id, externalUserid } = parseOrThrow(signupPath, req.params, 'path');
      res.json({ token: await deps.events.linkToken(id, externalUserid) });
    },
  );
  router.post(
    '/events/:id/attendance',
    contract({
      tag: 'events',
      summary: 'Mark clients as attended (each grants its points once)',
      params: idPath,
      body: attendanceBody,
      responses: { 200: attendanceView },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      const { externalUserids } = parseOrThrow(attendanceBody, req.body, 'body');
      res.json(
        await deps.events.markAttendance(
          id,
          externalUserids.map((externalUserid, i) => ({ line: i + 1, externalUserid })),
          actor(res),
        ),
      );
    },
  );
  router.post(
    '/events/:id/attendance/import',
    contract({
      tag: 'events',
      summary: 'Import attendance from a list (e.g. the live-stream platform export)',
      description:
        'CSV text, the external userid first on each line (an `external_userid` header is skipped). Lines ' +
        'with an unknown client are refused and listed; clients who never signed up are recorded and flagged.',
      params: idPath,
      body: { mediaType: 'text/csv', description: 'one external userid per line' },
      responses: { 200: attendanceView },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    express.text({ type: ['text/csv', 'text/plain'], limit: '2mb' }),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      if (typeof req.body !== 'string')
        throw new AppError('unsupported_media_type', {
          message: 'send the list as text/csv',
          zh: '请以 text/csv 格式上传名单。',
        });
      const lines = parseAttendanceCsv(req.body);
      if (lines.length === 0)
        throw new AppError('bad_request', { message: 'the list is empty', zh: '名单为空。' });
      res.json(await deps.events.markAttendance(id, lines, actor(res)));
    },
  );
  return router;
}

function presentCancel(r: CancelResult) {
  if (r.outcome === 'already_cancelled')
    throw new AppError('conflict', {
      message: `the sign-up for event ${r.event.id} is already cancelled`,
      zh: `该客户在活动 ${r.event.id} 的报名已经取消过了。`,
    });
  if (r.outcome === 'not_signed_up')
    throw new AppError('not_found', {
      message: `no sign-up for event ${r.event.id}`,
      zh: `该客户没有报名活动 ${r.event.id}。`,
    });
  return { outcome: r.outcome, promoted: r.promoted ?? null };
}

/**
 * The client's sign-up link, outside the signed-in API: `POST /signup/events/:id` with
 * `{externalUserid, token}`. The token (`GET /api/v1/events/:id/link/:externalUserid`, for ops to put in
 * the link) is the event's HMAC of the client, so a link signs up only its own client for its own event.
 * Every other answer is the API's: 201 with the outcome, 409 once the event started, 403 for a bad token.
 */
export function createEventLinkRouter(deps: { events: EventsService }): Router {
  const router = Router();
  router.post('/signup/events/:id', express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const { id } = parseOrThrow(idPath, req.params, 'path');
    const { externalUserid, token } = parseOrThrow(linkBody, req.body, 'body');
    const event = await deps.events.get(id);
    if (!signupTokenValid(event.signupSecret, id, externalUserid, token))
      throw new AppError('forbidden', {
        message: 'this sign-up link is not valid',
        zh: '报名链接无效。',
      });
    const r = await deps.events.signUp({ eventId: id, externalUserid, via: 'link', actor: 'link' });
    res.status(201).json(presentSignUp(r));
  });
  return router;
}
