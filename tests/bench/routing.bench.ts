/**
 * `npm run bench:routing -- [--clients 100000] [--json]`
 *
 * Imports `--clients` generated bank profiles (CSV, as `helix import clients` reads them) into a fresh
 * PostgreSQL database and routes every one through the tier policy, in one all-or-nothing transaction, then
 * imports an update of 10% of them (upgrades, pending downgrades) the same way. Prints
 * {clients, seconds, perSecond, updateSeconds, baselineSeconds, ratio}: `seconds` covers parsing, validation,
 * upserts, routing and invitations for the first import; `baselineSeconds` is a bare unnest INSERT of the
 * same rows into an unindexed table, measured in the same run; `ratio` = seconds / baselineSeconds.
 * Goal: 100k clients imported and routed in under 60 s. Needs PostgreSQL (DATABASE_URL or the local default).
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createProfileImportWiring } from '../../src/app/profile-import-wiring.ts';
import { loadConfig } from '../../src/config.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { openDatabase, queryRows } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createScratchDatabase } from '../helpers/scratch-database.ts';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, clients: { type: 'string', default: '100000' } },
});
const n = Number(args.clients);
const say = (msg: string) => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};

const BANDS = ['lt50k', '50k-500k', '500k-6m', 'ge6m'];
const TAGS = ['基金', '定投', '信用卡', '留学', '理财', '保险', '积分'];
// A deterministic generator, so every run routes the same population.
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const row = (i: number, bandShift = 0) => {
  const band = BANDS[Math.min(3, Math.max(0, Math.floor(rand() * rand() * 4) + bandShift))];
  const tags = TAGS.filter(() => rand() < 0.2).join('|');
  const rm = `rm_${String(i % 400).padStart(3, '0')}`;
  return `wm_bench_${i},${band},C${1 + (i % 5)},${tags},${Math.floor(rand() * 100)},${rm}`;
};
const header = 'external_userid,aum_band,risk_level,tags,engagement_score,owner_rm';
const first = [header, ...Array.from({ length: n }, (_, i) => row(i))].join('\n');
const update = [
  header,
  ...Array.from({ length: Math.floor(n / 10) }, (_, k) => row(k * 10, k % 2 === 0 ? 2 : -2)),
].join('\n');

// The per-RM task counts are long; the report keeps their totals.
const summarise = (r: Record<string, unknown>) => {
  const { tasksByRm, ...rest } = r as { tasksByRm: Record<string, number> };
  return { ...rest, rmsWithTasks: Object.keys(tasksByRm).length };
};

const scratch = await createScratchDatabase('helix_bench_routing');
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: scratch.url });
const log = createLogger({ level: 'warn' });
const database = await openDatabase({ url: scratch.url, pgliteDir: '', poolMax: 4 });
try {
  await database.migrate();
  const { imports } = createProfileImportWiring({
    config,
    db: database.db,
    clock: systemClock,
    log,
    // RM notices are not part of this measurement.
    app: {
      sendAppMessage: async () => ({ msgId: undefined, invalidUser: [], invalidParty: [], invalidTag: [] }),
    },
  });

  // The feed may only name RMs Helix knows; set up the 400 it uses, as ops would.
  await queryRows(
    database.db,
    sql`INSERT INTO rms (userid, name)
        SELECT 'rm_' || lpad(i::text, 3, '0'), 'rm_' || lpad(i::text, 3, '0') FROM generate_series(0, 399) AS i
        ON CONFLICT DO NOTHING`,
  );
  say(`baseline: bare INSERT of ${n} rows…`);
  await queryRows(
    database.db,
    sql`CREATE UNLOGGED TABLE baseline (id text, band text, risk text, tags text)`,
  );
  const lines = first
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const t0 = performance.now();
  for (let i = 0; i < lines.length; i += 5000) {
    const chunk = lines.slice(i, i + 5000);
    await queryRows(
      database.db,
      sql`INSERT INTO baseline SELECT * FROM unnest(${sql.param(chunk.map((c) => c[0]))}::text[],
            ${sql.param(chunk.map((c) => c[1]))}::text[], ${sql.param(chunk.map((c) => c[2]))}::text[],
            ${sql.param(chunk.map((c) => c[3]))}::text[])`,
    );
  }
  const baselineSeconds = (performance.now() - t0) / 1000;

  // One timed import through the real service; a rejected file aborts the benchmark.
  const timedImport = async (text: string, fileName: string) => {
    const t = performance.now();
    const r = await imports.importProfiles({
      file: text,
      format: 'csv',
      fileName,
      actor: 'bench',
      via: 'cli',
    });
    if (!r.ok) throw new Error(`${fileName} rejected: ${JSON.stringify(r.problems.slice(0, 3))}`);
    return { outcome: r, seconds: (performance.now() - t) / 1000 };
  };
  say(`importing and routing ${n} clients…`);
  const { outcome, seconds } = await timedImport(first, 'bench.csv');
  say(`importing an update of ${Math.floor(n / 10)} clients…`);
  const { outcome: updated, seconds: updateSeconds } = await timedImport(update, 'update.csv');

  const result = {
    clients: n,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(n / seconds),
    updateSeconds: Number(updateSeconds.toFixed(2)),
    baselineSeconds: Number(baselineSeconds.toFixed(2)),
    ratio: Number((seconds / baselineSeconds).toFixed(1)),
    routing: summarise(outcome.routing),
    updateRouting: summarise(updated.routing),
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await database.close();
  await scratch.drop();
}
