import { createWelcomeBot } from '../../bots/welcome.ts';
import { FollowUpOccurrence, registerCalendarJobs } from '../modules/calendar/calendar.jobs.ts';
import { registerChannelEconomicsJobs } from '../modules/channel-economics/channel-economics.jobs.ts';
import { createCommunitiesInboundHandlers } from '../modules/communities/communities.inbound.ts';
import { registerCommunitiesJobs } from '../modules/communities/communities.jobs.ts';
import { createGroupReconciler } from '../modules/communities/group-reconcile.service.ts';
import { createAttributionBackfill } from '../modules/contacts/attribution-backfill.service.ts';
import { createContactsInboundHandlers } from '../modules/contacts/contacts.inbound.ts';
import { registerContactsJobs } from '../modules/contacts/contacts.jobs.ts';
import { createCorpTagsRepository } from '../modules/contacts/corp-tags.repository.ts';
import { createCorpTagInboundHandler, createCorpTagSync } from '../modules/contacts/corp-tags.service.ts';
import { createWelcomeSender } from '../modules/contacts/welcome.service.ts';
import { registerExperimentsJobs } from '../modules/content/experiments.jobs.ts';
import { registerConversationsJobs } from '../modules/conversations/handoff-sla.jobs.ts';
import { registerEngagementJobs } from '../modules/engagement/engagement.jobs.ts';
import { createEventReminders, registerEventsJobs } from '../modules/events/events.jobs.ts';
import { registerFaqJobs } from '../modules/faq/learning/ranker-refit.jobs.ts';
import { registerFlashSalesJobs } from '../modules/flash-sales/flash-sales.jobs.ts';
import { registerFunnelJobs } from '../modules/funnel/funnel.jobs.ts';
import type { InboundHandler } from '../modules/inbox/inbound-dispatcher.ts';
import type { SweepHook } from '../modules/inbox/inbox.sweeper.ts';
import { createKfInboundHandler } from '../modules/kf/kf.inbound.ts';
import { registerKfJobs } from '../modules/kf/kf.jobs.ts';
import { createKfRepository } from '../modules/kf/kf.repository.ts';
import { createKfSweep } from '../modules/kf/kf.sweep.ts';
import { createKfSync } from '../modules/kf/kf-sync.service.ts';
import { registerKocJobs } from '../modules/koc/koc.jobs.ts';
import { registerPointsJobs } from '../modules/points/points.jobs.ts';
import type { JobRegistration } from '../platform/queue/registry.ts';
import { type FaqBotWiring, wireBots, wireKfBot } from './bot-wiring.ts';
import type { AppContext } from './context.ts';
import type { Services } from './services.ts';

/**
 * What the feature modules give the worker: reactions to inbound callbacks, job handlers, and the sweeps run
 * on the inbox sweeper's cadence.
 */
export type ModuleWiring = {
  inboundHandlers: InboundHandler[];
  jobs: JobRegistration[];
  sweeps: SweepHook[];
};

/**
 * Builds every module's inbound handlers and job handlers on the shared infrastructure. Content files are
 * read and validated here, so a bad file stops the worker at start.
 */
