import type { Redis } from 'ioredis';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import { loadCalendarSeeds } from '../modules/calendar/calendar-seeds.ts';
import { createChannelEconomicsRepository } from '../modules/channel-economics/channel-economics.repository.ts';
import { createChannelEconomicsService } from '../modules/channel-economics/channel-economics.service.ts';
import { createAudienceGroupsRepository } from '../modules/communities/audience-groups.repository.ts';
import { createCommunitiesRepository } from '../modules/communities/communities.repository.ts';
import { createAudienceRepository } from '../modules/contacts/audience.repository.ts';
import { createChannelsRepository } from '../modules/contacts/channels.repository.ts';
import { createContactsRepository } from '../modules/contacts/contacts.repository.ts';
import { createContentRepository } from '../modules/content/content.repository.ts';
import { createContentService } from '../modules/content/content.service.ts';
import { createContentRenderService } from '../modules/content/content-render.service.ts';
import { createExperimentsRepository } from '../modules/content/experiments.repository.ts';
import { createExperimentsService } from '../modules/content/experiments.service.ts';
import { createConversationsRepository } from '../modules/conversations/conversations.repository.ts';
import { createConversationsService } from '../modules/conversations/conversations.service.ts';
import { createHandoffCardBuilder } from '../modules/conversations/handoff-card.ts';
import { createEventsRepository } from '../modules/events/events.repository.ts';
import { createEventsService } from '../modules/events/events.service.ts';
import { createPromotionNotice } from '../modules/events/promotion-notice.ts';
import { createFlashSalesRepository } from '../modules/flash-sales/flash-sales.repository.ts';
import { createFlashSalesService } from '../modules/flash-sales/flash-sales.service.ts';
import { createFlashSaleStore } from '../modules/flash-sales/flash-sales.store.ts';
import { pointsRefusalOf } from '../modules/points/points.service.ts';
import type { GrantReward } from '../modules/referral/referral.service.ts';
import { createReportCache } from '../platform/http/report-cache.ts';
import { createQueues } from '../platform/queue/queues.ts';
import { createRedis } from '../platform/redis/connection.ts';
import { createActivityPorts } from './activity-wiring.ts';
import { createCalendarWiring } from './calendar-wiring.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';
import {
  createConfiguredMarketData,
  loadConfiguredHolidayCalendar,
  loadConfiguredLibrary,
} from './content-wiring.ts';
import type { AppContext } from './context.ts';
import { createEngagementWiring } from './engagement-wiring.ts';
import { createConfiguredSmartService, loadStarterFaq } from './faq-wiring.ts';
import { createFunnelWiring } from './funnel-wiring.ts';
import { Jobs } from './jobs.ts';
import { createKocInfluenceWiring, createKocWiring } from './koc-wiring.ts';
import { createPointsWiring } from './points-wiring.ts';
import { createProfileImportWiring } from './profile-import-wiring.ts';
import { createReferralWiring } from './referral-wiring.ts';
import { createWecomClients } from './wecom-runtime.ts';

/** Builds `make()` the first time it is asked for, then hands out the same value. */
function once<T>(make: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: make() };
    return built.value;
  };
}

/**
 * The one place a process builds its shared services: Redis connections, queues, the WeCom clients, the
 * compliance checker, the content library, the FAQ index, the holiday calendar, conversations and the profile
 * import. The web,
 * worker and scheduler roles of one process take them from here, so `helix all` compiles the compliance
 * rules, loads the library and builds the FAQ index and the WeCom clients once. Each is built on first use,
 * so a process that runs only some roles builds only what they need. `close` releases what was opened.
 */
/**
 * What other modules hang on this process's services: the points module's grant for referral rewards
 * (unset, a referral is marked rewarded and nothing is paid).
 */
export type HelixPorts = { grantReward?: GrantReward };

