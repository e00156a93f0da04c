import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import { parseEventCommand } from '../src/modules/events/event-audience.ts';
import type { EventsService } from '../src/modules/events/events.service.ts';
import type { EventRow } from '../src/modules/events/events.tables.ts';
import type { PromotionNotice } from '../src/modules/events/promotion-notice.ts';
import { eventContext, eventTime } from '../src/modules/events/promotion-notice.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { BotReplier } from '../src/wecom/client/bot-reply.ts';

/**
 * Event sign-up by message, in a group or a private chat with the bot: 报名 / 参加 with the event's number
 * ("报名 12", "参加12") signs the client up; with no number and exactly one open event they are invited to,
 * that one; with several, the bot lists them with their numbers. 取消报名 [number] cancels. Every reply is
 * approved library text. A bare number is left to the FAQ bot (it picks among the bot's clarification
 * choices); the list asks for "报名 12". A client promoted from the waitlist is told through their RM (the bot cannot
 * write to a client first), with the approved promotion text to forward.
 */
export function createEventSignupBot(deps: {
  events: Pick<EventsService, 'openFor' | 'signUp' | 'cancel' | 'get' | 'audienceHas'>;
  content: Pick<ContentRenderService, 'renderApprovedText'>;
  reply: BotReplier;
  /** Tells a client promoted from the waitlist, through their RM (after commit). */
  notifyPromoted: PromotionNotice;
  timeZone: string;
}): InboundHandler {
  const when = (e: EventRow) => eventTime(e, deps.timeZone);
  const context = (e: EventRow) => eventContext(e, deps.timeZone);

  return on('bot:text', 'events.sign-up', async (event, ctx) => {
    const b = event.body;
    const command = parseEventCommand(b.text.content);
    if (!command) return;
    const client = b.from.userid;
    ctx.markAnswered();
    const render = async (id: string, context: Record<string, unknown> = {}) =>
      (await deps.content.renderApprovedText(id, { client: { externalUserid: client }, context }, ctx.tx))
        .text;

    let text: string;
    let promoted: { externalUserid: string; event: EventRow } | undefined;
    if (command.action === 'sign_up') {
      let target: EventRow | undefined;
      if (command.eventId !== undefined) {
        const open = await deps.events.get(command.eventId, ctx.tx).catch(() => undefined);
        target = open && (await deps.events.audienceHas(ctx.tx, open, client)) ? open : undefined;
      } else {
        const open = await deps.events.openFor(ctx.tx, client);
        if (open.length > 1) {
          const list = open
            .slice(0, 8)
            .map((e) => `${e.id}. ${e.title.slice(0, 30)}（${when(e)}）`)
            .join('\n');
          text = await render('event-signup-pick', { list });
          reply(text);
          return;
        }
        target = open[0];
      }
      if (!target) text = await render('event-signup-none');
      else {
        const r = await deps.events.signUp(
          { eventId: target.id, externalUserid: client, via: 'bot', actor: `client:${client.slice(0, 12)}` },
          ctx.tx,
        );
        text =
          r.outcome === 'closed'
            ? await render('event-signup-closed', context(r.event))
            : r.outcome === 'waitlisted' || r.outcome === 'already_waitlisted'
              ? await render('event-signup-waitlisted', { ...context(r.event), position: r.position })
              : await render('event-signup-confirmed', context(r.event));
      }
    } else {
      let eventId = command.eventId;
      if (eventId === undefined) {
        const open = await deps.events.openFor(ctx.tx, client);
        eventId = open.length === 1 ? open[0]!.id : undefined;
      }
      const r =
        eventId === undefined
          ? undefined
          : await deps.events
              .cancel({ eventId, externalUserid: client, actor: `client:${client.slice(0, 12)}` }, ctx.tx)
              .catch(() => undefined);
      if (!r || r.outcome === 'not_signed_up') text = await render('event-signup-none');
      else if (r.outcome === 'already_cancelled')
        text = await render('event-signup-already-cancelled', context(r.event));
      else {
        text = await render('event-signup-cancelled', context(r.event));
        if (r.promoted) promoted = { externalUserid: r.promoted, event: r.event };
      }
    }
    reply(text);
    if (promoted) {
      const p = promoted;
      ctx.afterCommit(() => deps.notifyPromoted(p.event, p.externalUserid));
    }

    function reply(t: string) {
      const url = b.response_url;
      if (url)
        ctx.afterCommit(() =>
          deps.reply(url, t).catch((err: unknown) => ctx.log.warn({ err }, 'event sign-up reply failed')),
        );
    }
  });
}
