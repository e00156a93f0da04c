import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { type InboundHandler, on } from '../inbox/inbound-dispatcher.ts';
import type { ContactsRepository } from './contacts.repository.ts';
import type { WelcomeSender } from './welcome.service.ts';

/**
 * The contacts module's reaction to WeCom contact events: a client added an RM (attribute the channel,
 * decide and send the welcome), or a relationship ended. Unknown RMs and clients are created, never failed.
 */
export function createContactsInboundHandlers(deps: {
  db: Db;
  repo: ContactsRepository;
  welcome: WelcomeSender;
  metrics: Metrics;
  clock: Clock;
  log: Log;
}): InboundHandler[] {
  const { repo, metrics } = deps;
  return [
    on(
      [
        'app:event:change_external_contact:add_external_contact',
        'app:event:change_external_contact:add_half_external_contact',
      ],
      'contacts.client-added',
      async (event, ctx) => {
        const b = event.body;
        const at = new Date(Number(b.CreateTime) * 1000);
        await repo.ensureRm(ctx.tx, b.UserID);
        const added = await repo.recordAdd(ctx.tx, {
          externalUserid: b.ExternalUserID,
          rmUserid: b.UserID,
          state: b.State ?? null,
          at,
        });
        metrics.clientsAdded.inc({ channel: added.channelId, new: String(added.created) });
        if (added.unknownState && b.State) {
          ctx.log.info({ state: b.State }, 'add event names no known channel: attributed to unknown');
        }
        const plan = await deps.welcome.decide(ctx.tx, {
          inboxId: ctx.inboxId,
          externalUserid: b.ExternalUserID,
          rmUserid: b.UserID,
          welcomeCode: b.WelcomeCode ?? null,
          eventAt: at,
          added,
        });
        if (plan) ctx.afterCommit(() => deps.welcome.send(plan));
      },
    ),
    on(
      [
        'app:event:change_external_contact:del_external_contact',
        'app:event:change_external_contact:del_follow_user',
      ],
      'contacts.relationship-ended',
      async (event, ctx) => {
        const b = event.body;
        await repo.ensureRm(ctx.tx, b.UserID);
        await repo.recordRemoval(ctx.tx, {
          externalUserid: b.ExternalUserID,
          rmUserid: b.UserID,
          at: new Date(Number(b.CreateTime) * 1000),
          // del_external_contact: the RM removed the client; del_follow_user: the client removed the RM.
          by: event.kind === 'event:change_external_contact:del_external_contact' ? 'rm' : 'client',
        });
      },
    ),
  ];
}
