import { and, asc, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientInScope } from '../contacts/scope-filters.repository.ts';
import {
  type EventRow,
  eventReminders,
  eventSignups,
  events,
  type SignupRow,
  type SignupStatus,
  type SignupVia,
} from './events.tables.ts';

/** A new event, as the service inserts it. */
export type NewEvent = Omit<typeof events.$inferInsert, 'id' | 'calendarEntryId' | 'status'>;

/** Sign-up counts of one event. */
export type SignupCounts = { signedUp: number; waitlisted: number; cancelled: number; attended: number };

/** A reminder due: an event, one of its offsets, and the instant it came due. */
export type DueReminder = { eventId: number; minutesBefore: number };

/** The next arrival number of an event's sign-ups. */
const nextQueueNo = (eventId: number) =>
  sql`(SELECT COALESCE(max(queue_no), 0) + 1 FROM event_signups WHERE event_id = ${eventId})`;

/**
 * SQL that is true when the client whose external userid `clientUserid` yields attended any event, for
 * other modules' aggregates (KOC influence). Pass a qualified column.
 */
export function attendedAnEvent(clientUserid: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM event_signups att_s
                     WHERE att_s.external_userid = ${clientUserid} AND att_s.attended_at IS NOT NULL)`;
}

/** The events module's SQL: events, their sign-ups and the reminders sent. */
export type EventsRepository = ReturnType<typeof createEventsRepository>;

/** Creates the events repository. */
export function createEventsRepository() {
  return {
    async insertEvent(tx: Tx, e: NewEvent): Promise<EventRow> {
      const [row] = await tx.insert(events).values(e).returning();
      return row!;
    },

    async setCalendarEntry(db: Db | Tx, id: number, entryId: string): Promise<void> {
      await db.update(events).set({ calendarEntryId: entryId }).where(eq(events.id, id));
    },

    /** Removes an event nobody could have signed up for yet (its invitation could not be planned). */
    async deleteEvent(db: Db | Tx, id: number): Promise<void> {
      await db.delete(events).where(eq(events.id, id));
    },

    /** An event; `forUpdate` locks its row, which serialises every sign-up and cancel of that event. */
    async findEvent(db: Db | Tx, id: number, opts: { forUpdate?: boolean } = {}) {
      const q = db.select().from(events).where(eq(events.id, id));
      const [row] = opts.forUpdate ? await q.for('update') : await q;
      return row;
    },

    /** Events, newest start first, before the keyset `before` (an id). */
    listEvents: (db: Db, opts: { beforeId?: number; limit: number }) =>
      db
        .select()
        .from(events)
        .where(opts.beforeId ? lt(events.id, opts.beforeId) : undefined)
        .orderBy(desc(events.id))
        .limit(opts.limit),

    /** Scheduled events that have not started at `now`, soonest first. */
    openEvents: (db: Db | Tx, now: Date) =>
      db
        .select()
        .from(events)
        .where(
          and(eq(events.status, 'scheduled'), sql`${events.startsAt} > ${now.toISOString()}::timestamptz`),
        )
        .orderBy(asc(events.startsAt), asc(events.id))
        .limit(50),

    async findSignup(db: Db | Tx, eventId: number, externalUserid: string): Promise<SignupRow | undefined> {
      const [row] = await db
        .select()
        .from(eventSignups)
        .where(and(eq(eventSignups.eventId, eventId), eq(eventSignups.externalUserid, externalUserid)));
      return row;
    },

    /** Places taken: confirmed sign-ups. Call under the event's row lock. */
    async countSignedUp(tx: Tx, eventId: number): Promise<number> {
      const [row] = await queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM event_signups WHERE event_id = ${eventId} AND status = 'signed_up'`,
      );
      return row?.n ?? 0;
    },

    /**
     * Creates or re-opens a client's sign-up with `status` (a re-sign-up after a cancel joins the end of
     * the queue). Call under the event's row lock: the next queue number is read from the rows.
     */
    async putSignup(
      tx: Tx,
      s: { eventId: number; externalUserid: string; status: SignupStatus; via: SignupVia; at: Date },
    ): Promise<void> {
      await tx
        .insert(eventSignups)
        .values({
          eventId: s.eventId,
          externalUserid: s.externalUserid,
          status: s.status,
          via: s.via,
          queueNo: nextQueueNo(s.eventId),
          createdAt: s.at,
          updatedAt: s.at,
        })
        .onConflictDoUpdate({
          target: [eventSignups.eventId, eventSignups.externalUserid],
          set: {
            status: s.status,
            via: s.via,
            queueNo: nextQueueNo(s.eventId),
            updatedAt: s.at,
            cancelledAt: null,
            promotedAt: null,
          },
        });
    },

    async cancelSignup(tx: Tx, eventId: number, externalUserid: string, at: Date): Promise<void> {
      await tx
        .update(eventSignups)
        .set({ status: 'cancelled', cancelledAt: at, updatedAt: at })
        .where(and(eq(eventSignups.eventId, eventId), eq(eventSignups.externalUserid, externalUserid)));
    },

    /** 1-based place on the waitlist (first waitlisted first). */
    async waitlistPosition(db: Db | Tx, eventId: number, externalUserid: string): Promise<number> {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM event_signups w, event_signups me
             WHERE me.event_id = ${eventId} AND me.external_userid = ${externalUserid}
               AND w.event_id = me.event_id AND w.status = 'waitlisted'
               AND w.queue_no <= me.queue_no`,
      );
      return row?.n ?? 0;
    },

    /** Promotes the first waitlisted client to a place; returns who, or undefined with nobody waiting. */
    async promoteFirst(tx: Tx, eventId: number, at: Date): Promise<string | undefined> {
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE event_signups SET status = 'signed_up', promoted_at = ${at.toISOString()}::timestamptz,
                   updated_at = ${at.toISOString()}::timestamptz
             WHERE (event_id, external_userid) = (
                   SELECT event_id, external_userid FROM event_signups
                    WHERE event_id = ${eventId} AND status = 'waitlisted'
                    ORDER BY queue_no LIMIT 1)
         RETURNING external_userid AS id`,
      );
      return row?.id;
    },

    /**
     * Records attendance for `ids`; a client without a sign-up gets a row (via ops) so attendance is kept.
     * Returns the clients newly marked (attended_at was null), and those who had no sign-up.
     */
    async markAttended(tx: Tx, eventId: number, ids: readonly string[], at: Date) {
      const inserted = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO event_signups (event_id, external_userid, status, via, queue_no, created_at, updated_at)
            SELECT ${eventId}, u.id, 'signed_up', 'ops', ${nextQueueNo(eventId)} + u.n - 1,
                   ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
              FROM unnest(${sql.param([...ids])}::text[]) WITH ORDINALITY AS u(id, n)
            ON CONFLICT DO NOTHING RETURNING external_userid AS id`,
      );
      const marked = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE event_signups SET attended_at = ${at.toISOString()}::timestamptz
             WHERE event_id = ${eventId} AND external_userid = ANY(${sql.param([...ids])}::text[])
               AND attended_at IS NULL
         RETURNING external_userid AS id`,
      );
      return { newlyAttended: marked.map((r) => r.id), notSignedUp: inserted.map((r) => r.id) };
    },

    async counts(db: Db | Tx, eventId: number): Promise<SignupCounts> {
      const [row] = await queryRows<SignupCounts>(
        db,
        sql`SELECT count(*) FILTER (WHERE status = 'signed_up')::int AS "signedUp",
                   count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
                   count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
                   count(*) FILTER (WHERE attended_at IS NOT NULL)::int AS attended
              FROM event_signups WHERE event_id = ${eventId}`,
      );
      return row ?? { signedUp: 0, waitlisted: 0, cancelled: 0, attended: 0 };
    },

    /** Clients who attended. */
    async attendees(db: Db | Tx, eventId: number): Promise<string[]> {
      const rows = await db
        .select({ id: eventSignups.externalUserid })
        .from(eventSignups)
        .where(and(eq(eventSignups.eventId, eventId), sql`${eventSignups.attendedAt} IS NOT NULL`));
      return rows.map((r) => r.id);
    },

    /** An event's sign-ups within `scope` (an RM sees their own clients'), in sign-up order. */
    listSignups: (db: Db, eventId: number, scope: Scope) =>
      queryRows<SignupRow>(
        db,
        sql`SELECT s.event_id AS "eventId", s.external_userid AS "externalUserid", s.status, s.via,
                   s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.cancelled_at AS "cancelledAt",
                   s.promoted_at AS "promotedAt", s.attended_at AS "attendedAt"
              FROM event_signups s
             WHERE s.event_id = ${eventId} AND ${clientInScope(scope, sql`s.external_userid`)}
             ORDER BY s.created_at, s.external_userid
             LIMIT 5000`,
      ),

    /** Confirmed clients of an event. */
    async signedUpClients(db: Db | Tx, eventId: number): Promise<string[]> {
      const rows = await db
        .select({ id: eventSignups.externalUserid })
        .from(eventSignups)
        .where(and(eq(eventSignups.eventId, eventId), eq(eventSignups.status, 'signed_up')))
        .orderBy(asc(eventSignups.externalUserid));
      return rows.map((r) => r.id);
    },

    /** (event, offset) pairs whose instant has come at `now`, for events not yet started, not yet recorded. */
    dueReminders: (db: Db, now: Date) =>
      queryRows<DueReminder>(
        db,
        sql`SELECT e.id::int AS "eventId", m AS "minutesBefore"
              FROM events e, unnest(e.reminders) AS m
             WHERE e.status = 'scheduled' AND e.starts_at > ${now.toISOString()}::timestamptz
               AND e.starts_at - make_interval(mins => m) <= ${now.toISOString()}::timestamptz
               AND NOT EXISTS (SELECT 1 FROM event_reminders r WHERE r.event_id = e.id AND r.minutes_before = m)
             ORDER BY e.id, m`,
      ),

    /** Records a reminder as fired; false when another run recorded it first. */
    async recordReminder(
      tx: Tx,
      r: { eventId: number; minutesBefore: number; rmsNotified: number; at: Date },
    ): Promise<boolean> {
      const rows = await tx
        .insert(eventReminders)
        .values({
          eventId: r.eventId,
          minutesBefore: r.minutesBefore,
          rmsNotified: r.rmsNotified,
          sentAt: r.at,
        })
        .onConflictDoNothing()
        .returning({ id: eventReminders.eventId });
      return rows.length > 0;
    },
  };
}
