import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import { createAuditRouter } from '../modules/audit/audit.routes.ts';
import { createCalendarRepository } from '../modules/calendar/calendar.repository.ts';
import { createCalendarRouter } from '../modules/calendar/calendar.routes.ts';
import { createCampaignsRepository } from '../modules/campaigns/campaigns.repository.ts';
import { createDeliveriesRouter } from '../modules/campaigns/deliveries.routes.ts';
import { createTasksRouter } from '../modules/campaigns/tasks.routes.ts';
import { createChannelEconomicsRouter } from '../modules/channel-economics/channel-economics.routes.ts';
import { createClientTimelineRouter } from '../modules/client-timeline/client-timeline.routes.ts';
import { createClientTimelineService } from '../modules/client-timeline/client-timeline.service.ts';
import { createCircleInvitesRepository } from '../modules/communities/circle-invites.repository.ts';
import { createCircleInvitesRouter } from '../modules/communities/circle-invites.routes.ts';
import { createCircleInvitesService } from '../modules/communities/circle-invites.service.ts';
import { createCommunitiesRepository } from '../modules/communities/communities.repository.ts';
import { createGroupsRouter } from '../modules/communities/groups.routes.ts';
import { createGroupsService } from '../modules/communities/groups.service.ts';
import { createRoutingRepository } from '../modules/communities/routing.repository.ts';
import { createTiersRouter } from '../modules/communities/tiers.routes.ts';
import { createComplianceRouter } from '../modules/compliance/compliance.routes.ts';
import { createActivationRouter } from '../modules/contacts/activation.routes.ts';
import { createChannelsRepository } from '../modules/contacts/channels.repository.ts';
import { createChannelsRouter } from '../modules/contacts/channels.routes.ts';
import { createChannelsService } from '../modules/contacts/channels.service.ts';
import { createClientsRepository } from '../modules/contacts/clients.repository.ts';
import { createClientsRouter } from '../modules/contacts/clients.routes.ts';
import { CLIENT_ADDED_KINDS } from '../modules/contacts/contacts.inbound.ts';
import { createRmsRepository } from '../modules/contacts/rms.repository.ts';
import { createRmsRouter } from '../modules/contacts/rms.routes.ts';
import { createContentRepository } from '../modules/content/content.repository.ts';
import { createContentRouter } from '../modules/content/content.routes.ts';
import { createExperimentsRouter } from '../modules/content/experiments.routes.ts';
import { createConversationsRepository } from '../modules/conversations/conversations.repository.ts';
import { createConversationsRouter } from '../modules/conversations/conversations.routes.ts';
import { createEngagementRouter } from '../modules/engagement/engagement.routes.ts';
import { createTouchesRepository } from '../modules/engagement/touches.repository.ts';
import { createEventLinkRouter, createEventsRouter } from '../modules/events/events.routes.ts';
import { createFaqRouter } from '../modules/faq/faq.routes.ts';
import { createFaqRankerRouter } from '../modules/faq/faq-ranker.routes.ts';
import { createFaqReviewRouter } from '../modules/faq/faq-review.routes.ts';
import { createFlashClaimRouter, createFlashSalesRouter } from '../modules/flash-sales/flash-sales.routes.ts';
import { createFunnelLinkRouter, createFunnelRouter } from '../modules/funnel/funnel.routes.ts';
import { createInboxOpsRouter } from '../modules/inbox/inbox.ops-routes.ts';
import { createInboxRepository } from '../modules/inbox/inbox.repository.ts';
import { mountCallbackRoutes, type PassiveReplyHook } from '../modules/inbox/inbox.routes.ts';
import { createIntakeService } from '../modules/inbox/inbox.service.ts';
import { createKocRouter } from '../modules/koc/koc.routes.ts';
import { createPointsRouter } from '../modules/points/points.routes.ts';
import { createReferralRouter } from '../modules/referral/referral.routes.ts';
import { createSidebarRouter } from '../modules/sidebar/sidebar.routes.ts';
import { createSidebarContextRouter } from '../modules/sidebar/sidebar-context.routes.ts';
import { createSidebarService } from '../modules/sidebar/sidebar-context.service.ts';
import { createSignInRouter, signInPages } from '../modules/staff/sign-in.routes.ts';
import { createStaffRepository } from '../modules/staff/staff.repository.ts';
import { createStaffRouter } from '../modules/staff/staff.routes.ts';
import { createStaffService } from '../modules/staff/staff.service.ts';
import { authenticate, requireRole, requireStaticBearer } from '../platform/auth/auth.middleware.ts';
import { createAuthFailureLimiter } from '../platform/auth/auth-failure-limiter.ts';
import { createSessionService } from '../platform/auth/sessions.ts';
import { createTokenService } from '../platform/auth/tokens.ts';
import { type InboxSource, ROLES } from '../platform/db/schema.ts';
import { AppError } from '../platform/errors.ts';
import { checkResponses, contract } from '../platform/http/api-contract.ts';
import { errorMiddleware } from '../platform/http/error-middleware.ts';
import type { ReportCache } from '../platform/http/report-cache.ts';
import { locals, logContext, requestId } from '../platform/http/request-context.ts';
import { guardRequestInput } from '../platform/http/validate.ts';
import { maskPii } from '../platform/pii/pii-detector.ts';
import type { Queues } from '../platform/queue/queues.ts';
import { withTimeout } from '../platform/timeout.ts';
import { createCallbackCodec } from '../wecom/protocol/callback-codec.ts';
import { mountApiDocs } from './api-docs.ts';
import { mountConsole } from './console-assets.ts';
import type { AppContext } from './context.ts';
import { mountQueueBoard } from './queue-board.ts';
import { createServices, type HelixPorts, type Services } from './services.ts';

