import { randomBytes } from 'node:crypto';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { AudienceGroupsRepository } from '../communities/audience-groups.repository.ts';
import type { AudienceRepository } from '../contacts/audience.repository.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';
import { createAttendance, type OnAttended } from './attendance.service.ts';
import { calendarAudience, inAudience, signupToken } from './event-audience.ts';
import type { EventsRepository } from './events.repository.ts';
import type { EventAudience, EventKind, EventRow, SignupVia } from './events.tables.ts';

/** Who made a change, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** An event ops create. */
export type NewEventInput = {
  kind: EventKind;
  title: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  audience: EventAudience;
  invitationComponentId: string;
  /** Values for the invitation's context.* variables (the night school's topic and speaker). */
  context?: Record<string, string | number>;
  /** When the invitation goes out; unset, a minute from now (the calendar's next tick). */
  inviteAt?: Date;
  reminders?: number[];
  pointsForAttendance?: number;
  /** Invite the top N KOC candidates by score now: they are added to the audience's clientIds. */
  kocTop?: number;
};

/** What a sign-up came to. `position` is the place on the waitlist. */
export type SignUpResult =
  | { outcome: 'signed_up'; event: EventRow }
  | { outcome: 'already_signed_up'; event: EventRow }
  | { outcome: 'waitlisted'; event: EventRow; position: number }
  | { outcome: 'already_waitlisted'; event: EventRow; position: number }
  | { outcome: 'closed'; event: EventRow };

/** What a cancellation came to; `promoted` is the waitlisted client who got the freed place. */
export type CancelResult =
  | { outcome: 'cancelled'; event: EventRow; promoted: string | undefined }
  | { outcome: 'already_cancelled'; event: EventRow }
  | { outcome: 'not_signed_up'; event: EventRow };

/** Events: create (with their calendar invitation), sign-ups, waitlist, attendance and stats. */
export type EventsService = ReturnType<typeof createEventsService>;

const MINUTE = 60_000;

/**
 * Creates the events service. Every sign-up and cancel of an event runs under a lock on the event's row,
 * so capacity is counted with no race: concurrent sign-ups never overfill, and a freed place goes to
 * exactly one waitlisted client.
 */
