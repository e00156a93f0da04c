import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { createTestContext } from './infra.ts';

/**
 * Registers hooks that build the web role on test infrastructure, with the content library synced and one
 * API token per `[name, role]` (keyed `name/role`). Read the fields inside tests, after `beforeAll` ran.
 */
export function useWebWithPeople(people: [string, Role][]) {
  const env = {} as { ctx: AppContext; web: WebApp; tokens: Record<string, string> };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const t = await createTestContext();
    close = t.close;
    env.ctx = t.ctx;
    env.web = buildWebApp(t.ctx);
    await env.web.syncContentLibrary();
    const service = createTokenService({ db: t.ctx.database.db, audit: createAuditRepository() });
    env.tokens = {};
    for (const [name, role] of people) {
      env.tokens[`${name}/${role}`] = (
        await service.create({ name, role, branchScope: null, actor: 'test' })
      ).secret;
    }
  });
  afterAll(async () => {
    await env.web?.close();
    await close?.();
  });
  return env;
}
