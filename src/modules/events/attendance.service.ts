import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { AudienceRepository } from '../contacts/audience.repository.ts';
import type { EventsRepository } from './events.repository.ts';

/** Who made a change, for the audit log. */
type Actor = { name: string; requestId: string | null };

/**
 * The port attendance calls once per marking, in its transaction, with the clients newly attended (the
 * lead wires it to points.grant with source {type: 'event', id} and to koc.record).
 */
export type OnAttended = (
  tx: Tx,
  a: { eventId: number; kind: string; points: number; externalUserids: string[] },
) => Promise<void>;

/** One line of an attendance list that was refused, or recorded with a flag. */
export type AttendanceLineIssue = { line: number; externalUserid: string; problem: string };

/**
 * Attendance, by API or by an imported list. Each client is marked once (`attended_at` set only when null),
 * and `onAttended` hears only the clients newly marked, so a repeated import grants nothing twice.
 */
export function createAttendance(deps: {
  db: Db;
  repo: Pick<EventsRepository, 'findEvent' | 'markAttended'>;
  audit: Pick<AuditRepository, 'append'>;
  clients: Pick<AudienceRepository, 'clientFacts'>;
  onAttended?: OnAttended;
  clock: Clock;
}) {
  const { db, repo, clock } = deps;
  /**
   * Marks clients as attended. Unknown clients are refused per line; clients who never signed up are
   * recorded and flagged. `onAttended` is called once for the clients newly marked, in the same
   * transaction, so a repeated import grants nothing twice.
   */
  async function markAttendance(
    eventId: number,
    lines: readonly { line: number; externalUserid: string }[],
    actor: Actor,
  ): Promise<{ attended: number; newlyAttended: number; issues: AttendanceLineIssue[] }> {
    const event = await repo.findEvent(db, eventId);
    if (!event)
      throw new AppError('not_found', {
        message: `no event ${eventId}`,
        zh: `没有编号为 ${eventId} 的活动。`,
      });
    const now = clock.now();
    if (event.startsAt > now)
      throw new AppError('conflict', {
        message: `event ${eventId} has not started yet`,
        zh: `活动 ${eventId} 尚未开始，不能登记出席。`,
      });
    const ids = [...new Set(lines.map((l) => l.externalUserid))];
    const known = new Set((await deps.clients.clientFacts(db, ids)).map((c) => c.externalUserid));
    const issues: AttendanceLineIssue[] = lines
      .filter((l) => !known.has(l.externalUserid))
      .map((l) => ({ line: l.line, externalUserid: l.externalUserid, problem: 'unknown client' }));
    const valid = ids.filter((id) => known.has(id));
    return db.transaction(async (tx) => {
      const { newlyAttended, notSignedUp } =
        valid.length > 0
          ? await repo.markAttended(tx, eventId, valid, now)
          : { newlyAttended: [], notSignedUp: [] };
      const flagged = new Set(notSignedUp);
      for (const l of lines)
        if (flagged.has(l.externalUserid)) {
          issues.push({
            line: l.line,
            externalUserid: l.externalUserid,
            problem: 'not signed up (recorded)',
          });
          flagged.delete(l.externalUserid);
        }
      if (newlyAttended.length > 0 && deps.onAttended)
        await deps.onAttended(tx, {
          eventId,
          kind: event.kind,
          points: event.pointsForAttendance,
          externalUserids: newlyAttended,
        });
      await deps.audit.append(tx, {
        actor: actor.name,
        action: 'event.attendance',
        targetType: 'event',
        targetId: String(eventId),
        details: {
          marked: newlyAttended.length,
          refused: issues.filter((i) => i.problem === 'unknown client').length,
        },
        requestId: actor.requestId,
      });
      issues.sort((a, b) => a.line - b.line);
      return { attended: valid.length, newlyAttended: newlyAttended.length, issues };
    });
  }
  return { markAttendance };
}