export function createEventsService(deps: {
  db: Db;
  repo: EventsRepository;
  audit: Pick<AuditRepository, 'append'>;
  content: Pick<ContentRenderService, 'approved'>;
  calendar: Pick<CalendarService, 'create'>;
  clients: Pick<AudienceRepository, 'clientFacts'>;
  groups: Pick<AudienceGroupsRepository, 'groups' | 'memberClients'>;
  /** Called once per newly attended batch: points and KOC scores (see `createAttendance`). */
  onAttended?: OnAttended;
  /** Clients the invitation's deliveries reached or are reaching (sent or pending), by calendar entry. */
  invited: (db: Db, calendarEntryId: string) => Promise<number>;
  /** The top N KOC candidates (the KOC module's ranking), for `kocTop` audiences. */
  topKocCandidates?: (n: number) => Promise<string[]>;
  clock: Clock;
}) {
  const { db, repo, clock } = deps;
  const attendance = createAttendance(deps);

  const notFound = (id: number) =>
    new AppError('not_found', { message: `no event ${id}`, zh: `没有编号为 ${id} 的活动。` });

  const inTx = <T>(handle: Tx | undefined, fn: (tx: Tx) => Promise<T>) =>
    handle ? fn(handle) : db.transaction(fn);

  /** The event, or a 404; inside a transaction, read with its handle (PGlite has one connection). */
  async function get(id: number, handle: Db | Tx = db): Promise<EventRow> {
    const e = await repo.findEvent(handle, id);
    if (!e) throw notFound(id);
    return e;
  }

  /** Whether a client is in the event's audience (tier, tags, groups, explicit clients). */
  async function audienceHas(handle: Db | Tx, e: EventRow, externalUserid: string): Promise<boolean> {
    const [facts] = await deps.clients.clientFacts(handle, [externalUserid]);
    if (facts?.status !== 'active') return false;
    let inGroups = false;
    if (e.audience.groupKeys) {
      const groups = await deps.groups.groups(handle, { groupKeys: e.audience.groupKeys });
      const members = await deps.groups.memberClients(
        handle,
        groups.map((g) => g.chatId),
      );
      inGroups = members.includes(externalUserid);
    }
    return inAudience(e.audience, externalUserid, { tier: facts.tier, tags: facts.tags, inGroups });
  }

  /** The audience with the top KOC candidates named, fixed at creation (so the invitation and sign-ups agree). */
  async function withKocInvitees(input: NewEventInput): Promise<NewEventInput> {
    if (!input.kocTop) return input;
    const top = deps.topKocCandidates ? await deps.topKocCandidates(input.kocTop) : [];
    if (top.length === 0)
      throw new AppError('bad_request', {
        message: 'audience.kocTop: there are no KOC candidates yet',
        zh: 'audience.kocTop: 目前还没有 KOC 候选人。',
      });
    const clientIds = [...new Set([...(input.audience.clientIds ?? []), ...top])];
    return { ...input, audience: { ...input.audience, clientIds } };
  }

  return {
    get,
    list: (opts: { beforeId?: number; limit: number }) => repo.listEvents(db, opts),

    /**
     * Creates an event and its invitation: a one-off calendar entry `event-<id>` with the event's audience
     * and component, so the calendar's fan-out makes the RMs' send tasks and the deliveries. The component
     * must have an approved version (400 otherwise); an invitation the calendar refuses removes the event.
     */
    async create(requested: NewEventInput, actor: Actor): Promise<EventRow> {
      const now = clock.now();
      const input = await withKocInvitees(requested);
      if (input.endsAt <= input.startsAt)
        throw new AppError('bad_request', {
          message: 'endsAt must be after startsAt',
          zh: '结束时间必须晚于开始时间。',
        });
      if (input.startsAt <= now)
        throw new AppError('bad_request', {
          message: 'startsAt must be in the future',
          zh: '活动开始时间必须晚于当前时间。',
        });
      try {
        await deps.content.approved(input.invitationComponentId);
      } catch (err) {
        if (err instanceof AppError && err.code === 'conflict')
          throw new AppError('bad_request', {
            message: `invitationComponentId: ${err.message}`,
            zh: `invitationComponentId: ${err.zh ?? '该内容当前不能发送。'}`,
          });
        throw err;
      }
      const chatIds = input.audience.groupKeys
        ? (await deps.groups.groups(db, { groupKeys: input.audience.groupKeys })).map((g) => g.chatId)
        : [];
      if (input.audience.groupKeys && chatIds.length === 0)
        throw new AppError('bad_request', {
          message: 'audience.groupKeys: no live group serves these keys',
          zh: 'audience.groupKeys: 没有正在使用的群对应这些群键。',
        });
      const event = await db.transaction(async (tx) => {
        const row = await repo.insertEvent(tx, {
          kind: input.kind,
          title: input.title,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          capacity: input.capacity,
          audience: input.audience,
          invitationComponentId: input.invitationComponentId,
          reminders: input.reminders ?? [1440, 60],
          pointsForAttendance: input.pointsForAttendance ?? 0,
          signupSecret: randomBytes(24).toString('base64url'),
          createdBy: actor.name,
          createdAt: now,
        });
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'event.create',
          targetType: 'event',
          targetId: String(row.id),
          details: { kind: row.kind, capacity: row.capacity, startsAt: row.startsAt.toISOString() },
          requestId: actor.requestId,
        });
        return row;
      });
      const audience = calendarAudience(input.audience, chatIds);
      if (!audience) return event;
      const entryId = `event-${event.id}`;
      try {
        await deps.calendar.create(
          entryId,
          {
            name: input.title.slice(0, 64),
            componentId: input.invitationComponentId,
            channel: 'single',
            audience,
            schedule: {
              kind: 'once',
              at: (input.inviteAt ?? new Date(now.getTime() + MINUTE)).toISOString(),
            },
            owner: actor.name.slice(0, 64),
            ...(input.context ? { context: input.context } : {}),
          },
          actor,
        );
      } catch (err) {
        // Nobody can have signed up yet: the event goes with its invitation rather than exist uninvited.
        await repo.deleteEvent(db, event.id);
        throw err;
      }
      await repo.setCalendarEntry(db, event.id, entryId);
      return { ...event, calendarEntryId: entryId };
    },

    /** Open events (scheduled, not started) whose audience includes the client, soonest first. */
    async openFor(handle: Db | Tx, externalUserid: string): Promise<EventRow[]> {
      const open = await repo.openEvents(handle, clock.now());
      const out: EventRow[] = [];
      for (const e of open) if (await audienceHas(handle, e, externalUserid)) out.push(e);
      return out;
    },

    audienceHas: (handle: Db | Tx, e: EventRow, externalUserid: string) =>
      audienceHas(handle, e, externalUserid),

    /**
     * Signs a client up, or puts them on the waitlist when every place is taken. Refused (`closed`) once
     * the event has started or was cancelled. Counted under the event's row lock.
     */
    async signUp(
      s: { eventId: number; externalUserid: string; via: SignupVia; actor: string },
      handle?: Tx,
    ): Promise<SignUpResult> {
      return inTx(handle, async (tx) => {
        const event = await repo.findEvent(tx, s.eventId, { forUpdate: true });
        if (!event) throw notFound(s.eventId);
        const now = clock.now();
        if (event.status !== 'scheduled' || event.startsAt <= now) return { outcome: 'closed', event };
        // The bot checked the audience; ops and links name a client, who must be one Helix knows.
        if (s.via !== 'bot' && (await deps.clients.clientFacts(tx, [s.externalUserid])).length === 0)
          throw new AppError('not_found', {
            message: `no client ${s.externalUserid}`,
            zh: '没有该客户。',
          });
        const current = await repo.findSignup(tx, s.eventId, s.externalUserid);
        if (current?.status === 'signed_up') return { outcome: 'already_signed_up', event };
        if (current?.status === 'waitlisted')
          return {
            outcome: 'already_waitlisted',
            event,
            position: await repo.waitlistPosition(tx, s.eventId, s.externalUserid),
          };
        const full = (await repo.countSignedUp(tx, s.eventId)) >= event.capacity;
        const status = full ? 'waitlisted' : 'signed_up';
        await repo.putSignup(tx, { ...s, status, at: now });
        await deps.audit.append(tx, {
          actor: s.actor,
          action: `event.${status === 'signed_up' ? 'sign_up' : 'waitlist'}`,
          targetType: 'event',
          targetId: String(s.eventId),
          details: { externalUserid: s.externalUserid, via: s.via },
          requestId: null,
        });
        if (!full) return { outcome: 'signed_up', event };
        return {
          outcome: 'waitlisted',
          event,
          position: await repo.waitlistPosition(tx, s.eventId, s.externalUserid),
        };
      });
    },

    /**
     * Cancels a client's sign-up or waitlist place. Cancelling a confirmed place before the start promotes
     * the first waitlisted client; the caller tells them after commit. A second cancel is `already_cancelled`.
     */
    async cancel(
      s: { eventId: number; externalUserid: string; actor: string },
      handle?: Tx,
    ): Promise<CancelResult> {
      return inTx(handle, async (tx) => {
        const event = await repo.findEvent(tx, s.eventId, { forUpdate: true });
        if (!event) throw notFound(s.eventId);
        const current = await repo.findSignup(tx, s.eventId, s.externalUserid);
        if (!current) return { outcome: 'not_signed_up', event };
        if (current.status === 'cancelled') return { outcome: 'already_cancelled', event };
        const now = clock.now();
        await repo.cancelSignup(tx, s.eventId, s.externalUserid, now);
        const promoted =
          current.status === 'signed_up' && event.status === 'scheduled' && event.startsAt > now
            ? await repo.promoteFirst(tx, s.eventId, now)
            : undefined;
        await deps.audit.append(tx, {
          actor: s.actor,
          action: 'event.cancel_signup',
          targetType: 'event',
          targetId: String(s.eventId),
          details: { externalUserid: s.externalUserid, ...(promoted ? { promoted } : {}) },
          requestId: null,
        });
        return { outcome: 'cancelled', event, promoted };
      });
    },

    markAttendance: attendance.markAttendance,

    /**
     * The event's figures: invited (its invitation's deliveries sent or pending), signed up, waitlisted,
     * cancelled, attended, and converted: attendees who activated since the event began.
     */
    async stats(eventId: number) {
      const event = await get(eventId);
      const counts = await repo.counts(db, eventId);
      const invited = event.calendarEntryId ? await deps.invited(db, event.calendarEntryId) : 0;
      const attendees = await repo.attendees(db, eventId);
      const facts = attendees.length > 0 ? await deps.clients.clientFacts(db, attendees) : [];
      const converted = facts.filter(
        (f) => f.activatedAt && new Date(f.activatedAt).getTime() >= event.startsAt.getTime(),
      ).length;
      return { invited, ...counts, converted };
    },

    listSignups: async (eventId: number, scope: Scope) => {
      await get(eventId);
      return repo.listSignups(db, eventId, scope);
    },

    /** A client's sign-up link token for the event (see `signupToken`). */
    async linkToken(eventId: number, externalUserid: string): Promise<string> {
      const e = await get(eventId);
      return signupToken(e.signupSecret, e.id, externalUserid);
    },
  };
}
