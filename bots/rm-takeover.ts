import type { ConversationsService } from '../src/modules/conversations/conversations.service.ts';
import { conversationOfTask, TAKEOVER_KEY } from '../src/modules/conversations/handoff-card.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';

/**
 * The RM's takeover of a conversation the FAQ bot handed off: the 接手 button on the hand-off card (sent by
 * the bot, or again by the SLA escalation) makes the conversation the RM's, so the bot stays silent from
 * then on. Other cards' buttons are not its business.
 */
export function createRmTakeover(deps: {
  conversations: Pick<ConversationsService, 'takeOver'>;
}): InboundHandler {
  return on('app:event:template_card_event', 'conversations.rm-takeover', async (event, ctx) => {
    const b = event.body;
    const conversationId = conversationOfTask(b.TaskId);
    if (conversationId === null || b.EventKey !== TAKEOVER_KEY) return;
    await deps.conversations.takeOver(ctx.tx, conversationId, b.FromUserName);
  });
}