export function wireWorkerModules(ctx: AppContext, services: Services): ModuleWiring {
  const { config, database, log, metrics, clock } = ctx;
  const db = database.db;
  const wecom = services.wecom();
  const audit = services.audit();
  const contactsRepo = services.contactsRepo();
  const checker = services.checker();
  const communitiesRepo = services.communitiesRepo();
  // The bots speak the library's approved versions: the worker records them itself before taking jobs
  // (see worker.ts), so its bots never depend on a web role having started first.
  const content = services.rendering();
  const cards = services.cards();
  const welcome = createWelcomeSender({
    db,
    repo: contactsRepo,
    groups: communitiesRepo,
    compose: createWelcomeBot({ content }),
    contact: wecom.contact,
    clock,
    log,
    metrics,
  });
  const reconciler = createGroupReconciler({
    db,
    repo: communitiesRepo,
    audit,
    contact: wecom.contact,
    clock,
    log,
  });
  const cal = services.calendar();
  const smart = services.smart();
  const pts = services.points();
  const conversations = services.conversations();
  const corpTags = createCorpTagSync({
    db,
    repo: createCorpTagsRepository(),
    contact: wecom.contact,
    clock,
    log,
  });
  const backfill = createAttributionBackfill({
    db,
    repo: contactsRepo,
    audit,
    contact: wecom.contact,
    clock,
    log,
  });
  const mask = (text: string) => checker.check(text).masked;
  // The FAQ bot's services, in chats and in WeChat customer service alike.
  const faqBot: FaqBotWiring = {
    db,
    smart,
    clients: contactsRepo,
    conversations,
    content,
    cards,
    mask,
    log,
  };
  // WeChat customer service: the callback enqueues a sync; the sync hands each message to the kf bot.
  const kfRepo = createKfRepository();
  const kfSync = createKfSync({
    db,
    repo: kfRepo,
    api: wecom.app,
    bot: wireKfBot({ ...faqBot, app: wecom.app }),
    mask,
    log,
  });
  // Messages a dead worker stored but never handled: on the inbox sweeper's cadence and age threshold.
  const kfSweep = createKfSweep({
    db,
    repo: kfRepo,
    queues: services.queues(),
    clock,
    minAgeMs: config.inbox.sweepMinAgeMs,
    bucketMs: config.inbox.sweepIntervalMs,
    log,
  });
  return {
    sweeps: [{ name: 'kf', run: () => kfSweep.sweepOnce() }],
    inboundHandlers: [
      createKfInboundHandler({ queues: services.queues() }),
      ...createContactsInboundHandlers({
        db,
        repo: contactsRepo,
        welcome,
        queues: services.queues(),
        metrics,
        clock,
        log,
        onReferralState: (tx, add) => services.referral().onReferralState(tx, add),
      }),
      ...createCommunitiesInboundHandlers({
        repo: communitiesRepo,
        adoptJoinWayGroups: () => reconciler.adoptJoinWayGroups(),
        log,
      }),
      createCorpTagInboundHandler({ tags: corpTags, log }),
      ...wireBots({
        ...faqBot,
        app: wecom.app,
        audience: cal.audienceRepo,
        touches: cal.touchesRepo,
        points: pts.points,
        membership: () => pts.membership,
        events: services.events().service,
        notifyPromoted: services.events().notifyPromoted,
        flashSales: services.flashSales(),
        timeZone: config.scheduler.timezone,
        clock,
      }),
    ],
    jobs: [
      ...registerCalendarJobs({
        db,
        repo: cal.calendarRepo,
        calendar: cal.calendar,
        fanOut: cal.fanOut,
        followUp: cal.followUp,
        enqueueFollowUp: (p, delayMs) => services.queues().enqueue(FollowUpOccurrence, p, { delayMs }),
        days: services.holidays(),
        timeZone: config.scheduler.timezone,
        pollIntervalMs: config.campaigns.pollIntervalMs,
        followUpMs: config.campaigns.followUpMs,
        clock,
        log,
      }),
      ...registerEventsJobs({
        reminders: createEventReminders({
          db,
          repo: services.events().repo,
          clients: cal.audienceRepo,
          app: wecom.app,
          timeZone: config.scheduler.timezone,
          clock,
          log,
        }),
        log,
      }),
      ...registerFlashSalesJobs({ sales: services.flashSales(), log }),
      ...registerCommunitiesJobs({ reconcile: () => reconciler.reconcile() }),
      ...registerConversationsJobs({
        db,
        conversations,
        app: wecom.app,
        cards,
        backupUserid: config.handoff.backupUserid,
        log,
      }),
      // The contacts nightly: the tag library first, then attribution of missed add events.
      ...registerContactsJobs({
        backfill: async () => [await corpTags.sync(), await backfill.backfill()],
        welcome,
        queues: services.queues(),
        log,
      }),
      ...registerPointsJobs({ points: pts.points, now: () => clock.now(), log }),
      ...registerKocJobs({ influence: services.kocInfluence() }),
      ...registerFunnelJobs({ funnel: services.funnel(), log }),
      ...registerEngagementJobs({ scoring: services.engagement() }),
      ...registerExperimentsJobs({ experiments: services.experiments(), log }),
      ...registerChannelEconomicsJobs({ economics: services.channelEconomics() }),
      ...registerKfJobs({ sync: kfSync }),
      ...registerFaqJobs({ refit: smart.refit }),
    ],
  };
}
