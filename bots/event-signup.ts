import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import { parseEventCommand } from '../src/modules/events/event-audience.ts';
import type { EventsService } from '../src/modules/events/events.service.ts';
import type { EventRow } from '../src/modules/events/events.tables.ts';
import { type InboundHandler, on } from '../src/modules/inbox/inbound-dispatcher.ts';
import type { Tx } from '../src/platform/db/client.ts';
import type { BotReplier } from '../src/wecom/client/bot-reply.ts';
import type { WecomClient } from '../src/wecom/client/wecom-client.ts';

/**
 * Event sign-up by message, in a group or a private chat with the bot: 报名 / 参加 with the event's number
 * ("报名 12", "参加12") signs the client up; with no number and exactly one open event they are invited to,
 * that one; with several, the bot lists them with their numbers. 取消报名 [number] cancels. Every reply is
 * approved library text. A client promoted from the waitlist is told through their RM (the bot cannot
 * write to a client first), with the approved promotion text to forward.
 */
export function createEventSignupBot(deps: {
  events: Pick<EventsService, 'openFor' | 'signUp' | 'cancel' | 'get' | 'audienceHas'>;
  content: Pick<ContentRenderService, 'renderApprovedText'>;
  reply: BotReplier;
  app: Pick<WecomClient, 'sendAppMessage'>;
  /** A client's owner RM, to tell about a promotion. */
  ownerOf: (tx: Tx, externalUserid: string) => Promise<string | null>;
  timeZone: string;
}): InboundHandler {
  const when = (e: EventRow) =>
    e.startsAt.toLocaleString('zh-CN', {
      timeZone: deps.timeZone,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
  const eventContext = (e: EventRow) => ({ title: e.title.slice(0, 40), eventId: e.id, startsAt: when(e) });

  return on('bot:text', 'events.sign-up', async (event, ctx) => {
    const b = event.body;
    const command = parseEventCommand(b.text.content);
    if (!command) return;
    ctx.markAnswered();
    const client = b.from.userid;
    const render = async (id: string, context: Record<string, unknown> = {}) =>
      (await deps.content.renderApprovedText(id, { client: { externalUserid: client }, context }, ctx.tx))
        .text;

    let text: string;
    let promoted: { externalUserid: string; event: EventRow } | undefined;
    if (command.action === 'sign_up') {
      let target: EventRow | undefined;
      if (command.eventId !== undefined) {
        const open = await deps.events.get(command.eventId).catch(() => undefined);
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
            ? await render('event-signup-closed', eventContext(r.event))
            : r.outcome === 'waitlisted' || r.outcome === 'already_waitlisted'
              ? await render('event-signup-waitlisted', { ...eventContext(r.event), position: r.position })
              : await render('event-signup-confirmed', eventContext(r.event));
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
        text = await render('event-signup-already-cancelled', eventContext(r.event));
      else {
        text = await render('event-signup-cancelled', eventContext(r.event));
        if (r.promoted) promoted = { externalUserid: r.promoted, event: r.event };
      }
    }
    reply(text);
    if (promoted) {
      const rm = await deps.ownerOf(ctx.tx, promoted.externalUserid);
      const notice = (
        await deps.content.renderApprovedText(
          'event-signup-promoted',
          { client: { externalUserid: promoted.externalUserid }, context: eventContext(promoted.event) },
          ctx.tx,
        )
      ).text;
      if (rm) {
        const who = promoted.externalUserid.slice(0, 8);
        ctx.afterCommit(() =>
          deps.app
            .sendAppMessage({
              touser: [rm],
              msgtype: 'text',
              content: {
                content: `【候补转正】您的客户（${who}…）已从候补转为正式报名，请转告：\n${notice}`,
              },
            })
            .then(() => undefined)
            .catch((err: unknown) => ctx.log.warn({ err }, 'promotion notice to RM failed')),
        );
      }
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
