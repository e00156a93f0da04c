import type { ConversationsService } from '../src/modules/conversations/conversations.service.ts';
import { conversationOfTask, TAKEOVER_KEY } from '../src/modules/conversations/handoff-card.ts';
import type { TouchesRepository } from '../src/modules/engagement/touches.repository.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { Clock } from '../src/platform/clock.ts';

/**
 * The RM's takeover of a conversation the FAQ bot handed off: the 接手 button on the hand-off card (sent by
 * the bot, or again by the SLA escalation) makes the conversation the RM's, so the bot stays silent from
 * then on, and the takeover goes into the RM's touch log. Other cards' buttons are not its business.
 */
export function createRmTakeover(deps: {
  conversations: Pick<ConversationsService, 'takeOver'>;
  touches: Pick<TouchesRepository, 'insert'>;
  clock: Clock;
}): InboundHandler {
  return on('app:event:template_card_event', 'conversations.rm-takeover', async (event, ctx) => {
    const b = event.body;
    const conversationId = conversationOfTask(b.TaskId);
    if (conversationId === null || b.EventKey !== TAKEOVER_KEY) return;
    const taken = await deps.conversations.takeOver(ctx.tx, conversationId, b.FromUserName);
    // The RM answering a hand-off is a touch of their own (the bot's answers never are).
    if (taken)
      await deps.touches.insert(
        ctx.tx,
        [
          {
            rm: b.FromUserName,
            externalUserid: taken.clientUserid,
            kind: 'handoff_reply',
            emotional: false,
            status: 'done',
            title: '接手转人工会话',
            ref: `handoff:${conversationId}`,
          },
        ],
        deps.clock.now(),
      );
  });
}
