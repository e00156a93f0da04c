import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { ConversationsService } from './conversations.service.ts';
import type { HandoffCardBuilder } from './handoff-card.ts';

/** One SLA sweep, per minute; the id makes every scheduler replica's tick one job. */
export const CheckHandoffSla = defineJob({
  // The name predates the split of smart-service; jobs already queued in Redis carry it, so it stays.
  name: 'smart-service.check-handoff-sla',
  queue: 'maintenance',
  version: 1,
  payload: z.object({ minute: z.string().regex(/^\d{12}$/) }),
  policy: {
    attempts: 3,
    backoff: { type: 'fixed', delay: 10_000 },
    keepCompleted: { count: 100, ageS: 3600 },
    keepFailed: { count: 100, ageS: 7 * 24 * 3600 },
  },
  jobId: (p) => `handoff-sla-${p.minute}`,
});

/** The job definitions this module owns. */
export const conversationsJobDefinitions = [CheckHandoffSla] as const;

/**
 * Escalates hand-offs nobody took over in time: marks them breached, records who they went to, and sends the
 * backup (or, with none configured, the owning RM again) the 接手 card. Idempotent: each escalates once.
 */
export function registerConversationsJobs(deps: {
  db: Db;
  conversations: Pick<ConversationsService, 'escalateBreached'>;
  app: Pick<WecomClient, 'sendAppMessage'>;
  cards: HandoffCardBuilder;
  backupUserid: string | undefined;
  log: Log;
}): JobRegistration[] {
  return [
    handle(CheckHandoffSla, {
      async perform() {
        const late = await deps.conversations.escalateBreached(deps.db, deps.backupUserid);
        for (const c of late) {
          const to = deps.backupUserid ?? c.rm;
          if (!to) {
            deps.log.warn({ conversation: c.id }, 'hand-off breached its SLA and has nobody to escalate to');
            continue;
          }
          await deps.cards
            .build({ conversationId: c.id, to, overdue: true })
            .then((card) => deps.app.sendAppMessage(card))
            .catch((err: unknown) => deps.log.warn({ err, conversation: c.id }, 'escalation notice failed'));
        }
        if (late.length > 0) deps.log.info({ escalated: late.length }, 'hand-offs escalated');
      },
    }),
  ];
}