/** The web role, built but not listening: the Express app plus what must be closed with it. */
export type WebApp = {
  app: Express;
  queues: Queues;
  /** The analytics reports' kept answers (a test that recomputes behind the API invalidates them). */
  reports: ReportCache;
  syncContentLibrary: () => Promise<{ added: number }>;
  close: () => Promise<void>;
};

/** The analytics report routes (GET, under /api/v1) whose answers the report cache keeps. */
const CACHED_REPORTS =
  /^\/(engagement\/rms(\/[^/]+)?|funnel(\/cohorts|\/churn)?|channel-profiles(\/[^/]+)?|experiments(\/[^/]+)?|koc\/influence)$/;
/** Writes that change what those reports read: recomputes, channel costs, revenue, KOCs, RMs and staff. */
const REPORT_INPUTS =
  /^\/(engagement|funnel|channels|revenue|channel-profiles|experiments|koc|rms|staff)(\/|$)/;

/** Builds the web role: callbacks, health, metrics and the authenticated `/api/v1`. */
export function buildWebApp(
  ctx: AppContext,
  opts: { passiveReply?: PassiveReplyHook; services?: Services; ports?: HelixPorts } = {},
): WebApp {
  const { config, database, log, metrics, clock } = ctx;
  const db = database.db;
  // Alone (tests, tools) the web role builds its own services; under `runHelix` it shares the process's.
  const services = opts.services ?? createServices(ctx, opts.ports);
  const producer = services.producer();
  const queues = services.queues();
  const inboxRepo = createInboxRepository();
  const audit = services.audit();
  const general = services.general();
  const wecom = services.wecom();
  const tokens = createTokenService({ db, audit, clock });
  const sessions = createSessionService({ db, clock, ttlMs: config.signIn.sessionTtlMs });
  const staff = createStaffService({
    db,
    repo: createStaffRepository(),
    rms: createRmsRepository(),
    audit,
    closeSessionsOf: sessions.closeAllOf,
  });
  // Shares the general connection: a failed-login count is one small command, and it fails open anyway.
  const authFailures = createAuthFailureLimiter({
    redis: general,
    prefix: config.queue.prefix,
    limit: config.auth.failureLimit,
    windowS: config.auth.failureWindowS,
    clock,
    log,
  });

  const codecFor = (source: InboxSource) =>
    createCallbackCodec({
      token: source === 'app' ? config.wecom.app.token : config.wecom.bot.token,
      encodingAesKey: source === 'app' ? config.wecom.app.encodingAesKey : config.wecom.bot.encodingAesKey,
      // Internal apps sign with the CorpID as receive id; AI bots with an empty one.
      receiveId: source === 'app' ? config.wecom.corpId : '',
      format: source === 'app' ? 'xml' : 'json',
      replayWindowS: config.wecom.replayWindowS,
      maxMessageBytes: config.http.callbackBodyLimitBytes,
      clock,
    });
  const codecs = { app: codecFor('app'), bot: codecFor('bot') };
  const intake = createIntakeService({
    codecs,
    db,
    repo: inboxRepo,
    queues,
    log,
    batchMax: config.inbox.batchMax,
    batchConcurrency: config.inbox.batchConcurrency,
    enqueueTimeoutMs: config.inbox.enqueueTimeoutMs,
    urgentKinds: new Set(CLIENT_ADDED_KINDS),
    storeTimeoutMs: config.inbox.storeTimeoutMs,
    maxPending: config.inbox.maxPending,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Behind N proxies req.ip is the client's address from X-Forwarded-For; with 0 it is the socket peer.
  app.set('trust proxy', config.http.trustProxyHops);
  // Security headers on every response, callbacks included: they add headers only and never touch a body,
  // so WeCom still gets its plaintext echo or empty 200. Nothing here serves HTML, so the CSP forbids all.
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      },
    }),
  );
  mountCallbackRoutes(app, {
    intake,
    metrics,
    bodyLimitBytes: config.http.callbackBodyLimitBytes,
    sealReply: (source, plaintext) => codecs[source].seal(plaintext),
    ...(opts.passiveReply ? { passiveReply: opts.passiveReply } : {}),
  });
  app.use(requestId());

  app.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req: Request, res: Response) => {
    const check = async (fn: () => Promise<unknown>) =>
      withTimeout(fn(), 1000).then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      );
    const [dbState, redisState] = await Promise.all([
      check(() => database.ping()),
      // Both connections: intake enqueues on one, API authentication (failure counts) uses the other.
      check(() => Promise.all([producer.ping(), general.ping()])),
    ]);
    const { stalled } = intake.health();
    const intakeState = stalled ? ('stalled' as const) : ('ok' as const);
    const ready = dbState === 'ok' && redisState === 'ok' && !stalled;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', db: dbState, redis: redisState, intake: intakeState });
  });
  // With METRICS_TOKEN set (required in production) the scraper presents it as a bearer token; unset (dev,
  // tests) /metrics stays open so a fresh clone needs no setup.
  const metricsGuard = config.metrics.token
    ? requireStaticBearer(config.metrics.token)
    : (_req: Request, _res: Response, next: NextFunction) => next();
  app.get('/metrics', metricsGuard, async (_req: Request, res: Response) => {
    try {
      const rows = await withTimeout(queues.depth(), 1000);
      for (const r of rows) metrics.queueDepth.set({ queue: r.queue, state: r.state }, r.count);
    } catch {
      // Redis unavailable: report the other metrics; the depth gauge keeps its last values.
    }
    try {
      // Read from the table, not counted in-process: the worker that dead-letters may be another process.
      metrics.inboxDeadLetters.set(await withTimeout(inboxRepo.countDead(db), 1000));
    } catch {
      // Database unavailable: the gauge keeps its last value.
    }
    try {
      // Missed occurrences (and every other status) from the table: any scheduler may have recorded them.
      const counts = await withTimeout(services.calendar().calendarRepo.statusCounts(db), 1000);
      for (const c of counts) metrics.calendarOccurrences.set({ status: c.status }, c.n);
    } catch {
      // Database unavailable: the gauge keeps its last values.
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use(
    createSignInRouter({
      settings: {
        corpId: config.wecom.corpId,
        agentId: config.wecom.agentId,
        sessionTtlMs: config.signIn.sessionTtlMs,
        publicBaseUrl: config.signIn.publicBaseUrl,
        ...signInPages(config.signIn, config.wecom.emulator.enabled ? ctx.wecomBaseUrl : undefined),
        secureCookies: config.signIn.secureCookies,
        production: config.env === 'production',
      },
      staff,
      sessions,
      signInUser: (code) => wecom.app.getSignInUser(code),
      audit,
      db,
      log,
    }),
  );

  // The flash-sale link path authenticates the client by the link's HMAC token, not a staff credential, so
  // it lives outside /api/v1 (where every route is a staff route with a role gate), at /public.
  const flash = { sales: services.flashSales(), linkSecret: config.flashSales.linkSecret };
  app.use('/public', createFlashClaimRouter(flash));

  const api = express.Router();
  api.use(logContext());
  // API answers carry client data: no browser or proxy may keep a copy, errors (401, 429) included.
  api.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const signedIn = authenticate({ tokens, sessions, limiter: authFailures });
  api.use(signedIn);
  api.use(express.json({ limit: '1mb' }));
  api.use(guardRequestInput());
  api.use(checkResponses(config.http.responseCheck, log));
  // The analytics reports read nightly aggregates: a repeated request is answered from memory, and a write
  // that recomputes or changes what they read (costs, revenue, RM branches) forgets every kept answer.
  const reports = services.reportCache();
  api.use((req: Request, res: Response, next: NextFunction) =>
    CACHED_REPORTS.test(req.path) ? reports.serve(req, res, next) : next(),
  );
  // Before the write (no answer kept from here on reflects the old rows for long) and after it succeeded
  // (an answer computed while the write ran is not kept either).
  api.use(async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !REPORT_INPUTS.test(req.path)) return next();
    await reports.invalidate();
    res.on('finish', () => {
      if (res.statusCode < 400) void reports.invalidate();
    });
    next();
  });
  // Every role may ask who it is; the gate is still declared so the route table shows it.
  api.get(
    '/whoami',
    contract({
      tag: 'auth',
      summary: 'Who the caller is: name, role and branch scope',
      responses: {
        200: z.object({ name: z.string(), role: z.enum(ROLES), branchScope: z.string().nullable() }),
      },
    }),
    requireRole(...ROLES),
    (_req: Request, res: Response) => {
      const p = locals(res).principal;
      res.json({ name: p?.name, role: p?.role, branchScope: p?.branchScope ?? null });
    },
  );
  api.use(createStaffRouter({ staff, sessions }));
  // The built-in emulator stands in for WeCom (development): its chat page hosts the RM sidebar in a frame.
  const emulatorOrigin = config.wecom.emulator.enabled ? new URL(ctx.wecomBaseUrl).origin : null;
  api.use(
    createSidebarRouter({
      corpId: config.wecom.corpId,
      agentId: config.wecom.agentId,
      publicBaseUrl: config.signIn.publicBaseUrl,
      emulatorOrigin,
      ticket: (kind) => wecom.app.jsapiTicket(kind),
      clock,
    }),
  );
  api.use(createInboxOpsRouter({ db, repo: inboxRepo }));
  api.use(createAuditRouter({ db, repo: audit }));
  const rms = createRmsRepository();
  const channels = createChannelsService({
    db,
    repo: createChannelsRepository(),
    rms,
    audit,
    contact: wecom.contact,
    clock,
    log,
  });
  api.use(createChannelsRouter({ channels }));
  // Refuses to start on a broken tier policy.
  const profiles = services.profiles();
  const groups = createGroupsService({
    db,
    repo: createCommunitiesRepository(),
    audit,
    contact: wecom.contact,
    groupKeys: () => profiles.policy.groupKeys,
    clock,
    log,
  });
  api.use(createGroupsRouter({ groups }));
  api.use(
    createCircleInvitesRouter({
      invites: createCircleInvitesService({
        db,
        repo: createCircleInvitesRepository(),
        circleIds: () => profiles.policy.circleIds,
        clients: createClientsRepository(),
        groups: createCommunitiesRepository(),
        moves: createRoutingRepository(),
        route: (tx, ids, now) => profiles.routing.routeClients(tx, ids, now),
        audit,
        clock,
      }),
    }),
  );
  // Refuses to start on a broken KOC weights file.
  api.use(createKocRouter({ koc: services.koc(), influence: services.kocInfluence() }));
  // Refuses to start on a broken engagement score policy.
  api.use(
    createEngagementRouter({
      scoring: services.engagement(),
      timeZone: config.scheduler.timezone,
      clock,
    }),
  );
  const checker = services.checker();
  api.use(createComplianceRouter({ checker }));
  const library = services.library();
  api.use(createRmsRouter({ db, repo: rms, audit, personas: library.personas }));
  api.use(createContentRouter({ content: services.content(), rendering: services.rendering() }));
  api.use(createExperimentsRouter({ experiments: services.experiments() }));
  // Refuses to start on a starter FAQ answer that breaks the compliance rules.
  services.starterFaq();
  const smart = services.smart();
  const { faq } = smart;
  api.use(createFaqRouter({ faq, questionLog: smart.questionLog, db }));
  api.use(createFaqReviewRouter({ review: smart.review, now: () => clock.now() }));
  api.use(createFaqRankerRouter({ refit: smart.refit }));
  api.use(createConversationsRouter({ db, conversations: services.conversations(), audit }));
  const clientsRepo = createClientsRepository();
  api.use(createClientsRouter({ db, repo: clientsRepo, imports: profiles.imports }));
  api.use(createActivationRouter({ activation: services.activation(), kinds: config.activation.kinds }));
  api.use(createReferralRouter({ referral: services.referral() }));
  const timeline = createClientTimelineService({
    touches: createTouchesRepository(),
    deliveries: createCampaignsRepository(),
    handoffs: createConversationsRepository(),
    calendar: createCalendarRepository(),
  });
  api.use(createClientTimelineRouter({ db, clients: clientsRepo, timeline }));
  api.use(createChannelEconomicsRouter({ economics: services.channelEconomics() }));
  const pts = services.points();
  api.use(
    createPointsRouter({
      db,
      clients: clientsRepo,
      points: pts.points,
      membership: () => pts.membership,
      now: () => clock.now(),
    }),
  );
  api.use(createFunnelRouter({ funnel: services.funnel() }));
  api.use(createTiersRouter({ routing: profiles.routing, policy: profiles.policy, clock }));
  const cal = services.calendar();
  api.use(
    createCalendarRouter({
      db,
      calendar: cal.calendar,
      repo: cal.calendarRepo,
      fanOut: cal.fanOut,
      stats: cal.stats,
    }),
  );
  api.use(
    createTasksRouter({
      db,
      campaigns: cal.campaignsRepo,
      calendar: cal.calendarRepo,
      touches: cal.touchesRepo,
      rms,
      audience: cal.audienceRepo,
      conversations: services.conversations(),
      timeZone: config.scheduler.timezone,
      clock,
    }),
  );
  api.use(
    createSidebarContextRouter({
      sidebar: createSidebarService({
        db,
        clients: createClientsRepository(),
        groups: createCommunitiesRepository(),
        rms: cal.audienceRepo,
        personas: library.personas,
        tierIds: new Set(profiles.policy.tierRank.keys()),
        campaigns: cal.campaignsRepo,
        calendar: cal.calendarRepo,
        touches: cal.touchesRepo,
        conversations: services.conversations(),
        content: createContentRepository(),
        rendering: services.rendering(),
        timeZone: config.scheduler.timezone,
        clock,
      }),
    }),
  );
  api.use(createFlashSalesRouter(flash));
  api.use(createDeliveriesRouter({ db, stats: cal.stats, timeZone: config.scheduler.timezone, clock }));
  const events = services.events().service;
  api.use(createEventsRouter({ events, notifyPromoted: services.events().notifyPromoted }));
  // A client's sign-up link carries its own signed token instead of a sign-in, so it sits outside the API.
  app.use(createEventLinkRouter({ events }));
  // A channel's tracked link is opened by anyone who scans a poster: public, it only counts and redirects.
  app.use(createFunnelLinkRouter({ funnel: services.funnel() }));
  app.use('/api/v1', api);
  mountApiDocs(app);
  mountConsole(app, {
    dir: config.http.consoleDir,
    // QR codes: WeCom serves them from its CDN; the emulator from itself.
    imageOrigins: ['https://wework.qpic.cn', 'https://p.qpic.cn', new URL(ctx.wecomBaseUrl).origin],
    sidebarFramedBy: emulatorOrigin,
  });
  mountQueueBoard(app, { queues, authenticate: signedIn });

  app.use((req: Request) => {
    // The caller sees this message and the log keeps it: a path can carry a client's ID or phone number.
    throw new AppError('not_found', {
      message: `no route for ${req.method} ${maskPii(req.path)}`,
      zh: `没有该接口：${req.method} ${maskPii(req.path)}`,
    });
  });
  app.use(errorMiddleware(log));

  return {
    app,
    queues,
    reports,
    /**
     * Records the content library's files (components, the starter FAQ) as approved versions; `runHelix`
     * calls it once the web role is built.
     */
    syncContentLibrary: () => services.syncContentLibrary(),
    async close() {
      if (!opts.services) await services.close();
    },
  };
}

/** Starts listening; `stopHttp` stops accepting and drains, `close` also releases queues. */
export async function startWebServer(web: WebApp, opts: { port: number; host: string; drainMs: number }) {
  const server: Server = await new Promise((resolve, reject) => {
    const s = web.app.listen(opts.port, opts.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    server,
    port,
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    async stopHttp() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), opts.drainMs);
      force.unref();
      await closed;
      clearTimeout(force);
    },
  };
}
