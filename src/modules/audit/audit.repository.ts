import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/client.ts';
import { auditLog } from '../../platform/db/schema.ts';

/** One audit entry to append. */
export type AuditEntry = {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
};

/** The append-only audit log. Pass the transaction of the change being audited so both commit together. */
export type AuditRepository = ReturnType<typeof createAuditRepository>;

/** Creates the audit repository (append and read; the database refuses updates and deletes). */
export function createAuditRepository() {
  return {
    async append(db: Db | Tx, entry: AuditEntry): Promise<void> {
      await db.insert(auditLog).values({
        actor: entry.actor,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        details: entry.details ?? {},
        requestId: entry.requestId ?? null,
      });
    },
    /** Entries newest first, before id `before` when given. */
    async list(db: Db, opts: { targetType?: string; before?: number; limit: number }) {
      return db
        .select()
        .from(auditLog)
        .where(
          and(
            opts.targetType ? eq(auditLog.targetType, opts.targetType) : undefined,
            opts.before === undefined ? undefined : lt(auditLog.id, opts.before),
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(opts.limit);
    },
  };
}
