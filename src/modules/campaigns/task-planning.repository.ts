import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { deliveries, type SendKind, sendTasks } from './campaigns.tables.ts';

/**
 * Groups the occurrence's pending recipients that have no task yet into send tasks, per kind, RM and
 * variant, `batchSize` recipients a task, and links them, in one transaction: either every recipient
 * gets its task or none does. The grouping is done here rather than in one SQL statement: joined in
 * SQL, freshly inserted rows without statistics led PostgreSQL to a nested loop of 95,000 × 2,000 rows.
 */
export async function planTasks(db: Db, occurrenceId: number, batchSize: number, at: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const open = await tx
      .select({
        recipient: deliveries.recipient,
        kind: deliveries.kind,
        rm: deliveries.rm,
        variantId: deliveries.variantId,
      })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.occurrenceId, occurrenceId),
          eq(deliveries.status, 'pending'),
          isNull(deliveries.taskId),
        ),
      )
      .orderBy(
        asc(deliveries.kind),
        asc(deliveries.rm),
        asc(deliveries.variantId),
        asc(deliveries.recipient),
      );
    if (open.length === 0) return 0;
    // A second plan (recipients who joined after a resumed run) numbers its batches after the first's.
    const [prev] = await queryRows<{ next: number }>(
      tx,
      sql`SELECT COALESCE(max(batch) + 1, 0)::int AS next FROM send_tasks WHERE occurrence_id = ${occurrenceId}`,
    );
    let batch = prev?.next ?? 0;
    const groups: {
      kind: SendKind;
      sender: string;
      variantId: string;
      batch: number;
      recipients: string[];
    }[] = [];
    for (const d of open) {
      const last = groups[groups.length - 1];
      const same =
        last &&
        last.kind === d.kind &&
        last.sender === (d.rm ?? '') &&
        last.variantId === (d.variantId ?? '');
      if (same && last.recipients.length < batchSize) last.recipients.push(d.recipient);
      else
        groups.push({
          kind: d.kind,
          sender: d.rm ?? '',
          variantId: d.variantId ?? '',
          batch: batch++,
          recipients: [d.recipient],
        });
    }
    for (let i = 0; i < groups.length; i += 1_000) {
      const chunk = groups.slice(i, i + 1_000);
      const ids = await tx
        .insert(sendTasks)
        .values(
          chunk.map((g) => ({
            occurrenceId,
            kind: g.kind,
            sender: g.sender,
            variantId: g.variantId,
            batch: g.batch,
            recipients: g.recipients.length,
            status: 'pending' as const,
            createdAt: at,
          })),
        )
        .returning({ id: sendTasks.id, batch: sendTasks.batch });
      const idOf = new Map(ids.map((r) => [r.batch, r.id]));
      const recipients = chunk.flatMap((g) => g.recipients);
      const taskIds = chunk.flatMap((g) => g.recipients.map(() => idOf.get(g.batch) as number));
      for (let j = 0; j < recipients.length; j += 10_000)
        await tx.execute(
          sql`UPDATE deliveries d SET task_id = v.task_id
                FROM unnest(${sql.param(recipients.slice(j, j + 10_000))}::text[],
                            ${sql.param(taskIds.slice(j, j + 10_000))}::bigint[]) AS v(recipient, task_id)
               WHERE d.occurrence_id = ${occurrenceId} AND d.recipient = v.recipient`,
        );
    }
    return groups.length;
  });
}
