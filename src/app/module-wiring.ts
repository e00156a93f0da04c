import path from 'node:path';
import type { Redis } from 'ioredis';
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
import { loadWelcomeTemplates } from '../modules/contacts/welcome-templates.ts';
import type { InboundHandler } from '../modules/inbox/inbound-dispatcher.ts';
import { createBotInboundHandlers } from '../modules/smart-service/bot.inbound.ts';
import { registerSmartServiceJobs } from '../modules/smart-service/handoff-sla.jobs.ts';
import { createRmAssistantHandler } from '../modules/smart-service/rm-assistant.inbound.ts';
import type { Queues } from '../platform/queue/queues.ts';
import type { JobRegistration } from '../platform/queue/registry.ts';
import { createBotReplier } from '../wecom/client/bot-reply.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';
import type { AppContext } from './context.ts';
import { createConfiguredSmartService } from './faq-wiring.ts';
import { createWecomClients } from './wecom-runtime.ts';

/** What the feature modules give the worker: reactions to inbound callbacks, and job handlers. */
export type ModuleWiring = { inboundHandlers: InboundHandler[]; jobs: JobRegistration[] };

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
  const wecom = createWecomClients({ config, baseUrl: ctx.wecomBaseUrl, redis: deps.redis, log, metrics });
  const audit = createAuditRepository();
  const contactsRepo = createContactsRepository();
  const checker = createConfiguredChecker(config);
  const communitiesRepo = createCommunitiesRepository();
  const welcome = createWelcomeSender({
    db,
    repo: contactsRepo,
    groups: communitiesRepo,
    templates: loadWelcomeTemplates(path.join(config.contentLibraryDir, 'welcome', 'templates.yaml'), {
      check: (text) => checker.check(text),
    }),
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
      createRmAssistantHandler({ faq: smart.faq, questionLog: smart.questionLog, app: wecom.app, log }),
      ...createBotInboundHandlers({
        ...smart,
        db,
        reply: createBotReplier(),
        app: wecom.app,
        mask: (text) => checker.check(text).masked,
        sla: { minutes: config.handoff.slaMinutes, hours: config.handoff.businessHours },
        clock,
        log,
      }),
    ],
    jobs: [
      ...registerCommunitiesJobs({ reconcile: () => reconciler.reconcile() }),
      // The contacts nightly: the tag library first, then attribution of missed add events.
      ...registerSmartServiceJobs({ db, app: wecom.app, backupUserid: config.handoff.backupUserid, log }),
      ...registerContactsJobs({
        backfill: async () => [await corpTags.sync(), await backfill.backfill()],
        welcome,
        queues: deps.queues,
        log,
      }),
    ],
  };
}
