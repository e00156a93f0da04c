import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { Membership } from '../src/modules/points/membership.ts';
import type { PointsService } from '../src/modules/points/points.service.ts';
import type { Db, Tx } from '../src/platform/db/client.ts';
import type { BotReplier } from '../src/wecom/client/bot-reply.ts';

/** "积分查询", "查积分", "我的积分" (after any @-mentions, nothing else): a client asking for their points. */
const ASKS_FOR_POINTS = /^\s*(?:@\S+\s*)*(?:积分查询|查询积分|查积分|我的积分)\s*[?？。.!！]?\s*$/u;

/** Whether a client's chat message asks for their points balance. */
export const asksForPoints = (text: string): boolean => ASKS_FOR_POINTS.test(text);

/**
 * A client who writes 积分查询 (or 查积分, 我的积分) to the bot, in a group or alone, gets their balance and
 * membership level, read from the ledger in the message's transaction, in approved library text. It is a
 * command, so the FAQ bot after it stays silent.
 */
export function createPointsQueryBot(deps: {
  points: Pick<PointsService, 'balance'>;
  membership: () => Membership;
  tierOf: (db: Db | Tx, externalUserid: string) => Promise<string | null>;
  content: Pick<ContentRenderService, 'renderApprovedText'>;
  reply: BotReplier;
}): InboundHandler {
  return on('bot:text', 'points.query', async (event, ctx) => {
    const b = event.body;
    if (!asksForPoints(b.text.content)) return;
    ctx.markAnswered();
    const client = b.from.userid;
    const balance = await deps.points.balance(ctx.tx, client);
    const level = deps.membership().membershipOf(balance, await deps.tierOf(ctx.tx, client));
    const { text } = await deps.content.renderApprovedText(
      'bot-points-balance',
      { client: { externalUserid: client }, context: { balance, level: level.name } },
      ctx.tx,
    );
    const url = b.response_url;
    if (url)
      ctx.afterCommit(() =>
        deps.reply(url, text).catch((err: unknown) => ctx.log.warn({ err }, 'points reply failed')),
      );
  });
}
