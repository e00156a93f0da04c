import type { Server } from 'node:http';
import express, { type Express, type Request, type Response } from 'express';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import { createAuditRouter } from '../modules/audit/audit.routes.ts';
import { createGroupsRouter } from '../modules/communities/groups.routes.ts';
import { createTiersRouter } from '../modules/communities/tiers.routes.ts';
import { createComplianceRouter } from '../modules/compliance/compliance.routes.ts';
import { createChannelsRouter } from '../modules/contacts/channels.routes.ts';
import { createClientsRouter } from '../modules/contacts/clients.routes.ts';
import { createContactsRepository } from '../modules/contacts/contacts.repository.ts';
import { createRmsRouter } from '../modules/contacts/rms.routes.ts';
import { createContentRouter } from '../modules/content/content.routes.ts';
import { createContentService } from '../modules/content/content.service.ts';
import { createInboxOpsRouter } from '../modules/inbox/inbox.ops-routes.ts';
import { createInboxRepository } from '../modules/inbox/inbox.repository.ts';
import { mountCallbackRoutes, type PassiveReplyHook } from '../modules/inbox/inbox.routes.ts';
import { createIntakeService } from '../modules/inbox/inbox.service.ts';
import { createConversationsRouter } from '../modules/smart-service/conversations.routes.ts';
import { createFaqRouter } from '../modules/smart-service/faq.routes.ts';
import { createFaqReviewRouter } from '../modules/smart-service/faq-review.routes.ts';
import { authenticate } from '../platform/auth/auth.middleware.ts';
import { createTokenService } from '../platform/auth/tokens.ts';
import type { InboxSource } from '../platform/db/schema.ts';
import { AppError } from '../platform/errors.ts';
import { errorMiddleware } from '../platform/http/error-middleware.ts';
import { locals, logContext, requestId } from '../platform/http/request-context.ts';
import { createQueues, type Queues } from '../platform/queue/queues.ts';
import { createRedis } from '../platform/redis/connection.ts';
import { createCallbackCodec } from '../wecom/protocol/callback-codec.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';
import { demoMarketData, loadConfiguredLibrary } from './content-wiring.ts';
import type { AppContext } from './context.ts';
import { createConfiguredSmartService, loadStarterFaq } from './faq-wiring.ts';
import { ALL_JOB_DEFINITIONS } from './jobs.ts';
import { createProfileImportWiring } from './profile-import-wiring.ts';
import { createWecomClients } from './wecom-runtime.ts';

/** The web role, built but not listening: the Express app plus what must be closed with it. */
export type WebApp = {
  app: Express;
  queues: Queues;
  syncContentLibrary: () => Promise<{ added: number }>;
  close: () => Promise<void>;
};

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms).unref())]);

/** Builds the web role: callbacks, health, metrics and the authenticated `/api/v1`. */
export function buildWebApp(ctx: AppContext, opts: { passiveReply?: PassiveReplyHook } = {}): WebApp {
  const { config, database, log, metrics, clock } = ctx;
  const db = database.db;
  const producer = createRedis(ctx.redisUrl, 'producer');
  const queues = createQueues({
    connection: producer,
    prefix: config.queue.prefix,
    definitions: ALL_JOB_DEFINITIONS,
  });
  const inboxRepo = createInboxRepository();
  const audit = createAuditRepository();
  // WeCom API calls (tokens, limits) go through their own connection, never the intake producer's.
  const general = createRedis(ctx.redisUrl, 'general');
  const wecom = createWecomClients({
    config,
    baseUrl: ctx.wecomBaseUrl,
    redis: general,
    log,
    metrics,
    circuits: ctx.wecomCircuits,
  });
  const tokens = createTokenService({ db, audit });

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
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
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
      check(() => producer.ping()),
    ]);
    const ready = dbState === 'ok' && redisState === 'ok';
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', db: dbState, redis: redisState });
  });
  app.get('/metrics', async (_req: Request, res: Response) => {
    try {
      const rows = await withTimeout(queues.depth(), 1000);
      for (const r of rows) metrics.queueDepth.set({ queue: r.queue, state: r.state }, r.count);
    } catch {
      // Redis unavailable: report the other metrics; the depth gauge keeps its last values.
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const api = express.Router();
  api.use(logContext());
  api.use(authenticate(tokens));
  api.use(express.json({ limit: '1mb' }));
  api.get('/whoami', (_req: Request, res: Response) => {
    const p = locals(res).principal;
    res.json({ name: p?.name, role: p?.role, branchScope: p?.branchScope ?? null });
  });
  api.use(createInboxOpsRouter({ db, repo: inboxRepo }));
  api.use(createAuditRouter({ db, repo: audit }));
  api.use(createChannelsRouter({ db, repo: createContactsRepository(), audit, contact: wecom.contact, log }));
  api.use(createGroupsRouter({ db, audit, contact: wecom.contact }));
  api.use(createRmsRouter({ db, audit }));
  const checker = createConfiguredChecker(config);
  api.use(createComplianceRouter({ checker }));
  // Refuses to start on a broken content file.
  const content = createContentService({
    db,
    audit,
    check: checker,
    library: loadConfiguredLibrary(config),
    market: demoMarketData,
    clock,
    log,
  });
  api.use(createContentRouter({ content }));
  const starterFaq = loadStarterFaq(config, checker);
  const smart = createConfiguredSmartService({ config, db, check: checker, clock, log, metrics });
  const { faq } = smart;
  api.use(createFaqRouter({ faq, questionLog: smart.questionLog, db }));
  api.use(createFaqReviewRouter({ review: smart.review, now: () => clock.now() }));
  api.use(createConversationsRouter({ db, audit }));
  const profiles = createProfileImportWiring({ config, db, clock, log, app: wecom.app });
  api.use(createClientsRouter({ db, imports: profiles.imports }));
  api.use(createTiersRouter({ routing: profiles.routing, policy: profiles.policy, clock }));
  app.use('/api/v1', api);

  app.use((_req: Request) => {
    throw new AppError('not_found', { message: `no route for ${_req.method} ${_req.path}` });
  });
  app.use(errorMiddleware(log));

  return {
    app,
    queues,
    /**
     * Records the content library's files (components, the starter FAQ) as approved versions; `runHelix`
     * calls it once the web role is built.
     */
    syncContentLibrary: async () => {
      await faq.syncLibrary(starterFaq);
      return content.syncLibrary();
    },
    async close() {
      await queues.close();
      producer.disconnect();
      general.disconnect();
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
