import type { AudienceRepository } from '../src/modules/contacts/audience.repository.ts';
import { asksToOptOut } from '../src/modules/contacts/opt-out.ts';
import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { BotReplier } from '../src/wecom/client/bot-reply.ts';
import type { WecomClient } from '../src/wecom/client/wecom-client.ts';

/**
 * A client who replies 退订 in a private chat with the bot is opted out of calendar content: the fan-out
 * skips them with reason `opted_out` from then on. The bot confirms (approved library text), and the
 * client's RM is told, so the RM is never surprised by a client who stopped receiving briefs.
 */
export function createOptOutBot(deps: {
  audience: Pick<AudienceRepository, 'optOut'>;
  content: Pick<ContentRenderService, 'renderApprovedText'>;
  reply: BotReplier;
  app: Pick<WecomClient, 'sendAppMessage'>;
  clock: Clock;
}): InboundHandler {
  return on('bot:text', 'contacts.opt-out', async (event, ctx) => {
    const b = event.body;
    if (b.chattype === 'group' || !asksToOptOut(b.text.content)) return;
    // 退订 is a command, not a question: the FAQ bot after this one stays silent either way.
    ctx.markAnswered();
    const client = await deps.audience.optOut(ctx.tx, b.from.userid, deps.clock.now());
    if (!client) return;
    const { text } = await deps.content.renderApprovedText(
      'bot-optout-reply',
      { client: { externalUserid: b.from.userid } },
      ctx.tx,
    );
    const url = b.response_url;
    if (url)
      ctx.afterCommit(() =>
        deps.reply(url, text).catch((err: unknown) => ctx.log.warn({ err }, 'opt-out confirmation failed')),
      );
    const rm = client.ownerRm;
    if (rm && !client.already)
      ctx.afterCommit(() =>
        deps.app
          .sendAppMessage({
            touser: [rm],
            msgtype: 'text',
            content: {
              content: `【客户退订】您的一位客户（${b.from.userid.slice(0, 6)}…）回复了“退订”，Helix 不再向其群发日历内容。可在 Helix 客户详情中查看。`,
            },
          })
          .then(() => undefined)
          .catch((err: unknown) => ctx.log.warn({ err }, 'opt-out notice to RM failed')),
      );
  });
}
