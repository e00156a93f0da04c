import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { isoMicros } from '../../platform/db/columns.ts';
import { type DeliveryStatus, deliveries, type SendKind, sendTasks } from './campaigns.tables.ts';
import { planTasks } from './task-planning.repository.ts';
import { createTaskRemindersRepository } from './task-reminders.repository.ts';

/** A send task row. */
export type SendTaskRow = typeof sendTasks.$inferSelect;

/** One recipient's decision, as the fan-out records it. */
export type DeliveryInput = {
  recipient: string;
  kind: SendKind;
  rm: string | null;
  variantId: string | null;
  status: Extract<DeliveryStatus, 'pending' | 'skipped'>;
  reason: string | null;
};

// Rows per multi-row INSERT: 10 parameters each stays well under PostgreSQL's 65,535 per statement.
const INSERT_CHUNK = 4_000;

/** A delivery to one client as its timeline shows it. */
export type DeliveryForClient = {
  /** The occurrence id (as text: a bigint). */
  id: string;
  /** When it was decided, in UTC with microseconds (`YYYY-MM-DDTHH:MM:SS.ffffffZ`): exact for paging. */
  at: string;
  kind: SendKind;
  status: DeliveryStatus;
  reason: string | null;
  rm: string | null;
};

/** The campaigns module's SQL: deliveries, send tasks and reminders. */
export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;

