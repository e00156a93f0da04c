/**
 * `npm run bench:wecom -- [--json] [--limit-per-min 6000] [--seconds 20] [--concurrency 64]`
 *
 * Pushes calls through Helix's WeCom client at the built-in emulator, with the emulator enforcing
 * `--limit-per-min` per API (answering 45009 beyond it) and the client configured with the same limit.
 * `--concurrency` callers share one client budget through Redis, as many workers would.
 * Prints {calls, seconds, achievedPerMin, limitPerMin, errors45009, ratio}: the goal is `ratio`
 * (achievedPerMin / limitPerMin) within 5% of 1 with zero 45009 answers.
 * Redis: REDIS_URL, else a local redis-server it starts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { type LocalRedisServer, startLocalRedisServer } from '../../src/platform/redis/local-redis-server.ts';
import { createWecomClient } from '../../src/wecom/client/wecom-client.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'limit-per-min': { type: 'string', default: '6000' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '64' },
  },
});
const limitPerMin = Number(args['limit-per-min']);
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const calls = Math.round((limitPerMin / 60) * seconds);

const CORP = 'wwbenchwecom00001';
const SECRET = 'bench-secret';

let localRedis: LocalRedisServer | undefined;
let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  localRedis = await startLocalRedisServer({
    bin: 'redis-server',
    dir: mkdtempSync(path.join(tmpdir(), 'helix-bench-redis-')),
  });
  redisUrl = localRedis.url;
}
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });

const emulator = await startWecomEmulator({
  corpId: CORP,
  secrets: { app: SECRET },
  rateLimitPerMinute: limitPerMin,
});
emulator.emulator.seed({
  members: [{ userid: 'rm_bench' }],
  contacts: [{ externalUserId: 'wm_bench', followUsers: [{ userid: 'rm_bench' }] }],
});
const metrics = createMetrics();
const client = createWecomClient({
  baseUrl: emulator.url,
  corpId: CORP,
  secret: SECRET,
  redis,
  prefix: `{bench${randomBytes(4).toString('hex')}}`,
  log: createLogger({ level: 'silent' }),
  metrics,
  policy: { apiPerMinute: limitPerMin },
});

// Warm the token so the measured window holds only API calls.
await client.getExternalContact('wm_bench');

let next = 0;
let failures = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      next++;
      await client.getExternalContact('wm_bench').catch(() => {
        failures++;
      });
    }
  }),
);
const elapsedS = (performance.now() - started) / 1000;

const values = (await metrics.wecomCalls.get()).values;
const errors45009 = values.filter((v) => v.labels.errcode === '45009').reduce((n, v) => n + v.value, 0);
const achievedPerMin = Math.round((calls / elapsedS) * 60);
const result = {
  calls,
  seconds: Number(elapsedS.toFixed(2)),
  achievedPerMin,
  limitPerMin,
  errors45009,
  ratio: Number((achievedPerMin / limitPerMin).toFixed(4)),
  failures,
  concurrency,
};

await emulator.close();
redis.disconnect();
await localRedis?.stop();

if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(
    `${calls} calls in ${result.seconds} s: ${achievedPerMin}/min against a limit of ${limitPerMin}/min ` +
      `(${(result.ratio * 100).toFixed(1)}%), ${errors45009} × 45009, ${failures} failed\n`,
  );
}
