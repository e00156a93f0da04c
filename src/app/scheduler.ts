import { CronExpressionParser } from 'cron-parser';
import type { Redis } from 'ioredis';
import cron, { type ScheduledTask } from 'node-cron';
import { FireOccurrence } from '../modules/calendar/calendar.jobs.ts';
import { createCalendarTicker } from '../modules/calendar/calendar-ticker.ts';
import { ReconcileGroups } from '../modules/communities/communities.jobs.ts';
import { BackfillAttribution, SweepWelcomes, welcomeSweepSlot } from '../modules/contacts/contacts.jobs.ts';
import { CheckHandoffSla } from '../modules/conversations/handoff-sla.jobs.ts';
import { SendEventReminders } from '../modules/events/events.jobs.ts';
import { RefitFaqRanker } from '../modules/faq/learning/ranker-refit.jobs.ts';
import { SweepFlashSales } from '../modules/flash-sales/flash-sales.jobs.ts';
import { ExpirePoints } from '../modules/points/points.jobs.ts';
import { dateInZone } from '../platform/calendar/dates.ts';
import { enqueueNightlyAnalytics } from './analytics-nightly.ts';
import type { AppContext } from './context.ts';
import { createServices, type Services } from './services.ts';

/**
 * The scheduler role: node-cron ticks that only enqueue jobs with deterministic ids, so any number of
 * scheduler replicas fire each occurrence once (BullMQ drops the duplicate ids).
 */
export async function startSchedulerRole(ctx: AppContext, opts: { services?: Services } = {}) {
  const { config, log, clock } = ctx;
  // Alone the scheduler opens its own queues; under `runHelix` it shares the process's.
  const services = opts.services ?? createServices(ctx);
  const queues = services.queues();
  const tasks: ScheduledTask[] = [];
  const every = (
    name: string,
    expression: string,
    fire: () => Promise<void>,
    opts: { quiet?: boolean } = {},
  ) => {
    tasks.push(
      cron.schedule(
        expression,
        async () => {
          try {
            await fire();
            if (!opts.quiet) log.info({ schedule: name }, 'scheduled job enqueued');
          } catch (err) {
            log.error({ err, schedule: name }, 'could not enqueue a scheduled job');
          }
        },
        { timezone: config.scheduler.timezone, name, noOverlap: true },
      ),
    );
  };
  // Nightly repairs: group membership drift, then attribution for add events Helix never received; and
  // the expiry of points past the rule's date.
  every('groups-reconcile', config.scheduler.groupReconcileCron, async () => {
    const runDate = dateInZone(clock.now(), config.scheduler.timezone);
    await queues.enqueue(ReconcileGroups, { runDate });
    await queues.enqueue(BackfillAttribution, { runDate });
    await queues.enqueue(ExpirePoints, { runDate });
  });
  // The FAQ learning loop: refit the ranker on the approved similar questions (skipped if nothing changed).
  const refitCron = config.faq.refit.cron;
  if (refitCron)
    every('faq-refit', refitCron, () =>
      queues
        .enqueue(RefitFaqRanker, { minute: clock.now().toISOString().slice(0, 16).replace(/\D/g, '') })
        .then(() => undefined),
    );
  // The nightly analytics, for the business day that just ended: each job fills its own aggregate tables,
  // which the reports read.
  every('analytics', config.scheduler.analyticsCron, async () => {
    await enqueueNightlyAnalytics(queues, clock.now(), config.scheduler.timezone);
  });
  // The content calendar: each tick enqueues the occurrences due since the last recorded one.
  const cal = services.calendar();
  const ticker = createCalendarTicker({
    db: ctx.database.db,
    repo: cal.calendarRepo,
    days: services.holidays(),
    timeZone: config.scheduler.timezone,
    catchUpMs: config.calendar.catchUpMs,
    missedLookbackMs: config.calendar.missedLookbackMs,
    clock,
    enqueue: (due) => queues.enqueueBulk(FireOccurrence, due),
  });
  const calendarTick = async () => {
    const due = await ticker.tick();
    if (due.length > 0)
      log.info(
        { due: due.length, missed: due.filter((d) => d.mode === 'missed').length },
        'calendar occurrences enqueued',
      );
  };
  every('calendar', config.calendar.tickCron, calendarTick, { quiet: true });
  // Every minute: hand-offs past their SLA are escalated.
  every('handoff-sla', '* * * * *', () =>
    queues.enqueue(CheckHandoffSla, { minute: clock.now().toISOString().slice(0, 16).replace(/\D/g, '') }),
  );
  // Every minute: event reminders that came due are sent (each once).
  every('event-reminders', '* * * * *', () =>
    queues.enqueue(SendEventReminders, {
      minute: clock.now().toISOString().slice(0, 16).replace(/\D/g, ''),
    }),
  );
  // Every minute: flash-sale benefits not redeemed in time end; Redis stock lost or drifted is rebuilt.
  every('flash-sales', '* * * * *', () =>
    queues.enqueue(SweepFlashSales, {
      minute: clock.now().toISOString().slice(0, 16).replace(/\D/g, ''),
    }),
  );
  // Every 5 s: welcomes whose send job was lost get it back in time, or are failed once their code expired.
  every(
    'welcome-sweep',
    '*/5 * * * * *',
    () => queues.enqueue(SweepWelcomes, { slot: welcomeSweepSlot(clock.now()) }),
    { quiet: true },
  );
  // After downtime: what came due while no scheduler ran is caught up now, not at the next tick.
  await calendarTick().catch((err: unknown) => log.error({ err }, 'calendar catch-up failed'));
  await catchUpNightly(
    ctx,
    queues,
    services.producer(),
    'groups-reconcile',
    config.scheduler.groupReconcileCron,
    async (runDate) => {
      await queues.enqueue(ReconcileGroups, { runDate });
      await queues.enqueue(BackfillAttribution, { runDate });
      await queues.enqueue(ExpirePoints, { runDate });
    },
  ).catch((err: unknown) => log.error({ err }, 'nightly catch-up failed'));
  log.info(
    { timezone: config.scheduler.timezone, schedules: tasks.map((t) => t.name) },
    'scheduler role started',
  );
  return {
    async stop() {
      for (const t of tasks) await t.stop();
      if (!opts.services) await services.close();
    },
  };
}

