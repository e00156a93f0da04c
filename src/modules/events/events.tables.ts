import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/** Who an event is for; filters combine with AND, each list matches any of its values. */
export type EventAudience = {
  tiers?: string[];
  groupKeys?: string[];
  tags?: string[];
  clientIds?: string[];
};

/** What kind of event: the weekly 福利日, 夜校 and 茶话会, or anything else. */
export type EventKind = 'welfare_day' | 'night_school' | 'tea_party' | 'other';

/**
 * Events clients sign up for. The id is the number clients reply with (报名 12). The invitation goes out as
 * a one-off calendar entry (`calendar_entry_id`); `signup_secret` signs each client's sign-up link.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').$type<EventKind>().notNull(),
    title: text('title').notNull(),
    startsAt: timestamptz('starts_at').notNull(),
    endsAt: timestamptz('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    audience: jsonb('audience').$type<EventAudience>().notNull(),
    invitationComponentId: text('invitation_component_id').notNull(),
    calendarEntryId: text('calendar_entry_id'),
    /** Minutes before the start at which signed-up clients' RMs are reminded. */
    reminders: integer('reminders').array().notNull().default(sql`'{1440,60}'::int[]`),
    pointsForAttendance: integer('points_for_attendance').notNull().default(0),
    signupSecret: text('signup_secret').notNull(),
    status: text('status').$type<'scheduled' | 'cancelled'>().notNull().default('scheduled'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [
    check('events_kind', sql`${t.kind} IN ('welfare_day','night_school','tea_party','other')`),
    check('events_status', sql`${t.status} IN ('scheduled','cancelled')`),
    check('events_capacity', sql`${t.capacity} >= 0`),
    check('events_times', sql`${t.endsAt} > ${t.startsAt}`),
    index('events_starts_at_idx').on(t.startsAt),
  ],
);

/** A client's place at an event: confirmed, waiting, or given up; attendance is recorded on the same row. */
export const eventSignups = pgTable(
  'event_signups',
  {
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => events.id),
    externalUserid: text('external_userid').notNull(),
    status: text('status').$type<SignupStatus>().notNull(),
    via: text('via').$type<SignupVia>().notNull(),
    /**
     * Order of arrival within the event, assigned under the event's row lock: the waitlist is served in
     * this order (timestamps tie when sign-ups arrive together).
     */
    queueNo: integer('queue_no').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    cancelledAt: timestamptz('cancelled_at'),
    promotedAt: timestamptz('promoted_at'),
    attendedAt: timestamptz('attended_at'),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.externalUserid] }),
    // The waitlist in order: the first waitlisted is promoted when a place frees.
    index('event_signups_queue_idx').on(t.eventId, t.status, t.queueNo),
    check('event_signups_status', sql`${t.status} IN ('signed_up','waitlisted','cancelled')`),
    check('event_signups_via', sql`${t.via} IN ('bot','link','ops')`),
  ],
);

/** signed_up holds a place; waitlisted waits for one; cancelled gave it up. */
export type SignupStatus = 'signed_up' | 'waitlisted' | 'cancelled';
/** How the client signed up. */
export type SignupVia = 'bot' | 'link' | 'ops';

/** Each reminder of each event, recorded when it fired, so it fires once however often the job runs. */
export const eventReminders = pgTable(
  'event_reminders',
  {
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => events.id),
    minutesBefore: integer('minutes_before').notNull(),
    /** How many RMs were told (0 when the reminder was due but superseded by a later one). */
    rmsNotified: integer('rms_notified').notNull(),
    sentAt: timestamptz('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.minutesBefore] })],
);

/** An event row. */
export type EventRow = typeof events.$inferSelect;
/** A sign-up row. */
export type SignupRow = typeof eventSignups.$inferSelect;