/** Creates the campaigns repository (task planning and reminders live in their own files). */
export function createCampaignsRepository() {
  return {
    planTasks,
    ...createTaskRemindersRepository(),
    /**
     * How many live deliveries (pending or sent) each recipient had since each bound, leaving out
     * `occurrenceId` itself so a resumed occurrence does not count its own rows against its recipients.
     */
    async recentCounts(
      db: Db | Tx,
      recipients: readonly string[],
      occurrenceId: number,
      since: { day: Date; week: Date; wecom: Date },
    ): Promise<Map<string, { today: number; week: number; wecomWindow: number }>> {
      if (recipients.length === 0) return new Map();
      const earliest = new Date(Math.min(since.week.getTime(), since.wecom.getTime()));
      const rows = await queryRows<{ recipient: string; today: number; week: number; wecom: number }>(
        db,
        sql`SELECT recipient,
                   count(*) FILTER (WHERE created_at >= ${since.day.toISOString()}::timestamptz)::int AS today,
                   count(*) FILTER (WHERE created_at >= ${since.week.toISOString()}::timestamptz)::int AS week,
                   count(*) FILTER (WHERE kind IN ('single','group')
                                      AND created_at >= ${since.wecom.toISOString()}::timestamptz)::int AS wecom
              FROM deliveries
             WHERE recipient = ANY(${sql.param([...recipients])}::text[]) AND occurrence_id <> ${occurrenceId}
               AND status IN ('pending','sent') AND created_at >= ${earliest.toISOString()}::timestamptz
             GROUP BY recipient`,
      );
      return new Map(rows.map((r) => [r.recipient, { today: r.today, week: r.week, wecomWindow: r.wecom }]));
    },

    /**
     * Takes the lock under which an occurrence decides its recipients, until `tx` ends: occurrences decide
     * one at a time, so each counts the deliveries the previous one recorded against the caps.
     */
    async lockDecisions(tx: Tx) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('helix.campaigns.decide'))`);
    },

    /** Records decisions; a recipient already recorded for the occurrence keeps its first decision. */
    async insertDeliveries(db: Db | Tx, occurrenceId: number, rows: readonly DeliveryInput[], at: Date) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await db
          .insert(deliveries)
          .values(
            rows
              .slice(i, i + INSERT_CHUNK)
              .map((r) => ({ ...r, occurrenceId, createdAt: at, updatedAt: at })),
          )
          .onConflictDoNothing();
      }
    },

    /** Tasks of the occurrence not yet handed to WeCom (pending), or handed over by a worker that died (sending). */
    unsentTasks: (db: Db | Tx, occurrenceId: number) =>
      db
        .select()
        .from(sendTasks)
        .where(
          and(eq(sendTasks.occurrenceId, occurrenceId), inArray(sendTasks.status, ['pending', 'sending'])),
        )
        .orderBy(asc(sendTasks.id)),

    tasksOf: (db: Db | Tx, occurrenceId: number) =>
      db.select().from(sendTasks).where(eq(sendTasks.occurrenceId, occurrenceId)).orderBy(asc(sendTasks.id)),

    /** The recipients of a task. */
    async taskRecipients(db: Db | Tx, taskId: number): Promise<string[]> {
      const rows = await db
        .select({ r: deliveries.recipient })
        .from(deliveries)
        .where(eq(deliveries.taskId, taskId))
        .orderBy(asc(deliveries.recipient));
      return rows.map((x) => x.r);
    },

    /**
     * Claims a task for handing to WeCom now, with the text it carries: a pending task, or one left in
     * `sending` before `staleBefore` by a worker that died. False when another worker holds it.
     */
    async claimForSending(db: Db | Tx, taskId: number, text: string, at: Date, staleBefore: Date) {
      const rows = await db
        .update(sendTasks)
        .set({ status: 'sending', text, sendingAt: at })
        .where(
          and(
            eq(sendTasks.id, taskId),
            or(
              eq(sendTasks.status, 'pending'),
              and(eq(sendTasks.status, 'sending'), lt(sendTasks.sendingAt, staleBefore)),
            ),
          ),
        )
        .returning({ id: sendTasks.id });
      return rows.length > 0;
    },

    /** Puts a task back to pending: WeCom answered that it created nothing (rate limited, busy). */
    async markPending(db: Db | Tx, taskId: number) {
      await db.update(sendTasks).set({ status: 'pending' }).where(eq(sendTasks.id, taskId));
    },

    /** WeCom created the task; the recipients it refused outright fail with WeCom's reason. */
    async markCreated(tx: Tx, taskId: number, msgid: string | null, failList: readonly string[], at: Date) {
      await tx.update(sendTasks).set({ status: 'created', msgid }).where(eq(sendTasks.id, taskId));
      if (failList.length > 0)
        await tx
          .update(deliveries)
          .set({ status: 'failed', reason: 'wecom_refused: not a friend of the sender', updatedAt: at })
          .where(and(eq(deliveries.taskId, taskId), inArray(deliveries.recipient, [...failList])));
    },

    /**
     * A task that cannot go out: WeCom rejected it (`errcode`), or Helix could not render it (null). It
     * and all its still-pending recipients fail, with that reason.
     */
    async markFailed(tx: Tx, taskId: number, errcode: number | null, error: string, at: Date) {
      await tx.update(sendTasks).set({ status: 'failed', errcode, error }).where(eq(sendTasks.id, taskId));
      const reason = errcode === null ? error : `wecom_${errcode}: ${error}`;
      await tx
        .update(deliveries)
        .set({ status: 'failed', reason: reason.slice(0, 200), updatedAt: at })
        .where(and(eq(deliveries.taskId, taskId), eq(deliveries.status, 'pending')));
    },

    /** The content cannot be sent: unsent tasks are cancelled and their recipients skipped with the reason. */
    async cancelOccurrence(tx: Tx, occurrenceId: number, reason: string, at: Date) {
      await tx
        .update(sendTasks)
        .set({ status: 'cancelled', error: reason.slice(0, 500) })
        .where(
          and(eq(sendTasks.occurrenceId, occurrenceId), inArray(sendTasks.status, ['pending', 'sending'])),
        );
      await tx
        .update(deliveries)
        .set({ status: 'skipped', reason: 'content_unsendable', updatedAt: at })
        .where(and(eq(deliveries.occurrenceId, occurrenceId), eq(deliveries.status, 'pending')));
    },

    /** Tasks that are delivered at once (app messages, robot posts): every recipient is sent. */
    async markDelivered(tx: Tx, taskId: number, at: Date, failed: readonly string[] = []) {
      await tx
        .update(sendTasks)
        .set({ status: 'confirmed', confirmedAt: at })
        .where(eq(sendTasks.id, taskId));
      await tx
        .update(deliveries)
        .set({ status: 'sent', updatedAt: at })
        .where(and(eq(deliveries.taskId, taskId), eq(deliveries.status, 'pending')));
      if (failed.length > 0)
        await tx
          .update(deliveries)
          .set({ status: 'failed', reason: 'wecom_invalid_user', updatedAt: at })
          .where(and(eq(deliveries.taskId, taskId), inArray(deliveries.recipient, [...failed])));
    },

    /** Records that the sender confirmed a task; true the first time (for the touch log). */
    async markConfirmed(tx: Tx, taskId: number, at: Date): Promise<boolean> {
      const rows = await tx
        .update(sendTasks)
        .set({ status: 'confirmed', confirmedAt: at })
        .where(and(eq(sendTasks.id, taskId), eq(sendTasks.status, 'created')))
        .returning({ id: sendTasks.id });
      return rows.length > 0;
    },

    async setMsgid(db: Db | Tx, taskId: number, msgid: string) {
      await db.update(sendTasks).set({ msgid }).where(eq(sendTasks.id, taskId));
    },

    /** Applies WeCom's per-recipient send results to still-pending deliveries of a task. */
    async applyResults(
      tx: Tx,
      taskId: number,
      results: readonly { recipient: string; status: 'sent' | 'failed'; reason?: string }[],
      at: Date,
    ) {
      for (const group of ['sent', 'failed'] as const) {
        const byReason = new Map<string, string[]>();
        for (const r of results.filter((x) => x.status === group)) {
          const key = r.reason ?? '';
          byReason.set(key, [...(byReason.get(key) ?? []), r.recipient]);
        }
        for (const [reason, ids] of byReason)
          await tx
            .update(deliveries)
            .set({ status: group, reason: reason || null, updatedAt: at })
            .where(
              and(
                eq(deliveries.taskId, taskId),
                eq(deliveries.status, 'pending'),
                inArray(deliveries.recipient, ids),
              ),
            );
      }
    },

    /**
     * The deliveries to one client (as recipient), newest first by when each was decided, strictly before
     * `before` in (created_at, occurrence) order; `limit` at most. Walks deliveries_recipient_at_idx.
     */
    forClient: (
      db: Db | Tx,
      externalUserid: string,
      before: { at: string; id: string } | undefined,
      limit: number,
    ) =>
      queryRows<DeliveryForClient>(
        db,
        sql`SELECT occurrence_id::text AS id,
                   ${isoMicros(sql`created_at`)} AS at,
                   kind, status, reason, rm
              FROM deliveries
             WHERE recipient = ${externalUserid}
               ${before ? sql`AND (created_at, occurrence_id) < (${before.at}::timestamptz, ${before.id}::bigint)` : sql``}
             ORDER BY created_at DESC, occurrence_id DESC LIMIT ${limit}`,
      ),

    /** Tasks WeCom holds that their sender has not confirmed (for polling and reminders). */
    openTasks: (db: Db | Tx, occurrenceId: number) =>
      db
        .select()
        .from(sendTasks)
        .where(and(eq(sendTasks.occurrenceId, occurrenceId), eq(sendTasks.status, 'created')))
        .orderBy(asc(sendTasks.id)),

    /** The send tasks an RM still has to confirm in WeCom, newest first. */
    openTasksOf: (db: Db | Tx, rm: string) =>
      db
        .select()
        .from(sendTasks)
        .where(and(eq(sendTasks.sender, rm), eq(sendTasks.status, 'created')))
        .orderBy(sql`${sendTasks.id} DESC`)
        .limit(200),

    /**
     * The send tasks an RM still has to confirm in WeCom that reach `recipient` (a client's external userid
     * or a group's chat id), newest first: what the RM sidebar shows beside that chat.
     */
    openTasksReaching: (db: Db | Tx, rm: string, recipient: string) =>
      db
        .select()
        .from(sendTasks)
        .where(
          and(
            eq(sendTasks.sender, rm),
            eq(sendTasks.status, 'created'),
            sql`EXISTS (SELECT 1 FROM deliveries d WHERE d.task_id = ${sendTasks.id} AND d.recipient = ${recipient})`,
          ),
        )
        .orderBy(sql`${sendTasks.id} DESC`)
        .limit(50),
  };
}
