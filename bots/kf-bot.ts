import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import type { HandoffCardBuilder } from '../src/modules/conversations/handoff-card.ts';
import type { KfMessageRow } from '../src/modules/kf/kf.repository.ts';
import type { KfBot, KfStepContext } from '../src/modules/kf/kf-sync.service.ts';
import type { Log } from '../src/platform/logger.ts';
import type { WecomClient } from '../src/wecom/client/wecom-client.ts';
import { type BotDecisionDeps, type BotPlan, decideReply, handOffToRm, planQuestion } from './faq-bot.ts';

/** The library component the customer-service welcome is (besides the FAQ bot's texts). */
export const KF_BOT_TEXTS = {
  /** Sent with an enter_session's welcome code when a client opens the chat. */
  welcome: 'kf-welcome',
} as const;

/** The conversation a customer-service chat is: one per account and client. */
export const kfChatId = (openKfid: string, externalUserid: string) => `kf:${openKfid}:${externalUserid}`;

/**
 * The FAQ bot in WeChat customer service (微信客服): the same decision as in group and private chats
 * (approved answers that pass compliance, "1/2/3" clarifications, hand-off to the client's own RM with the
 * 接手 card), replying with kf/send_msg. A hand-off also moves the WeCom session: to the client's RM as its
 * servicer (state 3), or to the pending pool (2) when the client has no RM. Once the conversation is not the
 * bot's, it stays silent. A client opening the chat gets the library's welcome with the event's code.
 */
export function createKfBot(
  deps: BotDecisionDeps & {
    cards: HandoffCardBuilder;
    app: Pick<WecomClient, 'sendAppMessage'>;
    kf: Pick<WecomClient, 'kfSendText' | 'kfSendWelcome' | 'kfTransferSession'>;
    content: Pick<ContentRenderService, 'renderApprovedText'>;
    mask: (text: string) => string;
    log: Log;
  },
): KfBot {
  const welcome = async (m: KfMessageRow, ctx: KfStepContext) => {
    const client = await deps.clients.clientTierAndOwner(ctx.tx, m.externalUserid);
    const { text } = await deps.content.renderApprovedText(
      KF_BOT_TEXTS.welcome,
      { client: { externalUserid: m.externalUserid, tier: client?.tier ?? null } },
      ctx.tx,
    );
    const code = m.welcomeCode ?? '';
    ctx.afterCommit(() =>
      deps.kf
        .kfSendWelcome({ welcomeCode: code, text, msgid: `w${m.id}` })
        .then(() => undefined)
        .catch((err: unknown) => ctx.log.warn({ err, kfMessage: m.id }, 'kf welcome failed')),
    );
  };

  const answer = async (m: KfMessageRow, p: BotPlan, ctx: KfStepContext) => {
    const client = m.externalUserid;
    const conv = await deps.conversations.open(ctx.tx, kfChatId(m.openKfid, client), client);
    // The stored text is masked already (the sync masks before it stores).
    await deps.conversations.recordMessage(ctx.tx, conv.id, {
      role: 'client',
      text: p.question,
      outcome: null,
      details: {},
    });
    // A person owns this conversation (or is being fetched): the bot does not speak.
    if (conv.state !== 'bot') return;
    const { outcome, text } = await decideReply(deps, ctx.tx, {
      conversationId: conv.id,
      clientUserid: client,
      channel: 'kf',
      p,
    });
    // The reply first: once the session is a servicer's, WeCom refuses the API's messages.
    ctx.afterCommit(() =>
      deps.kf
        .kfSendText({ openKfid: m.openKfid, externalUserid: client, text, msgid: `r${m.id}` })
        .then(() => undefined)
        .catch((err: unknown) => ctx.log.warn({ err, conversation: conv.id }, 'kf reply failed')),
    );
    if (outcome !== 'handoff') return;
    const rm = p.client?.rm ?? null;
    await handOffToRm(deps, ctx, { conversationId: conv.id, question: p.question, rm });
    ctx.afterCommit(() =>
      deps.kf
        .kfTransferSession({
          openKfid: m.openKfid,
          externalUserid: client,
          ...(rm ? { state: 3, servicer: rm } : { state: 2 }),
        })
        .catch((err: unknown) => ctx.log.warn({ err, conversation: conv.id }, 'kf session transfer failed')),
    );
  };

  return {
    async prepare(m) {
      if (m.kind === 'enter_session') return (ctx) => welcome(m, ctx);
      if (m.kind !== 'text' || !m.text) return async () => {};
      const p = await planQuestion(deps, m.text, m.externalUserid);
      return (ctx) => answer(m, p, ctx);
    },
  };
}
