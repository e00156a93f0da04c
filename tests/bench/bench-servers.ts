/**
 * Servers for the intake benchmark, one per child process so the load generator never shares their CPU:
 *   bare   — an Express app whose POST handler reads the body and answers an empty 200 (the baseline);
 *   web    — Helix's web role;
 *   worker — Helix's worker role;
 *   emulator — Helix's WeCom emulator with Helix's credentials and the `rm_0`…`rm_<n-1>` members (n = argv[3]),
 *              standing in for WeCom. On SIGTERM it prints `STATS <json>` (calls per API, app messages).
 * Prints `READY <url>` (or `READY worker`), stops on SIGTERM.
 */
import express from 'express';
import { openContext } from '../../src/app/context.ts';
import { buildWebApp, startWebServer } from '../../src/app/web.ts';
import { startConfiguredEmulator } from '../../src/app/wecom-runtime.ts';
import { startWorkerRole } from '../../src/app/worker.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/platform/logger.ts';

const role = process.argv[2];
const config = loadConfig();
const log = createLogger({ level: config.log.level });

if (role === 'bare') {
  const app = express();
  app.post('/wecom/callback', express.raw({ type: () => true, limit: '1mb' }), (_req, res) => {
    res.status(200).end();
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`READY http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else if (role === 'emulator') {
  const members = Number(process.argv[3] ?? '0');
  const running = await startConfiguredEmulator(config, log, { port: 0 });
  running.emulator.seed({ members: Array.from({ length: members }, (_, i) => ({ userid: `rm_${i}` })) });
  process.stdout.write(`READY ${running.url}\n`);
  process.once('SIGTERM', async () => {
    const snapshot = running.emulator.inspect();
    const stats = {
      calls: snapshot.callCounts,
      appMessagesReceived: snapshot.members.reduce((n, m) => n + m.appMessages.length, 0),
      appMessagesDroppedOverMemberLimit: snapshot.members.reduce((n, m) => n + m.droppedAppMessages, 0),
    };
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
    await running.close();
    process.exit(0);
  });
} else if (role === 'web' || role === 'worker') {
  const { ctx, close } = await openContext(config, log);
  if (role === 'web') {
    const web = buildWebApp(ctx);
    const server = await startWebServer(web, { port: 0, host: '127.0.0.1', drainMs: 1000 });
    process.stdout.write(`READY ${server.url}\n`);
    process.once('SIGTERM', async () => {
      await server.stopHttp();
      await web.close();
      await close();
      process.exit(0);
    });
  } else {
    const worker = await startWorkerRole(ctx);
    process.stdout.write('READY worker\n');
    process.once('SIGTERM', async () => {
      await worker.stopWorkers();
      await worker.closeQueues();
      await close();
      process.exit(0);
    });
  }
} else {
  process.stderr.write(`unknown role ${role}\n`);
  process.exit(2);
}
