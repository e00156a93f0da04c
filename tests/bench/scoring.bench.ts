/**
 * `npm run bench:scoring -- [--rms 1000] [--clients 100000] [--touches 2000000] [--requests 200]
 *   [--concurrency 10] [--json]`
 *
 * The nightly analytics at bank scale. Generates a realistic month (see `scoring-data.ts`: RMs over 20
 * branches, clients, touches, send tasks, deliveries, hand-offs, activations, content outcomes, flash-sale
 * claims) set-based in SQL on a fresh database, runs the nightly jobs once (`NIGHTLY`, for yesterday's local
 * date), then requests each report (`REPORTS`) `--requests` times, `--concurrency` in flight, from Helix's
 * web role listening on a local port, signed in as admin with an API token, from a load client in a worker
 * thread (its own event loop and heap, so reading the answers is not counted as the server's time).
 *
 * Prints {rms, clients, touches, seconds, reportP99Ms, generateSeconds, jobs, reports, baseline, ratios,
 * goals, rows, db}: `seconds` is the nightly run (every job in NIGHTLY, one after the other); `reportP99Ms`
 * (at `--concurrency` requests in flight) and `reportSerialP99Ms` (one at a time, 50 requests) are the
 * largest p99 of the ranking and funnel reports as Helix serves them (repeats from the report cache);
 * `uncachedReportP99Ms` and `uncachedReportSerialP99Ms` are the same from a web role with the cache off,
 * every request reading the aggregates (what the first caller per scope waits after a recompute). Baseline, measured in the same run on the same
 * data: one full scan `SELECT rm, count(*) FROM touches GROUP BY rm`, and `SELECT 1` round trips through the
 * app's own pool; `ratios.nightlyOverScan` = seconds / scan seconds, `ratios.reportP99OverSelect1` =
 * reportP99Ms / SELECT 1 p99.
 * Goals (printed, not asserted): nightly < 60 s, report p99 < 100 ms at 1,000 RMs, 100,000 clients and
 * 2,000,000 touches.
 *
 * PostgreSQL: a scratch database under DATABASE_URL (generated over a connection of its own with no statement
 * timeout; Helix keeps its configured timeouts). Without DATABASE_URL: PGlite in memory, and the sizes default
 * to 100 RMs, 10,000 clients and 200,000 touches (PGlite is single-connection wasm: slower, and its figures
 * are not comparable to PostgreSQL's). Redis: REDIS_URL, else a local redis-server as `helix` starts one.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { openContext } from '../../src/app/context.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { buildWebApp } from '../../src/app/web.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { previousDateInZone } from '../../src/platform/calendar/dates.ts';
import { PERIOD_KINDS, periodOf, periodsBack } from '../../src/platform/calendar/periods.ts';
import { type Database, openDatabase, queryRows } from '../../src/platform/db/client.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { createScratchDatabase } from '../helpers/scratch-database.ts';
import { generateScoringData } from './scoring-data.ts';

// ─── The nightly jobs and the report URLs ───────────────────────────────────────────────────────────────
/**
 * The nightly analytics for `runDate` (YYYY-MM-DD, a local date in the scheduler's zone), as the worker runs
 * them (the same service calls as each job's handler), in the order the scheduler enqueues them; each is
 * timed on its own.
 */
const NIGHTLY: Record<string, (s: Services, runDate: string) => Promise<unknown>> = {
  'engagement.score (day, week, month)': async (s, runDate) => {
    for (const kind of PERIOD_KINDS) await s.engagement().computePeriod(kind, runDate);
  },
  'funnel.aggregate': (s, runDate) => s.funnel().recompute(runDate),
  'channel-economics.profile': (s, runDate) => s.channelEconomics().recompute({ runDate }),
  'content.experiments': (s) => s.experiments().recompute(),
  'koc.influence': (s) => s.kocInfluence().recompute(),
};

/**
 * The reports, requested as admin (paths under the web app's root). `kind` ranking and funnel make up
 * `reportP99Ms`; `other` is measured and printed only.
 */
