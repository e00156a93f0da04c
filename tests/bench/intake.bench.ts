/**
 * `npm run bench:intake -- [--json] [--duration 8] [--rounds 3] [--connections 64] [--rate 1000] [--worker-during]
 *   [--wecom emulator|unreachable]`
 *
 * Drives pre-encrypted WeCom callbacks at Helix's web role and, in the same run, at a bare Express handler
 * (each in its own process). Prints {intakeRps, bareRps, ratio, p50Ms, p99Ms, lost, …}:
 *   intakeRps / bareRps — max throughput at the same concurrency, median of interleaved rounds;
 *   ratio               — intakeRps / bareRps;
 *   p50Ms / p99Ms       — intake latency under a steady open-loop load of `--rate` requests/s;
 *   lost                — callbacks acknowledged with 200 that the worker did not process afterwards (it
 *                         drains until done, or until a minute passes without progress: drainStalled).
 *   drainPerSecond      — rows the worker processed per second of the drain phase.
 * The worker runs after the load unless --worker-during (then it competes for the same two cores).
 * Every RM text gets an RM-assistant reply through WeCom. `--wecom emulator` (default) points Helix at its
 * WeCom emulator, in a process of its own, with the RMs seeded as members. `--wecom unreachable` points it at
 * an address that accepts connections and never answers, as WeCom behind a dead route: without the circuit
 * breaker each reply would wait out the client's timeout.
 * Needs PostgreSQL, since web and worker are separate processes: DATABASE_URL, else the local default
 * postgres://postgres@127.0.0.1:5432/test. Redis: REDIS_URL, else a local redis-server it starts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../../src/platform/db/client.ts';
import { type LocalRedisServer, startLocalRedisServer } from '../../src/platform/redis/local-redis-server.ts';
import { buildSignedCallback } from '../../src/wecom/protocol/callback-builder.ts';
import { spawnTs } from '../helpers/child-process.ts';
import { createScratchDatabase } from '../helpers/scratch-database.ts';
import { runPacedLoad } from './paced-load.ts';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    rate: { type: 'string', default: '1000' },
    'worker-during': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    wecom: { type: 'string', default: 'emulator' },
  },
});
if (args.wecom !== 'emulator' && args.wecom !== 'unreachable')
  throw new Error(`--wecom must be emulator or unreachable, not ${args.wecom}`);
const rounds = Number(args.rounds);
const duration = Number(args.duration);
const connections = Number(args.connections);
const rate = Number(args.rate);
const say = (msg: string) => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};

const CREDS = {
  corpId: 'wwbench0000000001',
  token: 'benchToken',
  encodingAesKey: 'YmVuY2hFbmNvZGluZ0FFU0tleTAxMjM0NTY3ODkwMTI',
};
// The RMs the texts come from (FromUserName rm_0 … rm_<RMS-1>); the emulator knows them as members.
const RMS = 500;

// --- infrastructure: a fresh database and a queue prefix of its own ---
const dataDir = mkdtempSync(path.join(tmpdir(), 'helix-bench-'));
const scratch = await createScratchDatabase('helix_bench');
const databaseUrl = scratch.url;
const dropDb = scratch.drop;
let localRedis: LocalRedisServer | undefined;
let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  localRedis = await startLocalRedisServer({ bin: 'redis-server', dir: path.join(dataDir, 'redis') });
  redisUrl = localRedis.url;
}
const env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: `{bench${randomBytes(3).toString('hex')}}`,
  HELIX_DATA_DIR: dataDir,
  WECOM_CORP_ID: CREDS.corpId,
  WECOM_TOKEN: CREDS.token,
  WECOM_ENCODING_AES_KEY: CREDS.encodingAesKey,
  WECOM_SECRET: 'benchAppSecret',
  WECOM_CONTACT_SECRET: 'benchContactSecret',
  WECOM_API_BASE_URL: undefined as string | undefined,
  INBOX_SWEEP_MIN_AGE_MS: '2000',
  INBOX_SWEEP_INTERVAL_MS: '2000',
  // Tuning knobs can be tried from the command line, e.g. INTAKE_BATCH_CONCURRENCY=2 npm run bench:intake,
  // or WECOM_CIRCUIT_FAILURES=1000 to see the unreachable case without the circuit breaker.
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => k.startsWith('INTAKE_') || k.startsWith('WECOM_CIRCUIT_') || k === 'WORKER_CONCURRENCY',
    ),
  ),
};

// --- pre-encrypted callbacks, each with a distinct MsgId ---
// Enough distinct callbacks for the max-throughput phase (up to 8,000/s) plus the fixed-rate phase.
const poolSize = Math.ceil((8000 * rounds + rate * 1.2) * duration + rate * 2);
say(`encrypting ${poolSize} callbacks…`);
const base = 7_300_000_000_000_000_000n;
const callbacks = Array.from({ length: poolSize }, (_, i) => {
  const msgId = String(base + BigInt(i));
  const plaintext = `<xml><ToUserName><![CDATA[${CREDS.corpId}]]></ToUserName><FromUserName><![CDATA[rm_${i % RMS}]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[客户问：理财产品到期后资金多久到账？(${i})]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
  const cb = buildSignedCallback({
    format: 'xml',
    ...CREDS,
    receiveId: CREDS.corpId,
    plaintext,
    agentId: '1000002',
  });
  return { path: `/wecom/callback?${cb.query}`, body: cb.body };
});

type Result = { rps: number; p99: number; non2xx: number; errors: number };

// Callbacks are handed out in order across all phases; `acked` counts distinct ones Helix answered 200.
let next = 0;
let acked = 0;

async function drive(url: string, opts: { label: string; reuse?: boolean }): Promise<Result> {
  // The bare baseline may reuse callbacks (it stores nothing); Helix always gets fresh MsgIds.
  let reuseIndex = 0;
  const instance = autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const cb = opts.reuse ? callbacks[reuseIndex++ % callbacks.length] : callbacks[next++];
          if (!cb) throw new Error(`${opts.label}: no callbacks left in the pool`);
          return { ...req, path: cb.path, body: cb.body, headers: { 'content-type': 'text/xml' } };
        },
        onResponse: (status) => {
          if (status === 200 && !opts.reuse) acked++;
        },
      },
    ],
  });
  const r = await instance;
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

const children: ReturnType<typeof spawnTs>[] = [];
const start = async (role: string, roleArgs: string[] = []) => {
  const nodeArgs = args.profile && role === 'web' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/helix-prof'] : [];
  const c = spawnTs(path.resolve('tests/bench/bench-servers.ts'), env, [role, ...roleArgs], nodeArgs);
  children.push(c);
  return (await c.waitForLine('READY ')).slice('READY '.length);
};

/** Accepts connections and never answers: WeCom behind a dead route. Counts the connections it held. */
async function startBlackhole() {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

let blackhole: Awaited<ReturnType<typeof startBlackhole>> | undefined;
let emulatorChild: ReturnType<typeof spawnTs> | undefined;
try {
  if (args.wecom === 'unreachable') {
    blackhole = await startBlackhole();
    env.WECOM_API_BASE_URL = blackhole.url;
  } else {
    env.WECOM_API_BASE_URL = await start('emulator', [String(RMS)]);
    emulatorChild = children.at(-1);
  }
  const workerDuring = args['worker-during'];
  const bareUrl = await start('bare');
  const webUrl = await start('web');
  if (workerDuring) await start('worker');
  const database = await openDatabase({ url: databaseUrl, pgliteDir: '' });

  // Interleaved rounds, so a noisy neighbour slows both sides alike; the medians are reported.
  const bareRps: number[] = [];
  const intakeRps: number[] = [];
  let non2xx = 0;
  for (let r = 1; r <= rounds; r++) {
    const bare = await drive(`${bareUrl}/wecom/callback`, { label: 'bare', reuse: true });
    const intake = await drive(webUrl, { label: 'intake' });
    bareRps.push(bare.rps);
    intakeRps.push(intake.rps);
    non2xx += intake.non2xx + intake.errors;
    say(
      `round ${r}: bare ${bare.rps.toFixed(0)} rps, intake ${intake.rps.toFixed(0)} rps (p99 ${intake.p99} ms under max load)`,
    );
    if (args.profile) {
      await database.close();
      throw new Error('profile written to /tmp/helix-prof on exit; no result in --profile mode');
    }
  }

  say(`bare Express at a steady ${rate} requests/s…`);
  let reuse = 0;
  const bareNext = () => callbacks[reuse++ % callbacks.length] as { path: string; body: string };
  // One second at the same rate first, unmeasured, to open the client's connections on each side.
  await runPacedLoad({ url: bareUrl, rate, durationS: 1, next: bareNext });
  const bareSteady = await runPacedLoad({ url: bareUrl, rate, durationS: duration, next: bareNext });
  await runPacedLoad({
    url: webUrl,
    rate,
    durationS: 1,
    next: () => callbacks[next++] as { path: string; body: string },
    onOk: () => {
      acked++;
    },
  });
  say(`intake at a steady ${rate} requests/s…`);
  const fixed = await runPacedLoad({
    url: webUrl,
    rate,
    durationS: duration,
    next: () => {
      const cb = callbacks[next++];
      if (!cb) throw new Error('no callbacks left in the pool');
      return cb;
    },
    onOk: () => {
      acked++;
    },
  });
  non2xx += fixed.non2xx + fixed.errors;

  // Every callback that got a 200 is in the inbox (stored before the 200); all must end up processed.
  if (!workerDuring) await start('worker');
  const count = async (status?: string) =>
    (
      await queryRows<{ n: number }>(
        database.db,
        status
          ? sql`SELECT count(*)::int AS n FROM inbox WHERE status = ${status}`
          : sql`SELECT count(*)::int AS n FROM inbox`,
      )
    )[0]?.n ?? 0;
  const stored = await count();
  // The worker drains for as long as it makes progress: a slow drain is reported as a rate (drainPerSecond),
  // and only rows still unprocessed after the worker went a full minute without finishing one count as lost.
  const drainStart = Date.now();
  let processed = 0;
  let progressAt = Date.now();
  let drainStalled = false;
  for (;;) {
    const now = await count('processed');
    if (now > processed) progressAt = Date.now();
    processed = now;
    if (processed >= stored) break;
    if (Date.now() - progressAt > 60_000) {
      drainStalled = true;
      break;
    }
    await new Promise((res) => setTimeout(res, 200));
  }
  const drainS = (Date.now() - (drainStalled ? 60_000 : 0) - drainStart) / 1000;
  const failedRows = await count('failed');
  await database.close();
  let wecom: Record<string, unknown> = { mode: args.wecom };
  if (emulatorChild) {
    emulatorChild.proc.kill('SIGTERM');
    const stats = await emulatorChild.waitForLine('STATS ');
    wecom = { ...wecom, ...(JSON.parse(stats.slice('STATS '.length)) as Record<string, unknown>) };
  }
  if (blackhole) wecom = { ...wecom, connectionsHeld: blackhole.connections() };
  const result = {
    intakeRps: Math.round(median(intakeRps)),
    bareRps: Math.round(median(bareRps)),
    ratio: Number((median(intakeRps) / median(bareRps)).toFixed(3)),
    p50Ms: fixed.p50Ms,
    p99Ms: fixed.p99Ms,
    lost: Math.max(0, acked - processed),
    acked,
    stored,
    processed,
    non2xx,
    steadyRps: fixed.achievedRps,
    bareP50Ms: bareSteady.p50Ms,
    bareP99Ms: bareSteady.p99Ms,
    steadyP99FromSendMs: fixed.p99FromSendMs,
    clientMaxLagMs: fixed.maxLagMs,
    workerDrainRps: workerDuring ? undefined : Math.round(stored / drainS),
    drainPerSecond: Math.round(processed / drainS),
    drainS: Number(drainS.toFixed(1)),
    drainStalled,
    failedRows,
    wecom,
    rounds: { bareRps: bareRps.map(Math.round), intakeRps: intakeRps.map(Math.round) },
    connections,
    durationS: duration,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  for (const c of children) c.proc.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  await blackhole?.close();
  await localRedis?.stop();
  await dropDb();
}