export function createServices(ctx: AppContext, ports: HelixPorts = {}) {
  const { config, database, log, metrics, clock } = ctx;
  const db = database.db;
  const connections: Redis[] = [];
  const redis = (purpose: 'producer' | 'general') => {
    const r = createRedis(ctx.redisUrl, purpose);
    connections.push(r);
    return r;
  };
  // Intake's enqueues go through their own connection, never one a slow WeCom call or limiter shares.
  const producer = once(() => redis('producer'));
  // WeCom tokens and limits, the failed-login limiter: small commands on the general connection.
  const general = once(() => redis('general'));
  let queuesOpened = false;
  const queues = once(() => {
    queuesOpened = true;
    return createQueues({ connection: producer(), prefix: config.queue.prefix, jobs: Jobs });
  });
  const wecom = once(() =>
    createWecomClients({
      config,
      baseUrl: ctx.wecomBaseUrl,
      redis: general(),
      log,
      metrics,
      circuits: ctx.wecomCircuits,
    }),
  );
  const audit = once(createAuditRepository);
  // Refuses to start on a broken rules file; compiled once per process.
  const checker = once(() => createConfiguredChecker(config));
  // Refuses to start on a broken content file.
  const library = once(() => loadConfiguredLibrary(config, checker()));
  const contentRepo = once(createContentRepository);
  const content = once(() =>
    createContentService({
      db,
      repo: contentRepo(),
      audit: audit(),
      check: checker(),
      library: library(),
      log,
    }),
  );
  const rendering = once(() =>
    createContentRenderService({
      db,
      repo: contentRepo(),
      check: checker(),
      library: library(),
      market: createConfiguredMarketData(config, clock, log),
      sampleMarketDataSendable: config.env === 'development',
      clock,
    }),
  );
  // A/B experiment reports on the nightly aggregate of the content outcomes.
  const experiments = once(() =>
    createExperimentsService({
      db,
      repo: createExperimentsRepository(),
      minExposures: config.experiments.minExposures,
      alpha: config.experiments.alpha,
      clock,
      log,
    }),
  );
  const smart = once(() =>
    createConfiguredSmartService({ config, db, check: checker(), clock, log, metrics }),
  );
  const starterFaq = once(() => loadStarterFaq(config, checker()));
  // Refuses to start on a broken holiday file.
  const holidays = once(() => loadConfiguredHolidayCalendar(config, { now: clock.now(), log }));
  const conversations = once(() =>
    createConversationsService({
      repo: createConversationsRepository(),
      sla: {
        minutes: config.handoff.slaMinutes,
        // The calendar, not HANDOFF_BUSINESS_DAYS, decides the days: 国庆 is off, a 调休 Saturday is on.
        hours: { ...config.handoff.businessHours, isWorkday: holidays().isWorkday },
      },
      clock,
    }),
  );
  const calendar = once(() =>
    createCalendarWiring({
      config,
      db,
      log,
      metrics,
      clock,
      audit: audit(),
      rendering: rendering(),
      checker: checker(),
      wecom: wecom(),
      wecomBaseUrl: ctx.wecomBaseUrl,
      redis: general(),
      holidays: holidays(),
    }),
  );
  // Refuses to start on a broken KOC weights file.
  const koc = once(() => createKocWiring({ config, db, clock }));
  const kocInfluence = once(() => createKocInfluenceWiring({ config, db, clock, log }));

  // Refuses to start on a broken engagement score policy.
  const engagement = once(() => createEngagementWiring({ config, db, audit: audit(), clock, log }));

  // Refuses to start on a broken membership file.
  const points = once(() => createPointsWiring({ config, db, clock, audit: audit() }));
  const funnel = once(() => createFunnelWiring({ config, db, clock, log, metrics, audit: audit() }));

  // Channel costs, the revenue feed and the monthly channel profiles (AAC, LROI), in business months.
  const channelEconomics = once(() =>
    createChannelEconomicsService({
      db,
      repo: createChannelEconomicsRepository(),
      channels: createChannelsRepository(),
      audit: audit(),
      clock,
      timeZone: config.scheduler.timezone,
      newClientPeriodMs: config.activation.newClientPeriodMs,
      log,
    }),
  );

  // Attendance and activated referrals earn points and count toward KOC scores (tests may replace the
  // referral reward with their own).
  const activity = createActivityPorts({ points: () => points().points, koc, clock });
  const referralWiring = once(() =>
    createReferralWiring({
      config,
      db,
      contact: wecom().contact,
      grantReward: ports.grantReward ?? activity.grantReward,
      clock,
      log,
    }),
  );
  const referral = () => referralWiring().referral;
  const activation = () => referralWiring().activation;
  // Events: sign-ups under the event's row lock, invitations through the calendar; attendance earns points
  // and KOC contributions.
  const events = once(() => {
    const cal = calendar();
    const repo = createEventsRepository();
    const service = createEventsService({
      db,
      repo,
      audit: audit(),
      content: rendering(),
      calendar: cal.calendar,
      clients: cal.audienceRepo,
      groups: createAudienceGroupsRepository(),
      invited: (h, entryId) => cal.stats.entryRecipients(h, entryId),
      onAttended: activity.onAttended,
      topKocCandidates: async (n) => (await koc().selectTeaPartyInvitees(n)).map((c) => c.externalUserid),
      clock,
    });
    const notifyPromoted = createPromotionNotice({
      content: rendering(),
      clients: cal.audienceRepo,
      app: wecom().app,
      db,
      timeZone: config.scheduler.timezone,
      log,
    });
    return { repo, service, notifyPromoted };
  });
  // Refuses to start on a broken tier policy.
  const profiles = once(() =>
    createProfileImportWiring({ config, db, clock, log, app: wecom().app, activation: activation() }),
  );

  // Flash sales claim on the general connection: one Lua call per claim, and it fails fast like the rest.
  // spendPoints (the points module's spend) is wired here once points exist, for offers that cost points.
  const flashSales = once(() =>
    createFlashSalesService({
      db,
      repo: createFlashSalesRepository(),
      store: createFlashSaleStore(general(), config.queue.prefix),
      facts: createAudienceRepository().eligibilityFacts,
      audit: audit(),
      cacheMs: config.flashSales.cacheMs,
      // An offer that costs points spends them in the claim's transaction.
      spendPoints: async (tx, sp) => {
        try {
          await points().points.spend(tx, sp);
          return 'spent';
        } catch (err) {
          if (pointsRefusalOf(err) === 'points.insufficient') return 'insufficient';
          throw err;
        }
      },
      clock,
      log,
    }),
  );

  const calendarSeeds = once(() => loadCalendarSeeds(config.contentLibraryDir));
  const syncContentLibrary = async (): Promise<{ added: number }> => {
    await smart().faq.syncLibrary(starterFaq());
    const result = await content().syncLibrary();
    // The calendar's seed entries name components, so they are recorded once those are approved.
    const seeded = await calendar().calendar.seed(calendarSeeds(), {
      name: 'content-library',
      requestId: null,
    });
    if (seeded.added > 0) log.info({ added: seeded.added }, 'calendar seed entries recorded');
    for (const r of seeded.refused)
      log.warn({ entry: r.id, reason: r.reason }, 'calendar seed entry not recorded');
    return result;
  };
  let librarySync: Promise<{ added: number }> | undefined;
  // The analytics reports' answers; every process that recomputes invalidates them through Redis.
  const reportCache = once(() =>
    createReportCache({
      redis: general(),
      tokenKey: `${config.queue.prefix}:report-cache`,
      ttlMs: config.reportCache.ttlMs,
      maxBytes: config.reportCache.maxBytes,
      clock,
      log,
    }),
  );
  return {
    producer,
    general,
    queues,
    reportCache,
    wecom,
    audit,
    checker,
    library,
    content,
    rendering,
    /** A/B experiment results: the nightly recompute and the reports read from it. */
    experiments,
    cards: once(() => createHandoffCardBuilder({ content: rendering() })),
    smart,
    /** The shipped starter FAQ, compliance-checked: a banned claim in it refuses the start. */
    starterFaq,
    /** China's public holidays and make-up working days: the package's data and the library's yearly files. */
    holidays,
    conversations,
    /** The content calendar, its fan-out and follow-up, and the repositories their routes read. */
    calendar,
    profiles,
    /** KOC candidate scores: `record(tx, contributions)` for the events and referral ports, and the API. */
    koc,
    /** KOC influence: the nightly `koc_influence` recompute and its reads. */
    kocInfluence,
    /** RM engagement scores: the nightly computation and the reports' reads. */
    engagement,
    /** Referral codes, referrals and their rewards. */
    referral,
    /** Activation events (API and profile feed); they pay referrals through `referral.onActivated`. */
    activation,
    /** Points (ledger, balances, expiry) and the membership levels derived from them. */
    points,
    /** The funnel: tracked-link opens, the nightly aggregates (funnel, cohorts, churn alerts), reports. */
    funnel,
    /** Channel costs, the revenue feed, and the channel profiles with AAC and LROI. */
    channelEconomics,
    /** Events, their sign-ups, attendance and stats. */
    events,
    contactsRepo: once(createContactsRepository),
    /** Flash sales (限量秒杀): claims, results, expiry, Redis rebuilds. */
    flashSales,
    communitiesRepo: once(createCommunitiesRepository),
    /**
     * Records the content library's files (components, the starter FAQ) as approved versions; idempotent by
     * content hash, so `{ added: 0 }` when nothing changed.
     */
    syncContentLibrary,
    /**
     * The start-up sync: each role that speaks from the library asks for it before it starts, and the roles
     * of one process share one run (a failed run may be tried again).
     */
    ensureContentLibrary(): Promise<{ added: number }> {
      librarySync ??= syncContentLibrary().catch((err: unknown) => {
        librarySync = undefined;
        throw err;
      });
      return librarySync;
    },
    /** Closes the queues and Redis connections this process opened. */
    async close(): Promise<void> {
      if (queuesOpened) await queues().close();
      for (const r of connections) r.disconnect();
    },
  };
}

/** A process's shared services (see `createServices`). */
export type Services = ReturnType<typeof createServices>;
