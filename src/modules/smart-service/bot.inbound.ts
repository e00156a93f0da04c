import { sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.ts';
import { queryRows, type Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { BotReplier } from '../../wecom/client/bot-reply.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { InboundHandler } from '../inbox/inbound-dispatcher.ts';
import { type BusinessHours, businessDeadline } from './business-hours.ts';
import type { FaqService } from './faq.service.ts';

/** What the bot says to a message it cannot read as a question. */
export const UNREADABLE_REPLY = '抱歉，我没能看懂这条消息。请用一两句话描述您的问题，我来帮您解答。';

/** What the bot says when it hands a question to a person. */
export const HANDOFF_REPLY = '这个问题我已转给您的专属客户经理，稍后会有人工为您解答，请稍候。';

// "@智能助手 信用卡怎么还款" → "信用卡怎么还款": mentions are addressing, not the question.
const stripMentions = (text: string) => text.replace(/@\S+\s*/g, '').trim();

async function openConversation(tx: Tx, chatId: string, client: string) {
  const [row] = await queryRows<{ id: number; state: string }>(
    tx,
    sql`INSERT INTO conversations (chat_id, client_userid) VALUES (${chatId}, ${client})
        ON CONFLICT (chat_id, client_userid) WHERE owner_state <> 'resolved' DO UPDATE SET updated_at = now()
        RETURNING id::int AS id, owner_state AS state`,
  );
  if (!row) throw new Error('conversation upsert returned no row');
  return row;
}

const say = (
  tx: Tx,
  conversationId: number,
  role: 'client' | 'bot',
  text: string,
  outcome: string | null,
  details = {},
) =>
  queryRows(
    tx,
    sql`INSERT INTO conversation_messages (conversation_id, role, text, outcome, details)
        VALUES (${conversationId}, ${role}, ${text}, ${outcome}, ${JSON.stringify(details)}::jsonb)`,
  );

/**
 * The FAQ bot in group and private chats (AI-bot @-messages), and the RM's takeover. The bot answers only
 * approved answers that pass the compliance check, offers choices when unsure, and otherwise hands the
 * conversation to the client's own RM with a 接手 card; once a person owns it, the bot stays silent.
 */
export function createBotInboundHandlers(deps: {
  faq: FaqService;
  reply: BotReplier;
  app: Pick<WecomClient, 'sendAppMessage'>;
  mask: (text: string) => string;
  /** The hand-off SLA: business minutes until a person must take over. */
  sla: { minutes: number; hours: BusinessHours };
  clock: Clock;
  log: Log;
}): InboundHandler[] {
  return [
    {
      name: 'smart-service.bot-message',
      kinds: ['text'],
      async handle(event, ctx) {
        if (event.source !== 'bot' || event.kind !== 'text') return;
        const b = event.body;
        const question = stripMentions(b.text.content);
        const chatId = b.chattype === 'group' && b.chatid ? b.chatid : `single:${b.from.userid}`;
        const conv = await openConversation(ctx.tx, chatId, b.from.userid);
        await say(ctx.tx, conv.id, 'client', question, null);
        // A person owns this conversation (or is being fetched): the bot does not speak.
        if (conv.state !== 'bot') return;
        const [client] = await queryRows<{ tier: string | null; rm: string | null }>(
          ctx.tx,
          sql`SELECT tier, owner_rm AS rm FROM clients WHERE external_userid = ${b.from.userid}`,
        );
        const s = await deps.faq.suggest(question, { tier: client?.tier ?? null }, ctx.tx);
        const best = s.suggestions[0];
        let outcome: string = s.outcome;
        let text: string;
        if (s.unreadable) {
          // Nothing to understand (emoji, a blank, a pasted document): ask politely, keep the conversation.
          outcome = 'fallback';
          text = UNREADABLE_REPLY;
        } else if (outcome === 'answer' && best?.compliance.ok) {
          text = best.answer;
        } else if (outcome === 'clarify' && s.suggestions.length > 1) {
          text = `您想问的是下面哪一个？\n${s.suggestions.map((x, i) => `${i + 1}. ${x.question}`).join('\n')}\n请直接发送您要问的问题。`;
        } else {
          outcome = 'handoff';
          text = HANDOFF_REPLY;
          const rm = client?.rm ?? null;
          const now = deps.clock.now();
          const due = businessDeadline(now, deps.sla.minutes, deps.sla.hours);
          await queryRows(
            ctx.tx,
            sql`UPDATE conversations SET owner_state = 'pending-human', rm_userid = ${rm}, handed_off_at = ${now},
                  sla_due_at = ${due}, updated_at = now() WHERE id = ${conv.id}`,
          );
          if (rm) {
            ctx.afterCommit(() =>
              deps.app
                .sendAppMessage({
                  touser: [rm],
                  msgtype: 'template_card',
                  content: {
                    card_type: 'button_interaction',
                    main_title: { title: '客户问题待接手', desc: '智能助手无法回答，请尽快接手' },
                    sub_title_text: deps.mask(question).slice(0, 100),
                    task_id: `handoff-${conv.id}`,
                    button_list: [{ text: '接手', style: 1, key: 'takeover' }],
                  },
                })
                .then(() => undefined)
                .catch((err: unknown) =>
                  ctx.log.warn({ err, conversation: conv.id }, 'RM handoff notice failed'),
                ),
            );
          }
        }
        await say(ctx.tx, conv.id, 'bot', text, outcome, {
          entryId: outcome === 'answer' ? best?.entryId : undefined,
        });
        const url = b.response_url;
        if (url) {
          ctx.afterCommit(() =>
            deps
              .reply(url, text)
              .catch((err: unknown) => ctx.log.warn({ err, conversation: conv.id }, 'bot reply failed')),
          );
        }
      },
    },
    {
      name: 'smart-service.rm-takeover',
      kinds: ['event:template_card_event'],
      async handle(event, ctx) {
        if (event.source !== 'app' || event.kind !== 'event:template_card_event') return;
        const b = event.body;
        const m = /^handoff-(\d{1,15})$/.exec(b.TaskId ?? '');
        if (!m || b.EventKey !== 'takeover') return;
        await queryRows(
          ctx.tx,
          sql`UPDATE conversations SET owner_state = 'human', taken_over_by = ${b.FromUserName},
                taken_over_at = ${deps.clock.now()}, sla_kept = (${deps.clock.now()} <= sla_due_at), updated_at = now()
              WHERE id = ${Number(m[1])} AND owner_state = 'pending-human'`,
        );
      },
    },
  ];
}
