/**
 * `npm run demo`: Helix and its WeCom emulator on the embedded defaults (PGlite in a fresh temporary
 * directory, a local redis-server, the built-in emulator), playing a short scripted story and printing what
 * happened. Exits 0 when every step did what it should, 1 otherwise. Each feature adds its scenario here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runHelix } from '../src/app/run.ts';
import { loadConfig } from '../src/config.ts';
import { shiftableClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { playActivities } from './demo/activity-scenario.ts';
import { openPosterLinks, playAnalytics } from './demo/analytics-scenario.ts';
import { playCalendarWeek } from './demo/calendar-scenario.ts';
import { playCommunities } from './demo/communities-scenario.ts';
import { playContent } from './demo/content-scenario.ts';
import { createDemoKit } from './demo/demo-kit.ts';
import { playFaq } from './demo/faq-scenario.ts';

const say = (line = '') => process.stdout.write(`${line}\n`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'helix-demo-'));
// Embedded defaults on purpose: none of the caller's database, Redis or WeCom settings apply to the demo.
// The demo's week: Monday 2026-09-28, 07:00 in Shanghai, on a clock the calendar scenario moves forward.
const weekStart = new Date('2026-09-27T16:00:00Z');
const clock = shiftableClock(new Date('2026-09-27T23:00:00Z'));
const config = loadConfig({
  NODE_ENV: 'development',
  // The scheduler looks every second and follow-up polls WeCom a second after each fan-out: the week passes
  // in jumps, and each jump should be seen at once.
  CALENDAR_TICK_CRON: '* * * * * *',
  CAMPAIGN_POLL_INTERVAL_S: '1',
  HELIX_DATA_DIR: dataDir,
  PORT: '0',
  WECOM_EMULATOR_PORT: '0',
  LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'error',
  PATH: process.env.PATH,
});
const log = createLogger({ level: config.log.level, name: 'helix-demo' });

say('Helix demo: starting Helix with embedded PostgreSQL (PGlite), a local Redis and the WeCom emulator…');
const helix = await runHelix(config, log, 'all', { clock });
let failures: string[] = ['the demo did not finish'];
try {
  const { url, emulator } = helix;
  if (!url || !emulator) throw new Error('the demo needs the web role and the built-in emulator');
  say(`  Helix ${url}   WeCom emulator ${emulator.url}`);
  say();
  const kit = await createDemoKit({ ...helix, url, emulator });
  await playCommunities(kit);
  // Passers-by open the channels' tracked poster links on Monday too; part 9 counts them as awareness.
  await openPosterLinks(kit);
  say();
  await playContent(kit);
  say();
  await playFaq(kit);
  say();
  await playCalendarWeek(kit, clock, weekStart);
  say();
  await playActivities(kit, clock);
  say();
  await playAnalytics(kit, weekStart);
  failures = kit.failures;
  say();
  say(`WeCom API calls Helix made: ${JSON.stringify(emulator.emulator.inspect().callCounts)}`);
} catch (err) {
  failures = [err instanceof Error ? err.message : String(err)];
} finally {
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
