import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { BotReplier } from '../../wecom/client/bot-reply.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { ContactsRepository } from '../contacts/contacts.repository.ts';
import type { ConversationsService } from '../conversations/conversations.service.ts';
import {
  defineInboundHandler,
  type InboundContext,
  type InboundHandler,
} from '../inbox/inbound-dispatcher.ts';
import type { FaqService } from './faq.service.ts';
import type { FaqQuestionsRepository } from './faq-questions.repository.ts';
import type { QuestionLog } from './question-log.ts';
import type { SmartAnswer, SmartAnswerer } from './smart-answer.service.ts';

/** What the bot says to a message it cannot read as a question. */
export const UNREADABLE_REPLY = '抱歉，我没能看懂这条消息。请用一两句话描述您的问题，我来帮您解答。';

/** What the bot says when it hands a question to a person. */
export const HANDOFF_REPLY = '这个问题我已转给您的专属客户经理，稍后会有人工为您解答，请稍候。';

// "@智能助手 信用卡怎么还款" → "信用卡怎么还款": mentions are addressing, not the question.
const stripMentions = (text: string) => text.replace(/@\S+\s*/g, '').trim();

/** The entry a client's number picks from the bot's last message, if that was a clarification. */
async function chosenEntry(
  conversations: Pick<ConversationsService, 'lastBotMessage'>,
  tx: Tx,
  conversationId: number,
  choice: number,
) {
  const last = await conversations.lastBotMessage(tx, conversationId);
  const entryId = last?.outcome === 'clarify' ? last.details.candidates?.[choice - 1] : undefined;
  return entryId ? { entryId, questionId: last?.details.questionId ?? 0 } : null;
}

/** What the bot can do with a message. */
type BotOutcome = 'answer' | 'clarify' | 'handoff' | 'fallback';

/** The bot's reply to a plan: only an LLM reply that passed its check or a compliant approved answer is sent. */
function replyFor(s: SmartAnswer): { outcome: BotOutcome; text: string; details: Record<string, unknown> } {
  const best = s.suggestions[0];
  // Nothing to understand (emoji, a blank, a pasted document): ask politely, keep the conversation.
  if (s.unreadable) return { outcome: 'fallback', text: UNREADABLE_REPLY, details: {} };
  if (s.outcome === 'answer' && s.composed)
    return {
      outcome: 'answer',
      text: s.composed.text,
      details: { entryIds: s.composed.entryIds, via: s.via },
    };
  if (s.outcome === 'answer' && best?.compliance.ok)
    return { outcome: 'answer', text: best.answer, details: { entryId: best.entryId, via: s.via } };
  if (s.outcome === 'clarify' && s.suggestions.length > 1) {
    const list = s.suggestions.map((x, i) => `${i + 1}. ${x.question}`).join('\n');
    return {
      outcome: 'clarify',
      text: `您想问的是下面哪一个？\n${list}\n请回复序号，或直接发送您要问的问题。`,
      details: { candidates: s.suggestions.map((x) => x.entryId) },
    };
  }
  return { outcome: 'handoff', text: HANDOFF_REPLY, details: {} };
}

/** What the bot worked out before the transaction: the question, the client, and the reply plan. */
type BotPlan = {
  question: string;
  client: { tier: string | null; rm: string | null } | undefined;
  /** 1-based: the client answered a clarification with a number. */
  choice: number | null;
  plan: SmartAnswer;
};

// "2", "第2个", "第二个": a choice among the offered questions.
const CHOICE = /^\s*(?:第\s*)?([1-5一二三四五])\s*(?:个|条)?\s*[.。!！]?\s*$/u;
const CHINESE_DIGITS = '一二三四五';
/** The number a client chose, or null when the message is not a choice. */
export function parseChoice(text: string): number | null {
  const m = CHOICE.exec(text);
  if (!m) return null;
  const d = m[1] as string;
  return CHINESE_DIGITS.includes(d) ? CHINESE_DIGITS.indexOf(d) + 1 : Number(d);
}

/**
 * The FAQ bot in group and private chats (AI-bot @-messages). The bot answers only
 * approved answers (or LLM replies composed from them) that pass the compliance check, offers choices when
 * unsure and takes "1/2/3" as the client's pick, and otherwise hands the conversation to the client's own
 * RM with a 接手 card; once a person owns it, the bot stays silent (the takeover is conversations'). Retrieval
 * and any LLM call run in `prepare`, before the inbox transaction opens; the transaction only records and
 * decides who speaks. Conversations change only through the conversations service.
 */
