import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { Services } from '../../src/app/services.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { FireOccurrence } from '../../src/modules/calendar/calendar.jobs.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { startHelixWithEmulator } from './helix-with-emulator.ts';
import { waitUntil } from './infra.ts';

/** One test client: who they follow and what the bank knows of them. */
export type WorldClient = {
  id: string;
  rm: string | null;
  tier?: string;
  riskLevel?: string | null;
  birthday?: string;
  optedOut?: boolean;
  name?: string;
};

/**
 * Helix with its emulator on one settable clock, with RMs and clients known to both (the emulator's
 * follows, Helix's rows), a fresh market-data file, and tokens for head-office ops and each RM.
 */
export async function startCampaignWorld(opts: {
  clock: Clock;
  rms: { userid: string; name: string; branch: string; persona?: string | null }[];
  clients: WorldClient[];
  env?: Record<string, string>;
  rateLimitPerMinute?: number;
  /** Keeps the library's seed calendar entries active (they are ended by default). */
  keepSeeds?: boolean;
}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'helix-market-'));
  const marketFile = path.join(dir, 'market.json');
  const writeMarket = (asOf: Date) =>
    writeFileSync(
      marketFile,
      JSON.stringify({
        asOf: asOf.toISOString(),
        values: { csi300: 3912.5, csi300Change: 1.23, usdCny: 7.1 },
      }),
    );
  writeMarket(opts.clock.now());
  const h = await startHelixWithEmulator({
    clock: opts.clock,
    env: { MARKET_DATA_FILE: marketFile, ...opts.env },
    ...(opts.rateLimitPerMinute ? { rateLimitPerMinute: opts.rateLimitPerMinute } : {}),
  });
  const db: Db = h.ctx.database.db;
  h.emu.emulator.seed({
    members: opts.rms.map((r) => ({ userid: r.userid, name: r.name })),
    contacts: opts.clients.map((c) => ({
      externalUserId: c.id,
      followUsers: c.rm ? [{ userid: c.rm, state: '' }] : [],
    })),
  });
  for (const r of opts.rms)
    await db.execute(
      sql`INSERT INTO rms (userid, name, branch, persona) VALUES (${r.userid}, ${r.name}, ${r.branch}, ${r.persona ?? null})`,
    );
  for (let i = 0; i < opts.clients.length; i += 1000) {
    const batch = opts.clients.slice(i, i + 1000);
    await db.execute(sql`INSERT INTO clients (external_userid, name, owner_rm, tier, risk_level, birthday, opted_out_at)
      SELECT * FROM unnest(${sql.param(batch.map((c) => c.id))}::text[], ${sql.param(batch.map((c) => c.name ?? null))}::text[],
                           ${sql.param(batch.map((c) => c.rm))}::text[], ${sql.param(batch.map((c) => c.tier ?? 'basic'))}::text[],
                           ${sql.param(batch.map((c) => (c.riskLevel === undefined ? 'C3' : c.riskLevel)))}::text[],
                           ${sql.param(batch.map((c) => c.birthday ?? null))}::date[],
                           ${sql.param(batch.map((c) => (c.optedOut ? opts.clock.now().toISOString() : null)))}::timestamptz[])`);
  }
  const tokens = createTokenService({ db, audit: createAuditRepository() });
  const opsToken = (await tokens.create({ name: '运营总部', role: 'ops', branchScope: null, actor: 'test' }))
    .secret;
  const rmTokens = new Map<string, string>();
  for (const r of opts.rms)
    rmTokens.set(
      r.userid,
      (await tokens.create({ name: r.userid, role: 'rm', branchScope: null, actor: 'test' })).secret,
    );
  const api = (token: string) => ({
    get: (url: string) => request(h.web.app).get(`/api/v1${url}`).set('authorization', `Bearer ${token}`),
    post: (url: string, body?: object) =>
      request(h.web.app)
        .post(`/api/v1${url}`)
        .set('authorization', `Bearer ${token}`)
        .send(body ?? {}),
    put: (url: string, body: object) =>
      request(h.web.app).put(`/api/v1${url}`).set('authorization', `Bearer ${token}`).send(body),
  });
  // The library's seed entries (the content spiral) are ended unless a test wants them: otherwise the
  // 08:00 brief would fire beside whatever the test schedules, to the same clients.
  if (!opts.keepSeeds) {
    const seeds = (await api(opsToken).get('/calendar/entries')).body.items as {
      id: string;
      version: number;
    }[];
    for (const e of seeds) {
      const res = await api(opsToken).post(`/calendar/entries/${e.id}/end`, { version: e.version });
      if (res.status !== 200) throw new Error(`could not end seed ${e.id}: ${JSON.stringify(res.body)}`);
    }
  }
  return {
    h,
    db,
    clock: opts.clock,
    writeMarket,
    ops: api(opsToken),
    /** Head-office ops' bearer token, for requests the API helpers do not make (DELETE, a CSV body). */
    opsToken,
    rm: (userid: string) => api(rmTokens.get(userid) ?? ''),
    /** An API client on a fresh token of `role`, cut to one branch when `branchScope` is set. */
    as: async (role: Role, branchScope: string | null = null) =>
      api(
        (await tokens.create({ name: `${role}@${branchScope ?? 'all'}`, role, branchScope, actor: 'test' }))
          .secret,
      ),
    /**
     * Fires an occurrence of `entryId` at the clock's now, as the scheduler would (through `queues`), and
     * waits for its outcome.
     */
    async fire(queues: Pick<ReturnType<Services['queues']>, 'enqueue'>, entryId: string) {
      const at = opts.clock.now().getTime();
      await queues.enqueue(FireOccurrence, { entryId, at, mode: 'fire' });
      const row = await waitUntil(
        async () =>
          (
            await queryRows<{ id: number; status: string; reason: string | null }>(
              db,
              sql`SELECT id::int AS id, status, reason FROM calendar_occurrences
                   WHERE entry_id = ${entryId} AND scheduled_at = ${new Date(at).toISOString()}::timestamptz
                     AND status <> 'running'`,
            )
          )[0],
        20_000,
        `occurrence of ${entryId}`,
      );
      if (!row) throw new Error(`no occurrence of ${entryId}`);
      return row;
    },
    /** Rows of any query, for assertions. */
    rows: <T>(q: ReturnType<typeof sql>) => queryRows<T>(db, q),
    stop: () => h.stop(),
  };
}

/** The world `startCampaignWorld` returns. */
export type CampaignWorld = Awaited<ReturnType<typeof startCampaignWorld>>;
