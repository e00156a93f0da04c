import type { Redis } from 'ioredis';
import { createWelcomeBot } from '../../bots/welcome.ts';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import { createCommunitiesInboundHandlers } from '../modules/communities/communities.inbound.ts';
import { registerCommunitiesJobs } from '../modules/communities/communities.jobs.ts';
import { createCommunitiesRepository } from '../modules/communities/communities.repository.ts';
import { createGroupReconciler } from '../modules/communities/group-reconcile.service.ts';
import { createAttributionBackfill } from '../modules/contacts/attribution-backfill.service.ts';
import { createContactsInboundHandlers } from '../modules/contacts/contacts.inbound.ts';
import { registerContactsJobs } from '../modules/contacts/contacts.jobs.ts';
import { createContactsRepository } from '../modules/contacts/contacts.repository.ts';
import { createCorpTagsRepository } from '../modules/contacts/corp-tags.repository.ts';
import { createCorpTagInboundHandler, createCorpTagSync } from '../modules/contacts/corp-tags.service.ts';
import { createWelcomeSender } from '../modules/contacts/welcome.service.ts';
import { createContentRepository } from '../modules/content/content.repository.ts';
import { createContentService } from '../modules/content/content.service.ts';
import { createContentRenderService } from '../modules/content/content-render.service.ts';
import { createConversationsRepository } from '../modules/conversations/conversations.repository.ts';
import { createConversationsService } from '../modules/conversations/conversations.service.ts';
import { createHandoffCardBuilder } from '../modules/conversations/handoff-card.ts';
import { registerConversationsJobs } from '../modules/conversations/handoff-sla.jobs.ts';
import type { InboundHandler } from '../modules/inbox/inbound-dispatcher.ts';
import type { Queues } from '../platform/queue/queues.ts';
import type { JobRegistration } from '../platform/queue/registry.ts';
import { wireBots } from './bot-wiring.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';
import { demoMarketData, loadConfiguredLibrary } from './content-wiring.ts';
import type { AppContext } from './context.ts';
import { createConfiguredSmartService } from './faq-wiring.ts';
import { createWecomClients } from './wecom-runtime.ts';

/**
 * What the feature modules give the worker: reactions to inbound callbacks, job handlers, and the library
 * sync the worker runs before it takes jobs.
 */
export type ModuleWiring = {
  inboundHandlers: InboundHandler[];
  jobs: JobRegistration[];
  syncContentLibrary: () => Promise<{ added: number }>;
};

/**
 * Builds every module's inbound handlers and job handlers on the shared infrastructure. Content files are
 * read and validated here, so a bad file stops the worker at start.
 */
export function wireWorkerModules(
  ctx: AppContext,
  deps: { redis: Redis; queues: Pick<Queues, 'enqueue' | 'ensureQueued'> },
): ModuleWiring {
  const { config, database, log, metrics, clock } = ctx;
  const db = database.db;
  const wecom = createWecomClients({
    config,
    baseUrl: ctx.wecomBaseUrl,
    redis: deps.redis,
    log,
    metrics,
    circuits: ctx.wecomCircuits,
  });
  const audit = createAuditRepository();
  const contactsRepo = createContactsRepository();
  const checker = createConfiguredChecker(config);
  const communitiesRepo = createCommunitiesRepository();
  // The bots speak the library's approved versions. Loading the library here refuses to start on a broken
  // file, as the web role does, and the worker records the versions itself before taking jobs, so its bots
  // never depend on a web role having started first (recording is idempotent, by content hash).
  const library = loadConfiguredLibrary(config);
  const contentRepo = createContentRepository();
  const contentLibrary = createContentService({ db, repo: contentRepo, audit, check: checker, library, log });
  const content = createContentRenderService({
    db,
    repo: contentRepo,
    check: checker,
    library,
    market: demoMarketData,
    sampleMarketDataSendable: config.env === 'development',
    clock,
  });
  const cards = createHandoffCardBuilder({ content });
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
  const smart = createConfiguredSmartService({ config, db, check: checker, clock, log, metrics });
  const conversations = createConversationsService({
    repo: createConversationsRepository(),
    sla: { minutes: config.handoff.slaMinutes, hours: config.handoff.businessHours },
    clock,
  });
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
  return {
    inboundHandlers: [
      ...createContactsInboundHandlers({
        db,
        repo: contactsRepo,
        welcome,
        queues: deps.queues,
        metrics,
        clock,
        log,
      }),
      ...createCommunitiesInboundHandlers({
        repo: communitiesRepo,
        adoptJoinWayGroups: () => reconciler.adoptJoinWayGroups(),
        log,
      }),
      createCorpTagInboundHandler({ tags: corpTags, log }),
      ...wireBots({
        db,
        smart,
        clients: contactsRepo,
        conversations,
        content,
        cards,
        app: wecom.app,
        mask: (text) => checker.check(text).masked,
        log,
      }),
    ],
    jobs: [
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
        queues: deps.queues,
        log,
      }),
    ],
    syncContentLibrary: () => contentLibrary.syncLibrary(),
  };
}
