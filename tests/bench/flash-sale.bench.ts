/**
 * `npm run bench:flash-sale -- [--stock 100] [--claimants 10000] [--concurrency 500] [--json]`
 *
 * A flash sale of `--stock` units with an eligibility rule (tier and new clients), claimed once each by
 * `--claimants` distinct clients (seeded as client rows), `--concurrency` claims in flight. Each claim is the
 * keyword path end to end as the bot runs it: the group message's keyword parsed to its sale, eligibility
 * (the client's row, cached per client), the Lua claim in Redis, the durable row in PostgreSQL for winners,
 * and the reply decision (which approved component answers). The baseline is the bare Lua claim on another
 * sale, same claimants and concurrency, in the same run.
 * Prints {winners, oversold, duplicateWinners, claimsPerSec, p99Ms, pgRows, bareLuaClaimsPerSec, ratio}.
 * Goal: exactly `stock` winners, 0 oversold, 0 duplicates, ≥ 5,000 claims/s, pgRows = winners.
 * PostgreSQL: a scratch database under DATABASE_URL, or PGlite in memory when it is unset. Redis: REDIS_URL
 * or redis://127.0.0.1:6379 (keys under a unique namespace, deleted afterwards).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createAudienceRepository } from '../../src/modules/contacts/audience.repository.ts';
import { createFlashSalesRepository } from '../../src/modules/flash-sales/flash-sales.repository.ts';
import { REPLY_COMPONENT } from '../../src/modules/flash-sales/flash-sales.rules.ts';
import { createFlashSalesService } from '../../src/modules/flash-sales/flash-sales.service.ts';
import { createFlashSaleStore } from '../../src/modules/flash-sales/flash-sales.store.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { openDatabase, queryRows } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createRedis } from '../../src/platform/redis/connection.ts';
import { createScratchDatabase } from '../helpers/scratch-database.ts';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    stock: { type: 'string', default: '100' },
    claimants: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '500' },
  },
});
const stock = Number(args.stock);
const n = Number(args.claimants);
const concurrency = Number(args.concurrency);
const say = (msg: string) => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};

const scratch = process.env.DATABASE_URL
  ? await createScratchDatabase('helix_bench_flash', process.env.DATABASE_URL)
  : undefined;
const database = await openDatabase({ url: scratch?.url, pgliteDir: 'memory://', poolMax: 10 });
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'general');
// The general connection queues nothing while it connects: wait until it is ready.
if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
const namespace = `bench${randomBytes(4).toString('hex')}`;
const store = createFlashSaleStore(redis, namespace);
const log = createLogger({ level: 'warn' });
try {
  await database.migrate();
  const db = database.db;
  say(`seeding ${n} clients (${database.kind})`);
  const acquired = new Date(Date.now() - 10 * 24 * 3600_000).toISOString();
  for (let i = 0; i < n; i += 5000) {
    const ids = Array.from({ length: Math.min(5000, n - i) }, (_, k) => `wm_bench_${i + k}`);
    await queryRows(
      db,
      sql`INSERT INTO clients (external_userid, tier, risk_level, acquired_at)
          SELECT u, 'basic', 'C3', ${acquired}::timestamptz FROM unnest(string_to_array(${ids.join(',')}, ',')) AS u`,
    );
  }
  const sales = createFlashSalesService({
    db,
    repo: createFlashSalesRepository(),
    store,
    facts: createAudienceRepository().eligibilityFacts,
    audit: createAuditRepository(),
    cacheMs: 1000,
    clock: systemClock,
    log,
  });
  const window = { opensAt: new Date(Date.now() - 60_000), closesAt: new Date(Date.now() + 3600_000) };
  await sales.create(
    {
      id: 'bench-sale',
      name: '午间秒杀基准',
      itemName: '理财加息券',
      stock,
      keyword: '午间秒杀',
      eligibility: { tiers: ['basic', 'premium'], newClientsWithinDays: 30 },
      ...window,
    },
    { name: 'bench', requestId: null },
  );
  await store.rebuild('bench-bare', { stockLeft: stock, claimants: [], ...window }, 3600_000);

  /** Runs `task` for every claimant with `concurrency` in flight; returns seconds and per-claim ms. */
  const run = async (task: (i: number) => Promise<unknown>) => {
    const times = new Float64Array(n);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          const i = next++;
          const s = performance.now();
          await task(i);
          times[i] = performance.now() - s;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    times.sort();
    return { seconds, p99: times[Math.min(n - 1, Math.floor(0.99 * n))] as number };
  };

  say('bare Lua claims');
  const bare = await run((i) => store.claim('bench-bare', `wm_bench_${i}`, new Date()));
  say('end-to-end claims');
  const outcomes = new Map<string, number>();
  const full = await run(async (i) => {
    const r = await sales.claimByKeyword('@智能助手 午间秒杀', `wm_bench_${i}`, {
      chatId: 'wr_bench',
      ref: `msg_${i}`,
    });
    // The reply decision the bot makes (rendering is the content module's, measured by its own bench).
    const component = r ? REPLY_COMPONENT[r.outcome] : 'none';
    outcomes.set(component, (outcomes.get(component) ?? 0) + 1);
  });
  const [pg] = await queryRows<{ rows: number; distinct: number }>(
    db,
    sql`SELECT count(*)::int AS rows, count(DISTINCT external_userid)::int AS distinct
        FROM flash_claims WHERE sale_id = 'bench-sale'`,
  );
  const pgRows = pg?.rows ?? 0;
  const winners = outcomes.get(REPLY_COMPONENT.won) ?? 0;
  const claimsPerSec = n / full.seconds;
  const bareLuaClaimsPerSec = n / bare.seconds;
  const result = {
    winners,
    oversold: Math.max(0, pgRows - stock),
    duplicateWinners: pgRows - (pg?.distinct ?? 0),
    claimsPerSec: Math.round(claimsPerSec),
    p99Ms: Number(full.p99.toFixed(2)),
    pgRows,
    bareLuaClaimsPerSec: Math.round(bareLuaClaimsPerSec),
    ratio: Number((claimsPerSec / bareLuaClaimsPerSec).toFixed(3)),
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    say(JSON.stringify(Object.fromEntries(outcomes)));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
} finally {
  const keys = await redis.keys(`{fs:${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await database.close();
  await scratch?.drop();
}
