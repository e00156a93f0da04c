import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AudienceRepository } from '../contacts/audience.repository.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';
import type { EventRow } from './events.tables.ts';

/** An event's start as clients read it (month/day hour:minute) in the bank's zone. */
export function eventTime(e: Pick<EventRow, 'startsAt'>, timeZone: string): string {
  return e.startsAt.toLocaleString('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** The context the event-signup-* components render with. */
export const eventContext = (e: EventRow, timeZone: string) => ({
  title: e.title.slice(0, 40),
  eventId: e.id,
  startsAt: eventTime(e, timeZone),
});

/**
 * Tells a client promoted from the waitlist, through their owner RM: neither the bot nor an app message can
 * write to a client first, so the RM gets the approved `event-signup-promoted` text to forward. Call after
 * the promotion committed; a failure is logged, never thrown (the place is theirs either way).
 */
export function createPromotionNotice(deps: {
  content: Pick<ContentRenderService, 'renderApprovedText'>;
  clients: Pick<AudienceRepository, 'clientFacts'>;
  app: Pick<WecomClient, 'sendAppMessage'>;
  db: Parameters<AudienceRepository['clientFacts']>[0];
  timeZone: string;
  log: Log;
}) {
  return async (event: EventRow, externalUserid: string): Promise<void> => {
    try {
      const [client] = await deps.clients.clientFacts(deps.db, [externalUserid]);
      if (!client?.ownerRm) return;
      const { text } = await deps.content.renderApprovedText('event-signup-promoted', {
        client: { externalUserid },
        context: eventContext(event, deps.timeZone),
      });
      await deps.app.sendAppMessage({
        touser: [client.ownerRm],
        msgtype: 'text',
        content: {
          content: `【候补转正】您的客户（${externalUserid.slice(0, 8)}…）已从候补转为正式报名，请转告：\n${text}`,
        },
      });
    } catch (err) {
      deps.log.warn({ err, eventId: event.id }, 'promotion notice to RM failed');
    }
  };
}

/** Sends the promotion notice for one event and client. */
export type PromotionNotice = ReturnType<typeof createPromotionNotice>;
