import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';
import type { EntryBody } from './calendar.schemas.ts';

/**
 * Content-calendar entries: what to send (an approved component), to whom, on which channel and when. The
 * row holds the current definition; every change is also a row of `calendar_entry_versions`, because an
 * occurrence is fired under the version in effect at its scheduled time (an edit affects only the future).
 */
export const calendarEntries = pgTable(
  'calendar_entries',
  {
    id: text('id').primaryKey(),
    body: jsonb('body').$type<EntryBody>().notNull(),
    status: text('status').$type<EntryStatus>().notNull().default('active'),
    /** Optimistic lock: an edit names the version it read and is refused (409) when it moved on. */
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('calendar_entries_status', sql`${t.status} IN ('active','paused','ended')`)],
);

/** active: fires; paused: fires no more until resumed; ended: fires never again. */
export type EntryStatus = 'active' | 'paused' | 'ended';

/** Each version of an entry and the instant it took effect: the history occurrences are expanded from. */
export const calendarEntryVersions = pgTable(
  'calendar_entry_versions',
  {
    entryId: text('entry_id')
      .notNull()
      .references(() => calendarEntries.id),
    version: integer('version').notNull(),
    body: jsonb('body').$type<EntryBody>().notNull(),
    status: text('status').$type<EntryStatus>().notNull(),
    effectiveFrom: timestamptz('effective_from').notNull(),
    changedBy: text('changed_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.version] })],
);

/**
 * One row per occurrence Helix decided about: fired (running → done or failed), skipped (a holiday, content
 * that may not be sent) or missed (older than the catch-up window when the scheduler came back). The unique
 * (entry, scheduled_at) is what makes a fire idempotent however many schedulers enqueue it.
 */
export const calendarOccurrences = pgTable(
  'calendar_occurrences',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: text('entry_id')
      .notNull()
      .references(() => calendarEntries.id),
    scheduledAt: timestamptz('scheduled_at').notNull(),
    entryVersion: integer('entry_version').notNull(),
    status: text('status').$type<OccurrenceStatus>().notNull(),
    reason: text('reason'),
    firedAt: timestamptz('fired_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [
    uniqueIndex('calendar_occurrences_entry_at_uq').on(t.entryId, t.scheduledAt),
    index('calendar_occurrences_at_idx').on(t.scheduledAt),
    check('calendar_occurrences_status', sql`${t.status} IN ('running','done','failed','skipped','missed')`),
  ],
);

/** What became of an occurrence. */
export type OccurrenceStatus = 'running' | 'done' | 'failed' | 'skipped' | 'missed';

/** Saved audiences ops can name in an entry instead of repeating the filter. */
export const audienceSegments = pgTable('audience_segments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  filter: jsonb('filter').$type<Record<string, unknown>>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});
