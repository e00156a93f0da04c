import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import { REASON_ZH, REPLY_COMPONENT } from '../src/modules/flash-sales/flash-sales.rules.ts';
import type { ClaimResult, FlashSalesService } from '../src/modules/flash-sales/flash-sales.service.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { BotReplier } from '../src/wecom/client/bot-reply.ts';

/**
 * 限量秒杀 by keyword: a client @-mentions the bot with a sale's keyword (秒杀 by default) in a group, and
 * the bot claims for them and answers the outcome with its approved library text (won, sold out, not
 * eligible and why, already claimed, not open yet, closed).
 *
 * Where the claim runs: in `prepare`, before the inbox transaction opens. The claim is a Redis script plus,
 * for winners, its own short PostgreSQL transaction that records the win; that must commit before the reply
 * says "won", and must not wait on (or hold row locks for) the inbox row's transaction. A retried callback
 * is prepared again: the claim then finds the client's own claim made by this very message (`ref` = msgid)
 * and answers "won" again rather than "already claimed". Inside the transaction the bot only renders the
 * reply and marks the message answered; the reply is sent after commit.
 */
export function createFlashSaleBot(deps: {
  sales: Pick<FlashSalesService, 'claimByKeyword'>;
  content: Pick<ContentRenderService, 'renderApprovedText'>;
  reply: BotReplier;
  /** The bank's time zone (the scheduler's), in which the not-open reply names the opening time. */
  timeZone: string;
}): InboundHandler {
  return on<'bot:text', ClaimResult | undefined>('bot:text', 'flash-sales.keyword-claim', {
    async prepare(event) {
      const b = event.body;
      if (b.chattype !== 'group') return undefined;
      return deps.sales.claimByKeyword(b.text.content, b.from.userid, {
        chatId: b.chatid ?? null,
        ref: b.msgid,
      });
    },
    async handle(event, ctx, result) {
      if (!result) return;
      // The keyword is a command: the FAQ bot after this one stays silent.
      ctx.markAnswered();
      const { sale } = result;
      const { text } = await deps.content.renderApprovedText(
        REPLY_COMPONENT[result.outcome],
        {
          client: { externalUserid: event.body.from.userid },
          context: {
            itemName: sale.itemName,
            opensAt: formatTime(sale.opensAt, deps.timeZone),
            redeemWithinHours: sale.redeemWithinHours,
            reason: result.reason ? REASON_ZH[result.reason] : '',
          },
        },
        ctx.tx,
      );
      const url = event.body.response_url;
      if (url)
        ctx.afterCommit(() =>
          deps.reply(url, text).catch((err: unknown) => ctx.log.warn({ err }, 'flash-sale reply failed')),
        );
    },
  });
}

/** "12月5日 12:00" in `timeZone`, as the not-open reply names the opening. */
function formatTime(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('month')}月${get('day')}日 ${get('hour')}:${get('minute')}`;
}
