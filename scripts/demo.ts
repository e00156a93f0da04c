/**
 * `npm run demo`: Helix and its WeCom emulator on the embedded defaults (PGlite in a fresh temporary
 * directory, a local redis-server, the built-in emulator), playing a short scripted day and printing what
 * happened. Exits 0 when every step did what it should, 1 otherwise. Each feature adds its steps here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { runHelix } from '../src/app/run.ts';
import { createWecomClients } from '../src/app/wecom-runtime.ts';
import { loadConfig } from '../src/config.ts';
import { decodeStoredPayload } from '../src/modules/inbox/inbox.classify.ts';
import { queryRows } from '../src/platform/db/client.ts';
import type { InboxSource } from '../src/platform/db/schema.ts';
import { createLogger } from '../src/platform/logger.ts';

const say = (line = '') => process.stdout.write(`${line}\n`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'helix-demo-'));
// Embedded defaults on purpose: none of the caller's database, Redis or WeCom settings apply to the demo.
const config = loadConfig({
  NODE_ENV: 'development',
  HELIX_DATA_DIR: dataDir,
  PORT: '0',
  WECOM_EMULATOR_PORT: '0',
  LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'warn',
  PATH: process.env.PATH,
});
const log = createLogger({ level: config.log.level, name: 'helix-demo' });

const RMS = [
  { userid: 'rm_zhangmin', name: '张敏', branch: '南山支行' },
  { userid: 'rm_lihang', name: '李航', branch: '福田支行' },
];
const CHANNELS = [
  { state: 'ch-metro-2611', name: '地铁灯箱广告', rm: 'rm_zhangmin' },
  { state: 'ch-salon-1122', name: '周末理财沙龙', rm: 'rm_lihang' },
];
const CLIENTS = [
  { id: 'wm_demo_wang', name: '王先生', channel: 0 },
  { id: 'wm_demo_chen', name: '陈女士', channel: 0 },
  { id: 'wm_demo_zhao', name: '赵同学', channel: 0 },
  { id: 'wm_demo_liu', name: '刘阿姨', channel: 1 },
  { id: 'wm_demo_sun', name: '孙总', channel: 1 },
];

/** Polls `check` until it returns a value (the demo has no event to await across processes' tables). */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const failures: string[] = [];
const expect = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
};

say('Helix demo: starting Helix with embedded PostgreSQL (PGlite), a local Redis and the WeCom emulator…');
const helix = await runHelix(config, log, 'all');
const emulator = helix.emulator;
if (!emulator || !helix.url) throw new Error('the demo needs the web role and the built-in emulator');
const driver = emulator.emulator.driver;
if (!driver) throw new Error('the emulator has no callback driver');
say(`  Helix ${helix.url}   WeCom emulator ${emulator.url}`);

const redis = new Redis(helix.ctx.redisUrl, { maxRetriesPerRequest: null });
try {
  const wecom = createWecomClients({
    config,
    baseUrl: helix.ctx.wecomBaseUrl,
    redis,
    log,
    metrics: helix.ctx.metrics,
  });
  emulator.emulator.seed({ members: RMS.map((r) => ({ userid: r.userid, name: r.name })) });

  say();
  say('1. Ops create two channel codes (渠道活码); each code carries a state naming its channel.');
  for (const ch of CHANNELS) {
    const way = await wecom.contact.addContactWay({ type: 1, scene: 2, state: ch.state, users: [ch.rm] });
    say(`   ${ch.name}  state=${ch.state}  RM ${ch.rm}  QR ${way.qrCode}`);
  }

  say();
  say('2. Clients scan the codes and add their RM; WeCom calls Helix back (encrypted, signed).');
  for (const c of CLIENTS) {
    const ch = CHANNELS[c.channel]!;
    const outcome = await driver.clientAddsRm({ externalUserId: c.id, rmUserId: ch.rm, state: ch.state });
    expect(outcome.delivered && outcome.status === 200, `callback for ${c.id} acknowledged`);
    say(
      `   ${c.name} → ${ch.rm} via ${ch.state}: HTTP ${outcome.status} after ${outcome.attempts.length} try`,
    );
  }
  const rm = RMS[0]!;
  const note = await driver.rmSendsAppMessage({
    rmUserId: rm.userid,
    content: '今天新加了三位客户，明早跟进',
  });
  expect(note.status === 200, 'RM app message acknowledged');
  say(`   ${rm.name} writes to the Helix app: HTTP ${note.status}`);

  say();
  say('3. The worker processes every stored callback exactly once.');
  const expected = CLIENTS.length + 1;
  const rows = await waitFor('callbacks processed', async () => {
    const r = await queryRows<{ source: InboxSource; kind: string; status: string; plaintext: string }>(
      helix.ctx.database.db,
      sql`SELECT source, kind, status, plaintext FROM inbox ORDER BY id`,
    );
    return r.length >= expected && r.every((x) => x.status === 'processed') ? r : undefined;
  });
  const byKind = new Map<string, number>();
  for (const r of rows) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  for (const [kind, n] of byKind) say(`   ${String(n).padStart(3)} × ${kind}  processed`);
  expect(rows.length === expected, `${expected} distinct callbacks stored (got ${rows.length})`);

  say();
  say('Summary: clients by channel, read from the processed add_external_contact events');
  const byState = new Map<string, string[]>();
  for (const r of rows) {
    const event = decodeStoredPayload(r.source, r.plaintext);
    if (event.kind !== 'event:change_external_contact:add_external_contact') continue;
    const state = event.body.State ?? '';
    byState.set(state, [...(byState.get(state) ?? []), event.body.ExternalUserID]);
  }
  for (const ch of CHANNELS) {
    const ids = byState.get(ch.state) ?? [];
    const names = ids.map((id) => CLIENTS.find((c) => c.id === id)?.name ?? id);
    say(`   ${ch.name}: ${ids.length} clients: ${names.join('、')}`);
    expect(ids.length === CLIENTS.filter((c) => CHANNELS[c.channel] === ch).length, `${ch.state} count`);
  }
  const calls = emulator.emulator.inspect().callCounts;
  say(`   WeCom API calls made: ${JSON.stringify(calls)}`);
} finally {
  redis.disconnect();
  await helix.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
}

say();
if (failures.length > 0) {
  say(`Demo FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
say('Demo finished: every step did what it should.');
process.exit(0);
