import path from 'node:path';
import type { Redis } from 'ioredis';
import { createCommunitiesInboundHandlers } from '../modules/communities/communities.inbound.ts';
import { createCommunitiesRepository } from '../modules/communities/communities.repository.ts';
import { createContactsInboundHandlers } from '../modules/contacts/contacts.inbound.ts';
import { createContactsRepository } from '../modules/contacts/contacts.repository.ts';
import { createWelcomeSender } from '../modules/contacts/welcome.service.ts';
import { loadWelcomeTemplates } from '../modules/contacts/welcome-templates.ts';
import type { InboundHandler } from '../modules/inbox/inbound-dispatcher.ts';
import type { AppContext } from './context.ts';
import { createWecomClients } from './wecom-runtime.ts';

/** Every module's reaction to inbound WeCom callbacks, wired to the shared infrastructure. */
export function createModuleInboundHandlers(ctx: AppContext, deps: { redis: Redis }): InboundHandler[] {
  const { config, database, log, metrics, clock } = ctx;
  const wecom = createWecomClients({ config, baseUrl: ctx.wecomBaseUrl, redis: deps.redis, log, metrics });
  const contactsRepo = createContactsRepository();
  const welcome = createWelcomeSender({
    db: database.db,
    repo: contactsRepo,
    templates: loadWelcomeTemplates(path.join(config.contentLibraryDir, 'welcome', 'templates.yaml')),
    contact: wecom.contact,
    clock,
    log,
    metrics,
  });
  return [
    ...createContactsInboundHandlers({ db: database.db, repo: contactsRepo, welcome, metrics, clock, log }),
    ...createCommunitiesInboundHandlers({ repo: createCommunitiesRepository() }),
  ];
}
