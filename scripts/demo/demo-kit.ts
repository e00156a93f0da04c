import { sql } from 'drizzle-orm';
import type { RunningHelix } from '../../src/app/run.ts';
import type { RunningEmulator } from '../../src/app/wecom-runtime.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import type { CallbackDriver } from '../../src/wecom/emulator/callback-driver.ts';

/** What every demo scenario uses: Helix, the emulator, the ops API, and a way to check and report. */
export type DemoKit = Awaited<ReturnType<typeof createDemoKit>>;

/** Polls `check` until it returns a value (the demo watches tables that background jobs fill). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Builds the kit: an ops API token, an HTTP helper, and the list of failed expectations. */
export async function createDemoKit(helix: RunningHelix & { url: string; emulator: RunningEmulator }) {
  const tokens = createTokenService({ db: helix.ctx.database.db, audit: createAuditRepository() });
  const ops = await tokens.create({ name: '总行运营', role: 'ops', branchScope: null, actor: 'demo' });
  const failures: string[] = [];
  const driver: CallbackDriver | undefined = helix.emulator.emulator.driver;
  if (!driver) throw new Error('the emulator has no callback driver');
  const db = helix.ctx.database.db;

  return {
    helix,
    emulator: helix.emulator.emulator,
    driver,
    db,
    failures,
    say: (line = '') => process.stdout.write(`${line}\n`),
    expect(ok: boolean, what: string) {
      if (!ok) failures.push(what);
    },
    /** A token for another person (a compliance reviewer, an RM), to call the API as them. */
    token: async (name: string, role: Role) =>
      (await tokens.create({ name, role, branchScope: null, actor: 'demo' })).secret,
    /**
     * Calls Helix's admin API (as ops unless `as` names another token); a non-2xx answer is an error naming
     * the call, unless `allow` lists its status.
     */
    async api<T>(
      method: string,
      path: string,
      body?: unknown,
      contentType = 'application/json',
      opts: { as?: string; allow?: number[] } = {},
    ): Promise<T> {
      const res = await fetch(`${helix.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${opts.as ?? ops.secret}`, 'content-type': contentType },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const json = (await res.json()) as T;
      if (!res.ok && !opts.allow?.includes(res.status))
        throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    /** Waits until every stored callback has been processed. */
    drained: () =>
      waitFor('callbacks processed', async () => {
        const [r] = await queryRows<{ open: number }>(
          db,
          sql`SELECT count(*)::int AS open FROM inbox WHERE status = 'received'`,
        );
        return r?.open === 0 ? true : undefined;
      }),
  };
}
