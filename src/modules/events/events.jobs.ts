import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import { defineJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AudienceRepository } from '../contacts/audience.repository.ts';
import type { EventsRepository } from './events.repository.ts';

/** One reminder sweep per minute; the id makes every scheduler replica's tick one job. */
export const SendEventReminders = defineJob({
  name: 'events.send-reminders',
  queue: 'maintenance',
  version: 1,
  payload: z.object({ minute: z.string().regex(/^\d{12}$/) }),
  policy: {
    attempts: 3,
    backoff: { type: 'fixed', delay: 10_000 },
    keepCompleted: { count: 100, ageS: 3600 },
    keepFailed: { count: 100, ageS: 7 * 24 * 3600 },
  },
  jobId: (p) => `event-reminders-${p.minute}`,
});

/** The job definitions this module owns. */
export const eventsJobDefinitions = [SendEventReminders] as const;

/** What one sweep did: the reminders recorded and the RM messages to send. */
export type ReminderNotice = { rm: string; eventId: number; minutesBefore: number; clients: string[] };

/**
 * Event reminders. The bot cannot write to a client first (a WeCom smart bot only answers, through the
 * reply URL of the client's own message), and an app message cannot reach external contacts; only the RM
 * can, from their own WeCom. So each reminder is an app message to each owner RM listing their signed-up
 * clients, for the RM to remind them personally. Each (event, offset) is recorded before anything is sent,
 * so it fires once; when several offsets are due at once (an event created late, or a scheduler that was
 * down) only the nearest is sent and the earlier ones are recorded as superseded.
 */
export function createEventReminders(deps: {
  db: Db;
  repo: EventsRepository;
  clients: Pick<AudienceRepository, 'clientFacts'>;
  app: Pick<WecomClient, 'sendAppMessage'>;
  timeZone: string;
  clock: Clock;
  log: Log;
}) {
  return {
    /** Records every due reminder and returns the RM notices sent. */
    async sweep(): Promise<ReminderNotice[]> {
      const now = deps.clock.now();
      const due = await deps.repo.dueReminders(deps.db, now);
      const byEvent = new Map<number, number[]>();
      for (const d of due) byEvent.set(d.eventId, [...(byEvent.get(d.eventId) ?? []), d.minutesBefore]);
      const notices: ReminderNotice[] = [];
      for (const [eventId, offsets] of byEvent) {
        const nearest = Math.min(...offsets);
        const event = await deps.repo.findEvent(deps.db, eventId);
        if (!event) continue;
        const clients = await deps.repo.signedUpClients(deps.db, eventId);
        const facts = clients.length > 0 ? await deps.clients.clientFacts(deps.db, clients) : [];
        const perRm = new Map<string, string[]>();
        for (const f of facts)
          if (f.ownerRm) perRm.set(f.ownerRm, [...(perRm.get(f.ownerRm) ?? []), f.externalUserid]);
        const recorded = await deps.db.transaction(async (tx) => {
          let mine = false;
          for (const m of offsets)
            if (
              (await deps.repo.recordReminder(tx, {
                eventId,
                minutesBefore: m,
                rmsNotified: m === nearest ? perRm.size : 0,
                at: now,
              })) &&
              m === nearest
            )
              mine = true;
          return mine;
        });
        // Another sweep recorded it first: it sends, this one does not.
        if (!recorded) continue;
        const when = event.startsAt.toLocaleString('zh-CN', { timeZone: deps.timeZone, hour12: false });
        for (const [rm, ids] of perRm) {
          notices.push({ rm, eventId, minutesBefore: nearest, clients: ids });
          await deps.app
            .sendAppMessage({
              touser: [rm],
              msgtype: 'text',
              content: {
                content: `【活动提醒】${event.title}（活动编号 ${eventId}）将于 ${when} 开始。您有 ${ids.length} 位客户已报名：${ids
                  .slice(0, 50)
                  .map((id) => `${id.slice(0, 8)}…`)
                  .join(
                    '、',
                  )}${ids.length > 50 ? ' 等' : ''}。请在企业微信中逐一提醒，名单见 Helix 活动报名页。`,
              },
            })
            .catch((err: unknown) => deps.log.warn({ err, eventId, rm }, 'event reminder to RM failed'));
        }
      }
      return notices;
    },
  };
}

/** Registers the reminder sweep's handler. */
export function registerEventsJobs(deps: {
  reminders: ReturnType<typeof createEventReminders>;
  log: Log;
}): JobRegistration[] {
  return [
    handle(SendEventReminders, {
      async perform() {
        const sent = await deps.reminders.sweep();
        if (sent.length > 0) deps.log.info({ notices: sent.length }, 'event reminders sent');
      },
    }),
  ];
}
