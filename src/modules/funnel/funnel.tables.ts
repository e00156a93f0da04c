import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * Awareness Helix can see before an add: a counter per channel, business day (SCHEDULER_TIMEZONE) and
 * kind. `link_open` is a scan or click of the channel's tracked link `/go/<state>`.
 */
export const channelExposures = pgTable(
  'channel_exposures',
  {
    channelId: text('channel_id').notNull(),
    day: date('day').notNull(),
    kind: text('kind').$type<'link_open'>().notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.day, t.kind] }),
    check('channel_exposures_kind', sql`${t.kind} IN ('link_open')`),
  ],
);

/**
 * The funnel per acquisition week (Monday, business time zone), channel and owner RM, filled nightly.
 * `rm` is '' on the row that holds a channel's link opens (they have no RM) and for clients without an
 * owner. Churn is counted in the week it happened, on the RM who was removed.
 */
export const funnelWeekly = pgTable(
  'funnel_weekly',
  {
    weekStart: date('week_start').notNull(),
    channelId: text('channel_id').notNull(),
    rm: text('rm').notNull(),
    aware: integer('aware').notNull().default(0),
    acquired: integer('acquired').notNull().default(0),
    activated: integer('activated').notNull().default(0),
    churnedByClient: integer('churned_by_client').notNull().default(0),
    removedByRm: integer('removed_by_rm').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.weekStart, t.channelId, t.rm] })],
);

/**
 * Retention of each acquisition week's clients per channel, `weeks_after` weeks later (0 = the week of
 * acquisition, up to 26): how many were still a contact at that week's end, in a group at its end, touched
 * in it, and active in it (a done touch or an activation event in that week).
 */
export const retentionCohorts = pgTable(
  'retention_cohorts',
  {
    cohortWeek: date('cohort_week').notNull(),
    channelId: text('channel_id').notNull(),
    weeksAfter: integer('weeks_after').notNull(),
    size: integer('size').notNull(),
    stillContact: integer('still_contact').notNull(),
    inGroup: integer('in_group').notNull(),
    touched: integer('touched').notNull(),
    active: integer('active').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortWeek, t.channelId, t.weeksAfter] })],
);

/**
 * RMs whose clients deleted them in a week above CHURN_ALERT_RATE of the clients held at its start (and at
 * least CHURN_ALERT_MIN of them). One row per RM and week: an alert is raised, logged and counted once.
 */
export const churnAlerts = pgTable(
  'churn_alerts',
  {
    rm: text('rm').notNull(),
    weekStart: date('week_start').notNull(),
    churned: integer('churned').notNull(),
    base: integer('base').notNull(),
    rate: doublePrecision('rate').notNull(),
    threshold: doublePrecision('threshold').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.rm, t.weekStart] })],
);
