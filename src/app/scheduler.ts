import cron, { type ScheduledTask } from 'node-cron';
import { ReconcileGroups } from '../modules/communities/communities.jobs.ts';
import { BackfillAttribution, SweepWelcomes, welcomeSweepSlot } from '../modules/contacts/contacts.jobs.ts';
import { CheckHandoffSla } from '../modules/conversations/handoff-sla.jobs.ts';
import { dateInZone } from '../platform/calendar/dates.ts';
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
  // Nightly repairs: group membership drift, then attribution for add events Helix never received.
  every('groups-reconcile', config.scheduler.groupReconcileCron, async () => {
    const runDate = dateInZone(clock.now(), config.scheduler.timezone);
    await queues.enqueue(ReconcileGroups, { runDate });
    await queues.enqueue(BackfillAttribution, { runDate });
  });
  // Every minute: hand-offs past their SLA are escalated.
  every('handoff-sla', '* * * * *', () =>
    queues.enqueue(CheckHandoffSla, { minute: clock.now().toISOString().slice(0, 16).replace(/\D/g, '') }),
  );
  // Every 5 s: welcomes whose send job was lost get it back in time, or are failed once their code expired.
  every(
    'welcome-sweep',
    '*/5 * * * * *',
    () => queues.enqueue(SweepWelcomes, { slot: welcomeSweepSlot(clock.now()) }),
    { quiet: true },
  );
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
