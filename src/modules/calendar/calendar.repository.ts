import { and, asc, eq, gte, inArray, lt, max, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { EntryBody } from './calendar.schemas.ts';
import {
  audienceSegments,
  calendarEntries,
  calendarEntryVersions,
  calendarOccurrences,
  type EntryStatus,
  type OccurrenceStatus,
} from './calendar.tables.ts';
import type { EntryVersionSpan } from './occurrences.ts';

/** A calendar entry row. */
export type EntryRow = typeof calendarEntries.$inferSelect;
/** A recorded occurrence row. */
export type OccurrenceRow = typeof calendarOccurrences.$inferSelect;

/** The calendar's SQL: entries and their versions, recorded occurrences and saved segments. */
export type CalendarRepository = ReturnType<typeof createCalendarRepository>;

/** Creates the calendar repository. */
export function createCalendarRepository() {
  return {
    findEntry: async (db: Db | Tx, id: string, opts: { forUpdate?: boolean } = {}) => {
      const q = db.select().from(calendarEntries).where(eq(calendarEntries.id, id));
      const [row] = opts.forUpdate ? await q.for('update') : await q;
      return row;
    },

    listEntries: (db: Db | Tx, opts: { statuses?: EntryStatus[] } = {}) =>
      db
        .select()
        .from(calendarEntries)
        .where(opts.statuses ? inArray(calendarEntries.status, opts.statuses) : undefined)
        .orderBy(asc(calendarEntries.id)),

    /** Inserts a new entry and its first version; false when the id is taken. */
    async insertEntry(tx: Tx, e: { id: string; body: EntryBody; createdBy: string; at: Date }) {
      const inserted = await tx
        .insert(calendarEntries)
        .values({ id: e.id, body: e.body, createdBy: e.createdBy, createdAt: e.at, updatedAt: e.at })
        .onConflictDoNothing()
        .returning({ id: calendarEntries.id });
      if (inserted.length === 0) return false;
      await tx.insert(calendarEntryVersions).values({
        entryId: e.id,
        version: 1,
        body: e.body,
        status: 'active',
        effectiveFrom: e.at,
        changedBy: e.createdBy,
      });
      return true;
    },

    /**
     * Writes a new version if the entry is still at `expectedVersion`; returns the row, or undefined when a
     * concurrent change got there first.
     */
    async updateEntry(
      tx: Tx,
      id: string,
      expectedVersion: number,
      change: { body: EntryBody; status: EntryStatus; by: string; at: Date },
    ) {
      const [row] = await tx
        .update(calendarEntries)
        .set({
          body: change.body,
          status: change.status,
          version: sql`${calendarEntries.version} + 1`,
          updatedAt: change.at,
        })
        .where(and(eq(calendarEntries.id, id), eq(calendarEntries.version, expectedVersion)))
        .returning();
      if (!row) return undefined;
      await tx.insert(calendarEntryVersions).values({
        entryId: id,
        version: row.version,
        body: change.body,
        status: change.status,
        effectiveFrom: change.at,
        changedBy: change.by,
      });
      return row;
    },

    /** Every version of the given entries (all when unset), grouped per entry, oldest first. */
    async versionSpans(db: Db | Tx, entryIds?: string[]): Promise<Map<string, EntryVersionSpan[]>> {
      const rows = await db
        .select()
        .from(calendarEntryVersions)
        .where(entryIds ? inArray(calendarEntryVersions.entryId, entryIds) : undefined)
        .orderBy(asc(calendarEntryVersions.entryId), asc(calendarEntryVersions.version));
      const spans = new Map<string, EntryVersionSpan[]>();
      for (const v of rows) {
        const list = spans.get(v.entryId) ?? [];
        list.push({
          version: v.version,
          status: v.status,
          body: v.body,
          effectiveFrom: new Date(v.effectiveFrom),
        });
        spans.set(v.entryId, list);
      }
      return spans;
    },

    /** The newest recorded occurrence of each entry: where the scheduler resumes after downtime. */
    async lastRecorded(db: Db | Tx): Promise<Map<string, Date>> {
      const rows = await db
        .select({ entryId: calendarOccurrences.entryId, at: max(calendarOccurrences.scheduledAt) })
        .from(calendarOccurrences)
        .groupBy(calendarOccurrences.entryId);
      return new Map(rows.flatMap((r) => (r.at ? [[r.entryId, new Date(r.at)] as const] : [])));
    },

    /**
     * Records an occurrence unless it already is. Returns the row and whether this call created it, so the
     * second of two fires (or a retry) can tell it is not the first.
     */
    async recordOccurrence(
      tx: Tx,
      o: {
        entryId: string;
        scheduledAt: Date;
        version: number;
        status: OccurrenceStatus;
        reason?: string;
        at: Date;
      },
    ): Promise<{ row: OccurrenceRow; created: boolean }> {
      const finished = o.status === 'running' ? null : o.at;
      const [created] = await tx
        .insert(calendarOccurrences)
        .values({
          entryId: o.entryId,
          scheduledAt: o.scheduledAt,
          entryVersion: o.version,
          status: o.status,
          reason: o.reason ?? null,
          firedAt: o.at,
          finishedAt: finished,
        })
        .onConflictDoNothing()
        .returning();
      if (created) return { row: created, created: true };
      const [existing] = await tx
        .select()
        .from(calendarOccurrences)
        .where(
          and(eq(calendarOccurrences.entryId, o.entryId), eq(calendarOccurrences.scheduledAt, o.scheduledAt)),
        )
        .for('update');
      if (!existing) throw new Error(`occurrence ${o.entryId}@${o.scheduledAt.toISOString()} vanished`);
      return { row: existing, created: false };
    },

    async finishOccurrence(
      db: Db | Tx,
      id: number,
      status: OccurrenceStatus,
      reason: string | null,
      at: Date,
    ) {
      await db
        .update(calendarOccurrences)
        .set({ status, reason, finishedAt: at })
        .where(eq(calendarOccurrences.id, id));
    },

    findOccurrence: async (db: Db | Tx, id: number) =>
      (await db.select().from(calendarOccurrences).where(eq(calendarOccurrences.id, id)))[0],

    /** Recorded occurrences scheduled in [from, to), of one entry when given. */
    occurrencesIn: (db: Db | Tx, from: Date, to: Date, entryId?: string) =>
      db
        .select()
        .from(calendarOccurrences)
        .where(
          and(
            gte(calendarOccurrences.scheduledAt, from),
            lt(calendarOccurrences.scheduledAt, to),
            entryId ? eq(calendarOccurrences.entryId, entryId) : undefined,
          ),
        )
        .orderBy(asc(calendarOccurrences.scheduledAt), asc(calendarOccurrences.entryId))
        .limit(10_000),

    /** The entry and scheduled time of each occurrence id (for task lists). */
    occurrenceLabels: (db: Db | Tx, ids: readonly number[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : db
            .select({
              id: calendarOccurrences.id,
              entryId: calendarOccurrences.entryId,
              scheduledAt: calendarOccurrences.scheduledAt,
              body: calendarEntries.body,
            })
            .from(calendarOccurrences)
            .innerJoin(calendarEntries, eq(calendarEntries.id, calendarOccurrences.entryId))
            .where(inArray(calendarOccurrences.id, [...ids])),

    /** The ids of every occurrence recorded for an entry (for its figures). */
    async occurrenceIdsOf(db: Db | Tx, entryId: string): Promise<number[]> {
      const rows = await db
        .select({ id: calendarOccurrences.id })
        .from(calendarOccurrences)
        .where(eq(calendarOccurrences.entryId, entryId));
      return rows.map((r) => r.id);
    },

    /** How many occurrences are recorded with each status (for /metrics). */
    statusCounts: (db: Db | Tx) =>
      db
        .select({ status: calendarOccurrences.status, n: sql<number>`count(*)::int` })
        .from(calendarOccurrences)
        .groupBy(calendarOccurrences.status),

    findSegment: async (db: Db | Tx, id: string) =>
      (await db.select().from(audienceSegments).where(eq(audienceSegments.id, id)))[0],

    listSegments: (db: Db | Tx) => db.select().from(audienceSegments).orderBy(asc(audienceSegments.id)),

    /** Inserts a segment; false when the id is taken. */
    insertSegment: async (
      tx: Tx,
      s: { id: string; name: string; filter: Record<string, unknown>; createdBy: string },
    ) => (await tx.insert(audienceSegments).values(s).onConflictDoNothing().returning()).length > 0,
  };
}
