import { createEventSignupBot } from '../../bots/event-signup.ts';
import { createFaqBot } from '../../bots/faq-bot.ts';
import { createFlashSaleBot } from '../../bots/flash-sale.ts';
import { createKfBot } from '../../bots/kf-bot.ts';
import { createOptOutBot } from '../../bots/opt-out.ts';
import { createPointsQueryBot } from '../../bots/points-query.ts';
import { createRmAssistant } from '../../bots/rm-assistant.ts';
import { createRmTakeover } from '../../bots/rm-takeover.ts';
import type { AudienceRepository } from '../modules/contacts/audience.repository.ts';
import type { ContactsRepository } from '../modules/contacts/contacts.repository.ts';
import type { ContentRenderService } from '../modules/content/content-render.service.ts';
import type { ConversationsService } from '../modules/conversations/conversations.service.ts';
import type { HandoffCardBuilder } from '../modules/conversations/handoff-card.ts';
import type { TouchesRepository } from '../modules/engagement/touches.repository.ts';
import type { EventsService } from '../modules/events/events.service.ts';
import type { PromotionNotice } from '../modules/events/promotion-notice.ts';
import type { FlashSalesService } from '../modules/flash-sales/flash-sales.service.ts';
import type { InboundHandler } from '../modules/inbox/inbound-dispatcher.ts';
import type { KfBot } from '../modules/kf/kf-sync.service.ts';
import type { Membership } from '../modules/points/membership.ts';
import type { PointsService } from '../modules/points/points.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import { createBotReplier } from '../wecom/client/bot-reply.ts';
import type { WecomClient } from '../wecom/client/wecom-client.ts';
import type { createConfiguredSmartService } from './faq-wiring.ts';

/** What the FAQ bot needs wherever clients ask it (chats, WeChat customer service). */
export type FaqBotWiring = {
  db: Db;
  smart: ReturnType<typeof createConfiguredSmartService>;
  clients: Pick<ContactsRepository, 'clientTierAndOwner'>;
  conversations: ConversationsService;
  content: ContentRenderService;
  cards: HandoffCardBuilder;
  mask: (text: string) => string;
  log: Log;
};

/**
 * The bots in `bots/` that listen to inbound callbacks, on the worker's module services: the FAQ bot, the
 * RM's takeover of what it hands off, the RM assistant, and the client's commands: 退订, 积分查询 and event
 * sign-ups (报名). (The welcome bot answers through the contacts
 * module's add-event handler; `module-wiring.ts` gives it to the welcome service.)
 */
export function wireBots(
  deps: FaqBotWiring & {
    app: Pick<WecomClient, 'sendAppMessage'>;
    audience: Pick<AudienceRepository, 'optOut'>;
    touches: Pick<TouchesRepository, 'insert'>;
    points: Pick<PointsService, 'balance'>;
    membership: () => Membership;
    events: EventsService;
    notifyPromoted: PromotionNotice;
    flashSales: Pick<FlashSalesService, 'claimByKeyword'>;
    timeZone: string;
    clock: Clock;
  },
): InboundHandler[] {
  const reply = createBotReplier();
  const { smart, log } = deps;
  return [
    createRmAssistant({ faq: smart.faq, questionLog: smart.questionLog, app: deps.app, log }),
    // Command bots first: a client's command is theirs, and the FAQ bot answers only what they left.
    createOptOutBot({
      audience: deps.audience,
      content: deps.content,
      reply,
      app: deps.app,
      clock: deps.clock,
    }),
    createPointsQueryBot({
      points: deps.points,
      membership: deps.membership,
      tierOf: async (db, client) => (await deps.clients.clientTierAndOwner(db, client))?.tier ?? null,
      content: deps.content,
      reply,
    }),
    createEventSignupBot({
      events: deps.events,
      content: deps.content,
      reply,
      notifyPromoted: deps.notifyPromoted,
      timeZone: deps.timeZone,
    }),
    createFlashSaleBot({ sales: deps.flashSales, content: deps.content, reply, timeZone: deps.timeZone }),
    createFaqBot({
      ...smart,
      db: deps.db,
      clients: deps.clients,
      conversations: deps.conversations,
      content: deps.content,
      cards: deps.cards,
      reply,
      app: deps.app,
      mask: deps.mask,
      log,
    }),
    createRmTakeover({ conversations: deps.conversations, touches: deps.touches, clock: deps.clock }),
  ];
}

/**
 * The FAQ bot in WeChat customer service (bots/kf-bot.ts), for the kf module's sync: the same services as
 * the chat bot, replying and moving sessions through the app's kf API.
 */
export function wireKfBot(
  deps: FaqBotWiring & {
    app: Pick<WecomClient, 'sendAppMessage' | 'kfSendText' | 'kfSendWelcome' | 'kfTransferSession'>;
  },
): KfBot {
  return createKfBot({ ...deps.smart, ...deps, kf: deps.app });
}
