import type { ContactsRepository } from '../src/modules/contacts/contacts.repository.ts';
import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import type { ConversationsService } from '../src/modules/conversations/conversations.service.ts';
import type { HandoffCardBuilder } from '../src/modules/conversations/handoff-card.ts';
import { parseChoice, questionOf } from '../src/modules/faq/client-message.ts';
import type { FaqService } from '../src/modules/faq/faq.service.ts';
import type { FaqQuestionsRepository, QuestionChannel } from '../src/modules/faq/faq-questions.repository.ts';
import type { QuestionLog } from '../src/modules/faq/question-log.ts';
import type { SmartAnswer, SmartAnswerer } from '../src/modules/faq/smart-answer.service.ts';
import { type InboundContext, type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { Db, Tx } from '../src/platform/db/client.ts';
import type { Log } from '../src/platform/logger.ts';
import type { BotReplier } from '../src/wecom/client/bot-reply.ts';
import type { WecomClient } from '../src/wecom/client/wecom-client.ts';

/** The library components the FAQ bot speaks with (besides the approved FAQ answers themselves). */
export const FAQ_BOT_TEXTS = {
  /** A message it cannot read as a question. */
  unreadable: 'bot-unreadable-reply',
  /** It hands the question to a person. */
  handoff: 'bot-handoff-reply',
  /** It asks the client to pick one of the standard questions. */
  clarify: 'bot-clarify-prompt',
} as const;

/** What the bot can do with a message. */
export type BotOutcome = 'answer' | 'clarify' | 'handoff' | 'fallback';

/** What the bot answers: an approved answer as it is, or one of its library texts. */
export type BotReply = { outcome: BotOutcome; details: Record<string, unknown> } & (
  | { text: string }
  | { component: string; context?: Record<string, unknown> }
);

/** The bot's reply to a plan: only an LLM reply that passed its check or a compliant approved answer is sent. */
export function replyFor(s: SmartAnswer): BotReply {
  const best = s.suggestions[0];
  // Nothing to understand (emoji, a blank, a pasted document): ask politely, keep the conversation.
  if (s.unreadable) return { outcome: 'fallback', component: FAQ_BOT_TEXTS.unreadable, details: {} };
  if (s.outcome === 'answer' && s.composed)
    return {
      outcome: 'answer',
      text: s.composed.text,
      details: { entryIds: s.composed.entryIds, via: s.via },
    };
  if (s.outcome === 'answer' && best?.compliance.ok)
    return { outcome: 'answer', text: best.answer, details: { entryId: best.entryId, via: s.via } };
  if (s.outcome === 'clarify' && s.suggestions.length > 1)
    return {
      outcome: 'clarify',
      component: FAQ_BOT_TEXTS.clarify,
      context: { choices: s.suggestions.map((x, i) => `${i + 1}. ${x.question}`).join('\n') },
      details: { candidates: s.suggestions.map((x) => x.entryId) },
    };
  return { outcome: 'handoff', component: FAQ_BOT_TEXTS.handoff, details: {} };
}

/** What the bot worked out before the transaction: the question, the client, and the reply plan. */
export type BotPlan = {
  question: string;
  client: { tier: string | null; rm: string | null } | undefined;
  /** 1-based: the client answered a clarification with a number. */
  choice: number | null;
  plan: SmartAnswer;
};

/** The entry a client's number picks from the bot's last message, if that was a clarification. */
export async function chosenEntry(
  conversations: Pick<ConversationsService, 'lastBotMessage'>,
  tx: Tx,
  conversationId: number,
  choice: number,
) {
  const last = await conversations.lastBotMessage(tx, conversationId);
  const entryId = last?.outcome === 'clarify' ? last.details.candidates?.[choice - 1] : undefined;
  return entryId ? { entryId, questionId: last?.details.questionId ?? 0 } : null;
}

/** What deciding a reply needs: the FAQ, the smart answerer, the question log and the library texts. */
export type BotDecisionDeps = {
  faq: Pick<FaqService, 'entryFor' | 'suggest'>;
  answerer: SmartAnswerer;
  questionLog: QuestionLog;
  questions: Pick<FaqQuestionsRepository, 'resolveClarification'>;
  db: Db;
  clients: Pick<ContactsRepository, 'clientTierAndOwner'>;
  conversations: Pick<ConversationsService, 'open' | 'recordMessage' | 'lastBotMessage' | 'handOff'>;
  content: Pick<ContentRenderService, 'renderApprovedText'>;
};

/**
 * Plans the answer to a client's question before any transaction opens (retrieval, and the LLM unless the
 * message is a bare "1/2/3" choice). Shared by every channel the FAQ bot speaks in.
 */
export async function planQuestion(
  deps: Pick<BotDecisionDeps, 'faq' | 'answerer' | 'clients' | 'db'>,
  question: string,
  clientUserid: string,
): Promise<BotPlan> {
  const client = await deps.clients.clientTierAndOwner(deps.db, clientUserid);
  const choice = parseChoice(question);
  const tier = { tier: client?.tier ?? null };
  // A bare number is a choice when a clarification is pending; it is never worth an LLM call.
  const plan: SmartAnswer =
    choice === null
      ? await deps.answerer.answer(question, tier)
      : { ...(await deps.faq.suggest(question, tier)), via: 'retrieval', composed: null };
  return { question, client, choice, plan };
}

/**
 * Decides the bot's reply in an open conversation the bot owns, inside the caller's transaction: a picked
 * choice, else the plan's answer / clarification / hand-off / fallback (logged in the question log under
 * `channel`); records the bot's message and returns it with its rendered text. Sending is the caller's.
 */
export async function decideReply(
  deps: BotDecisionDeps,
  tx: Tx,
  input: { conversationId: number; clientUserid: string; channel: QuestionChannel; p: BotPlan },
): Promise<{ outcome: BotOutcome; text: string }> {
  const { conversationId, p } = input;
  const tier = p.client?.tier ?? null;
  const chosen =
    p.choice === null ? null : await chosenEntry(deps.conversations, tx, conversationId, p.choice);
  const pick = chosen ? deps.faq.entryFor(chosen.entryId, { tier }) : undefined;
  let reply: BotReply;
  if (chosen && pick?.compliance.ok) {
    reply = { outcome: 'answer', text: pick.answer, details: { entryId: pick.entryId, via: 'choice' } };
    await deps.questions.resolveClarification(tx, chosen.questionId, pick.entryId);
  } else {
    reply = replyFor(p.plan);
    const questionId = await deps.questionLog.record(tx, input.channel, p.question, p.plan, {
      conversationId,
      outcome: reply.outcome,
    });
    if (reply.outcome === 'clarify') reply.details = { ...reply.details, questionId };
  }
  const text =
    'text' in reply
      ? reply.text
      : (
          await deps.content.renderApprovedText(
            reply.component,
            {
              client: { externalUserid: input.clientUserid, tier },
              ...(reply.context ? { context: reply.context } : {}),
            },
            tx,
          )
        ).text;
  const { outcome, details } = reply;
  await deps.conversations.recordMessage(tx, conversationId, { role: 'bot', text, outcome, details });
  return { outcome, text };
}

/**
 * Marks the conversation pending-human with its SLA due time, and (after commit) sends the client's RM the
 * 接手 card; a client without an RM waits for whoever takes it from the conversation list.
 */
export async function handOffToRm(
  deps: {
    conversations: Pick<ConversationsService, 'handOff'>;
    cards: HandoffCardBuilder;
    app: Pick<WecomClient, 'sendAppMessage'>;
    mask: (text: string) => string;
  },
  ctx: Pick<InboundContext, 'tx' | 'afterCommit' | 'log'>,
  input: { conversationId: number; question: string; rm: string | null },
) {
  const { conversationId, rm } = input;
  await deps.conversations.handOff(ctx.tx, conversationId, rm);
  if (!rm) return;
  const card = await deps.cards.build(
    { conversationId, to: rm, overdue: false, question: deps.mask(input.question) },
    ctx.tx,
  );
  ctx.afterCommit(() =>
    deps.app
      .sendAppMessage(card)
      .then(() => undefined)
      .catch((err: unknown) =>
        ctx.log.warn({ err, conversation: conversationId }, 'RM handoff notice failed'),
      ),
  );
}

/**
 * The FAQ bot in group and private chats (AI-bot @-messages). It answers only approved answers (or LLM
 * replies composed from them) that pass the compliance check, offers choices when unsure and takes "1/2/3"
 * as the client's pick, and otherwise hands the conversation to the client's own RM with a 接手 card; once
 * a person owns it, the bot stays silent (the takeover is `rm-takeover.ts`). Everything else it says is an
 * approved library text. Retrieval and any LLM call run in `prepare`, before the inbox transaction opens;
 * the transaction only records and decides who speaks.
 */
export function createFaqBot(
  deps: BotDecisionDeps & {
    cards: HandoffCardBuilder;
    reply: BotReplier;
    app: Pick<WecomClient, 'sendAppMessage'>;
    mask: (text: string) => string;
    log: Log;
  },
): InboundHandler {
  return on<'bot:text', BotPlan>('bot:text', 'faq.bot-message', {
    prepare: (event) => planQuestion(deps, questionOf(event.body.text.content), event.body.from.userid),
    async handle(event, ctx, p) {
      const b = event.body;
      // A command (退订, 报名, 积分查询 …) is answered by the command bot wired before this one.
      if (ctx.answered()) return;
      const chatId = b.chattype === 'group' && b.chatid ? b.chatid : `single:${b.from.userid}`;
      const conv = await deps.conversations.open(ctx.tx, chatId, b.from.userid);
      // Stored masked, not encrypted: the hand-off card and the review queue need readable text, and an
      // ID or card number is never what answers a question, so nothing is lost by not keeping it.
      await deps.conversations.recordMessage(ctx.tx, conv.id, {
        role: 'client',
        text: deps.mask(p.question),
        outcome: null,
        details: {},
      });
      // A person owns this conversation (or is being fetched): the bot does not speak.
      if (conv.state !== 'bot') return;
      const { outcome, text } = await decideReply(deps, ctx.tx, {
        conversationId: conv.id,
        clientUserid: b.from.userid,
        channel: 'bot',
        p,
      });
      const url = b.response_url;
      // The client's reply first: the RM's card may wait on the per-member app-message limit.
      if (url) {
        ctx.afterCommit(() =>
          deps
            .reply(url, text)
            .catch((err: unknown) => ctx.log.warn({ err, conversation: conv.id }, 'bot reply failed')),
        );
      }
      if (outcome === 'handoff')
        await handOffToRm(deps, ctx, {
          conversationId: conv.id,
          question: p.question,
          rm: p.client?.rm ?? null,
        });
    },
  });
}