const reportsFor = (
  runDate: string,
  rm: string,
): { name: string; kind: 'ranking' | 'funnel' | 'other'; path: string }[] => {
  const week = periodOf('week', runDate);
  const from8 = periodsBack('week', runDate, 8)[0]!.start;
  const month = runDate.slice(0, 7);
  return [
    {
      name: 'rm ranking, month',
      kind: 'ranking',
      path: `/api/v1/engagement/rms?period=month&date=${runDate}`,
    },
    {
      name: 'rm ranking, week',
      kind: 'ranking',
      path: `/api/v1/engagement/rms?period=week&date=${week.start}`,
    },
    {
      name: 'funnel by channel, 8 weeks',
      kind: 'funnel',
      path: `/api/v1/funnel?from=${from8}&to=${runDate}&by=channel`,
    },
    {
      name: 'funnel by rm, 8 weeks',
      kind: 'funnel',
      path: `/api/v1/funnel?from=${from8}&to=${runDate}&by=rm`,
    },
    {
      name: 'rm explanation',
      kind: 'other',
      path: `/api/v1/engagement/rms/${rm}?period=month&date=${runDate}`,
    },
    { name: 'cohorts, 8 weeks', kind: 'other', path: `/api/v1/funnel/cohorts?from=${from8}&to=${runDate}` },
    { name: 'channel profiles', kind: 'other', path: `/api/v1/channel-profiles?from=${month}&to=${month}` },
    { name: 'experiments', kind: 'other', path: '/api/v1/experiments' },
    { name: 'koc influence', kind: 'other', path: '/api/v1/koc/influence?limit=50' },
  ];
};
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The load client (plain JS, run by `measure` in a worker thread): posts {serial, latencies, statuses}. */
const LOAD_CLIENT = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const statuses = {};
  const one = async () => {
    const t = performance.now();
    const res = await fetch(w.url, { headers: w.headers });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    return performance.now() - t;
  };
  for (let i = 0; i < Math.min(5, w.requests); i++) await one(); // warm-up: connections, plans, caches
  const serial = [];
  for (let i = 0; i < Math.min(50, w.requests); i++) serial.push(await one());
  const latencies = [];
  let next = 0;
  await Promise.all(Array.from({ length: w.concurrency }, async () => {
    while (next++ < w.requests) latencies.push(await one());
  }));
  parentPort.postMessage({ serial, latencies, statuses });
})();
`;

const GOAL_NIGHTLY_SECONDS = 60;
const GOAL_REPORT_P99_MS = 100;
const TZ = 'Asia/Shanghai';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rms: { type: 'string' },
    clients: { type: 'string' },
    touches: { type: 'string' },
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '10' },
  },
});
const onPostgres = Boolean(process.env.DATABASE_URL);
// PGlite defaults to a tenth of the bank-scale sizes (see the header).
const sizes = {
  rms: Number(args.rms ?? (onPostgres ? 1000 : 100)),
  clients: Number(args.clients ?? (onPostgres ? 100_000 : 10_000)),
  touches: Number(args.touches ?? (onPostgres ? 2_000_000 : 200_000)),
};
const requests = Number(args.requests);
const concurrency = Number(args.concurrency);
const say = (msg: string) => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};
const secs = (ms: number) => Number((ms / 1000).toFixed(2));
const ms2 = (ms: number) => Number(ms.toFixed(2));
/** The p-th percentile (0–100) of `xs`, nearest rank. */
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

const scratch = onPostgres
  ? await createScratchDatabase('helix_bench_scoring', process.env.DATABASE_URL)
  : undefined;
const loaded = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: scratch?.url,
  REDIS_URL: process.env.REDIS_URL,
  QUEUE_PREFIX: `{benchscoring${process.pid}}`,
  HELIX_DATA_DIR: 'memory://',
  SCHEDULER_TIMEZONE: TZ,
  // Tests check every answer against its contract (strict); production logs mismatches (log): both pay for
  // the check. API_RESPONSE_CHECK=off measures the reports without it.
  API_RESPONSE_CHECK: process.env.API_RESPONSE_CHECK,
});
// PGlite in memory when there is no DATABASE_URL (as the tests run it).
const config: Config = loaded.db.url ? loaded : { ...loaded, db: { ...loaded.db, pgliteDir: 'memory://' } };
// Log lines go to stderr, so stdout carries only the result.
const log = createLogger({ level: config.log.level, name: 'helix-bench', destination: pino.destination(2) });
const opened = await openContext(config, log, { metrics: createMetrics() });
const { ctx } = opened;
const services = createServices(ctx);
const web = buildWebApp(ctx, { services });
// The same web role with the report cache off: every request reads the aggregates (what the first caller
// after a nightly run or a recompute waits, per scope and process).
const uncachedWeb = buildWebApp({
  ...ctx,
  config: { ...config, reportCache: { ...config.reportCache, ttlMs: 0 } },
});
// Generation writes millions of rows a statement: on PostgreSQL it gets a connection with no timeout.
const gen: Database | undefined = scratch
  ? await openDatabase({
      url: scratch.url,
      pgliteDir: '',
      poolMax: 1,
      timeouts: { statementMs: 0, queryMs: 3_600_000, idleInTransactionMs: 0 },
    })
  : undefined;
let failed = false;
let server: Server | undefined;
let uncachedServer: Server | undefined;

try {
  const now = new Date();
  say(
    `generating ${sizes.rms} RMs, ${sizes.clients} clients, ${sizes.touches} touches (${ctx.database.kind})…`,
  );
  const data = await generateScoringData(gen?.db ?? ctx.database.db, sizes, now, TZ, say);
  say(`generated in ${data.seconds.toFixed(1)} s`);

  // The nightly run is for the local day that just ended.
  const runDate = previousDateInZone(now, TZ);
  const jobs: Record<string, number> = {};
  const tn = performance.now();
  for (const [name, job] of Object.entries(NIGHTLY)) {
    say(`nightly: ${name} for ${runDate}…`);
    const t = performance.now();
    await job(services, runDate);
    jobs[name] = secs(performance.now() - t);
  }
  const seconds = (performance.now() - tn) / 1000;

  const admin = await createTokenService({ db: ctx.database.db, audit: createAuditRepository() }).create({
    name: 'bench-admin',
    role: 'admin',
    branchScope: null,
    actor: 'bench',
  });
  const listen = (app: typeof web.app) =>
    new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  server = await listen(web.app);
  uncachedServer = await listen(uncachedWeb.app);
  const baseOf = (s: Server) => `http://127.0.0.1:${(s.address() as { port: number }).port}`;
  const headers = { authorization: `Bearer ${admin.secret}` };

  /**
   * Warm-up, then 50 requests one at a time, then `requests` with `concurrency` in flight. The client runs
   * in a worker thread (LOAD_CLIENT): its own event loop and heap, as a browser on another machine would be,
   * so reading a 200 KB answer is not counted as the server's time.
   */
  const measure = async (base: string, path: string) => {
    const worker = new Worker(LOAD_CLIENT, {
      eval: true,
      workerData: { url: `${base}${path}`, headers, requests, concurrency },
    });
    const [out] = (await once(worker, 'message')) as [
      { serial: number[]; latencies: number[]; statuses: Record<string, number> },
    ];
    await worker.terminate();
    return {
      serialP50Ms: ms2(percentile(out.serial, 50)),
      serialP99Ms: ms2(percentile(out.serial, 99)),
      p50Ms: ms2(percentile(out.latencies, 50)),
      p99Ms: ms2(percentile(out.latencies, 99)),
      statuses: out.statuses,
    };
  };

  const reports = [];
  for (const r of reportsFor(runDate, 'rm_0001')) {
    say(`report: ${r.name} × ${requests}, kept answers and uncached…`);
    const cached = await measure(baseOf(server), r.path);
    const uncached = await measure(baseOf(uncachedServer), r.path);
    reports.push({ name: r.name, kind: r.kind, path: r.path, ...cached, uncached });
  }
  const goalReports = reports.filter((r) => r.kind !== 'other');
  const reportP99Ms = Math.max(0, ...goalReports.map((r) => r.p99Ms));
  const reportSerialP99Ms = Math.max(0, ...goalReports.map((r) => r.serialP99Ms));
  const uncachedReportP99Ms = Math.max(0, ...goalReports.map((r) => r.uncached.p99Ms));
  const uncachedReportSerialP99Ms = Math.max(0, ...goalReports.map((r) => r.uncached.serialP99Ms));
  const errors = reports.filter((r) =>
    [r.statuses, r.uncached.statuses].some((st) => Object.keys(st).some((s) => s !== '200')),
  );

  say('baseline: full scan of touches, SELECT 1 round trips…');
  const tb = performance.now();
  await queryRows(ctx.database.db, sql`SELECT rm, count(*) FROM touches GROUP BY rm`);
  const scanSeconds = (performance.now() - tb) / 1000;
  const selectOne: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await queryRows(ctx.database.db, sql`SELECT 1`);
    selectOne.push(performance.now() - t);
  }
  const select1P99Ms = percentile(selectOne, 99);

  const result = {
    rms: sizes.rms,
    clients: sizes.clients,
    touches: sizes.touches,
    seconds: Number(seconds.toFixed(2)),
    reportP99Ms: ms2(reportP99Ms),
    reportSerialP99Ms: ms2(reportSerialP99Ms),
    uncachedReportP99Ms: ms2(uncachedReportP99Ms),
    uncachedReportSerialP99Ms: ms2(uncachedReportSerialP99Ms),
    concurrency,
    generateSeconds: Number(data.seconds.toFixed(2)),
    db: ctx.database.kind,
    runDate,
    jobs,
    reports,
    baseline: {
      touchesScanSeconds: Number(scanSeconds.toFixed(3)),
      select1P50Ms: ms2(percentile(selectOne, 50)),
      select1P99Ms: ms2(select1P99Ms),
    },
    ratios: {
      nightlyOverScan: Number((seconds / scanSeconds).toFixed(1)),
      reportP99OverSelect1: Number((reportP99Ms / Math.max(select1P99Ms, 0.001)).toFixed(1)),
    },
    goals: {
      nightly: { goalSeconds: GOAL_NIGHTLY_SECONDS, met: seconds < GOAL_NIGHTLY_SECONDS },
      reportP99: { goalMs: GOAL_REPORT_P99_MS, met: reportP99Ms < GOAL_REPORT_P99_MS },
    },
    generateSteps: data.steps,
    rows: data.rows,
  };
  process.stdout.write(`${JSON.stringify(result, null, args.json ? undefined : 2)}\n`);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  process.stderr.write(
    `goal: nightly < ${GOAL_NIGHTLY_SECONDS} s: ${result.seconds} s (${mark(result.goals.nightly.met)})\n` +
      `goal: report p99 < ${GOAL_REPORT_P99_MS} ms: ${result.reportP99Ms} ms (${mark(result.goals.reportP99.met)})\n`,
  );
  if (errors.length > 0) {
    failed = true;
    process.stderr.write(
      `FAILED: non-200 answers: ${JSON.stringify(errors.map((e) => ({ path: e.path, statuses: e.statuses })))}\n`,
    );
  }
} catch (err) {
  failed = true;
  const cause = err instanceof Error && err.cause instanceof Error ? `\ncaused by: ${err.cause.message}` : '';
  process.stderr.write(
    `FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`,
  );
} finally {
  if (server) await new Promise((r) => server?.close(r));
  if (uncachedServer) await new Promise((r) => uncachedServer?.close(r));
  await web.close();
  await uncachedWeb.close();
  await gen?.close();
  await opened.close();
  await scratch?.drop();
}
process.exit(failed ? 1 : 0);