/**
 * The nightly run's catch-up at start: when its last scheduled instant passed while no scheduler ran, it is
 * enqueued now if that was within the catch-up window, or counted and logged as missed if it was older and
 * never ran (the job id of its run date is unknown to BullMQ).
 */
async function catchUpNightly(
  ctx: AppContext,
  queues: ReturnType<Services['queues']>,
  redis: Redis,
  name: string,
  expression: string,
  enqueue: (runDate: string) => Promise<void>,
): Promise<void> {
  const { config, clock, log, metrics } = ctx;
  const now = clock.now();
  const last = CronExpressionParser.parse(expression, { tz: config.scheduler.timezone, currentDate: now })
    .prev()
    .toDate();
  const runDate = dateInZone(last, config.scheduler.timezone);
  if (now.getTime() - last.getTime() <= config.calendar.catchUpMs) {
    await enqueue(runDate);
    return;
  }
  if ((await queues.jobState(ReconcileGroups, { runDate })) !== 'unknown') return;
  // Every replica finds the same missed run: the first to claim it counts it, so the sum is right.
  const claimed = await redis.set(
    `${config.queue.prefix}:missed:${name}:${runDate}`,
    '1',
    'EX',
    8 * 86_400,
    'NX',
  );
  if (claimed !== 'OK') return;
  metrics.scheduleMissed.inc({ schedule: name });
  log.warn({ schedule: name, runDate }, 'nightly run missed: older than the catch-up window');
}