export function createBotInboundHandlers(deps: {
  faq: Pick<FaqService, 'entryFor' | 'suggest'>;
  answerer: SmartAnswerer;
  questionLog: QuestionLog;
  questions: Pick<FaqQuestionsRepository, 'resolveClarification'>;
  db: Db;
  clients: Pick<ContactsRepository, 'clientTierAndOwner'>;
  conversations: Pick<ConversationsService, 'open' | 'recordMessage' | 'lastBotMessage' | 'handOff'>;
  reply: BotReplier;
  app: Pick<WecomClient, 'sendAppMessage'>;
  mask: (text: string) => string;
  log: Log;
}): InboundHandler[] {
  /** Marks the conversation pending-human with its SLA due time, and sends the RM the 接手 card. */
  async function handOff(ctx: InboundContext, conversationId: number, question: string, rm: string | null) {
    await deps.conversations.handOff(ctx.tx, conversationId, rm);
    if (!rm) return;
    ctx.afterCommit(() =>
      deps.app
        .sendAppMessage({
          touser: [rm],
          msgtype: 'template_card',
          content: {
            card_type: 'button_interaction',
            main_title: { title: '客户问题待接手', desc: '智能助手无法回答，请尽快接手' },
            sub_title_text: deps.mask(question).slice(0, 100),
            task_id: `handoff-${conversationId}`,
            button_list: [{ text: '接手', style: 1, key: 'takeover' }],
          },
        })
        .then(() => undefined)
        .catch((err: unknown) =>
          ctx.log.warn({ err, conversation: conversationId }, 'RM handoff notice failed'),
        ),
    );
  }

  return [
    defineInboundHandler<BotPlan | null>({
      name: 'faq.bot-message',
      kinds: ['text'],
      async prepare(event) {
        if (event.source !== 'bot' || event.kind !== 'text') return null;
        const b = event.body;
        const question = stripMentions(b.text.content);
        const client = await deps.clients.clientTierAndOwner(deps.db, b.from.userid);
        const choice = parseChoice(question);
        const tier = { tier: client?.tier ?? null };
        // A bare number is a choice when a clarification is pending; it is never worth an LLM call.
        const plan: SmartAnswer =
          choice === null
            ? await deps.answerer.answer(question, tier)
            : { ...(await deps.faq.suggest(question, tier)), via: 'retrieval', composed: null };
        return { question, client, choice, plan };
      },
      async handle(event, ctx, p) {
        if (!p || event.source !== 'bot' || event.kind !== 'text') return;
        const b = event.body;
        const { question, client } = p;
        const chatId = b.chattype === 'group' && b.chatid ? b.chatid : `single:${b.from.userid}`;
        const conv = await deps.conversations.open(ctx.tx, chatId, b.from.userid);
        // Stored masked, not encrypted: the hand-off card and the review queue need readable text, and an
        // ID or card number is never what answers a question, so nothing is lost by not keeping it.
        await deps.conversations.recordMessage(ctx.tx, conv.id, {
          role: 'client',
          text: deps.mask(question),
          outcome: null,
          details: {},
        });
        // A person owns this conversation (or is being fetched): the bot does not speak.
        if (conv.state !== 'bot') return;
        const chosen =
          p.choice === null ? null : await chosenEntry(deps.conversations, ctx.tx, conv.id, p.choice);
        const pick = chosen ? deps.faq.entryFor(chosen.entryId, { tier: client?.tier ?? null }) : undefined;
        let outcome: BotOutcome;
        let text: string;
        let details: Record<string, unknown> = {};
        if (chosen && pick?.compliance.ok) {
          outcome = 'answer';
          text = pick.answer;
          details = { entryId: pick.entryId, via: 'choice' };
          await deps.questions.resolveClarification(ctx.tx, chosen.questionId, pick.entryId);
        } else {
          ({ outcome, text, details } = replyFor(p.plan));
          const questionId = await deps.questionLog.record(ctx.tx, 'bot', question, p.plan, {
            conversationId: conv.id,
            outcome,
          });
          if (outcome === 'clarify') details = { ...details, questionId };
        }
        await deps.conversations.recordMessage(ctx.tx, conv.id, { role: 'bot', text, outcome, details });
        const url = b.response_url;
        // The client's reply first: the RM's card may wait on the per-member app-message limit.
        if (url) {
          ctx.afterCommit(() =>
            deps
              .reply(url, text)
              .catch((err: unknown) => ctx.log.warn({ err, conversation: conv.id }, 'bot reply failed')),
          );
        }
        if (outcome === 'handoff') await handOff(ctx, conv.id, question, client?.rm ?? null);
      },
    }),
  ];
}
