import { createFaqBot } from '../../bots/faq-bot.ts';
import { createFlashSaleBot } from '../../bots/flash-sale.ts';
import { createOptOutBot } from '../../bots/opt-out.ts';
import { createRmAssistant } from '../../bots/rm-assistant.ts';
import { createRmTakeover } from '../../bots/rm-takeover.ts';
import type { AudienceRepository } from '../modules/contacts/audience.repository.ts';
import type { ContactsRepository } from '../modules/contacts/contacts.repository.ts';
import type { ContentRenderService } from '../modules/content/content-render.service.ts';
import type { ConversationsService } from '../modules/conversations/conversations.service.ts';
import type { HandoffCardBuilder } from '../modules/conversations/handoff-card.ts';
import type { TouchesRepository } from '../modules/engagement/touches.repository.ts';
import type { FlashSalesService } from '../modules/flash-sales/flash-sales.service.ts';
import type { InboundHandler } from '../modules/inbox/inbound-dispatcher.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import { createBotReplier } from '../wecom/client/bot-reply.ts';
import type { WecomClient } from '../wecom/client/wecom-client.ts';
import type { createConfiguredSmartService } from './faq-wiring.ts';

/**
 * The bots in `bots/` that listen to inbound callbacks, on the worker's module services: the FAQ bot, the
 * RM's takeover of what it hands off, the RM assistant, and the client's 退订. (The welcome bot answers through the contacts
 * module's add-event handler; `module-wiring.ts` gives it to the welcome service.)
 */
export function wireBots(deps: {
  db: Db;
  smart: ReturnType<typeof createConfiguredSmartService>;
  clients: Pick<ContactsRepository, 'clientTierAndOwner'>;
  conversations: ConversationsService;
  content: ContentRenderService;
  cards: HandoffCardBuilder;
  app: Pick<WecomClient, 'sendAppMessage'>;
  mask: (text: string) => string;
  audience: Pick<AudienceRepository, 'optOut'>;
  touches: Pick<TouchesRepository, 'insert'>;
  flashSales: Pick<FlashSalesService, 'claimByKeyword'>;
  timeZone: string;
  clock: Clock;
  log: Log;
}): InboundHandler[] {
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
