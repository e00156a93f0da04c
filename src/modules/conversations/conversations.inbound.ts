import type { InboundHandler } from '../inbox/inbound-dispatcher.ts';
import type { ConversationsService } from './conversations.service.ts';

/**
 * The RM's takeover: the 接手 button on a hand-off card (sent by the bot, or again by the SLA escalation)
 * makes the conversation the RM's, so the bot stays silent from then on.
 */
export function createTakeoverHandler(deps: {
  conversations: Pick<ConversationsService, 'takeOver'>;
}): InboundHandler {
  return {
    name: 'conversations.rm-takeover',
    kinds: ['event:template_card_event'],
    async handle(event, ctx) {
      if (event.source !== 'app' || event.kind !== 'event:template_card_event') return;
      const b = event.body;
      const m = /^handoff-(\d{1,15})$/.exec(b.TaskId ?? '');
      if (!m || b.EventKey !== 'takeover') return;
      await deps.conversations.takeOver(ctx.tx, Number(m[1]), b.FromUserName);
    },
  };
}
