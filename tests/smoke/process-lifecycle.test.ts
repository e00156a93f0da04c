import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/platform/process-files.ts';
import { freePort } from '../../src/platform/redis/local-redis-server.ts';
import { type Child, spawnCommand, spawnTs } from '../helpers/child-process.ts';
import { waitUntil } from '../helpers/infra.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/helix.js');

/** The embedded defaults of a fresh clone, in a data directory of the test's own. */
async function embeddedEnv() {
  return {
    HELIX_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'helix-life-')),
    PORT: String(await freePort()),
    WECOM_EMULATOR_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  };
}

/** The pid Helix logs on its "scheduler role started" line, and the local redis-server it recorded. */
async function started(child: Child, dataDir: string) {
  const line = await child.waitForLine('"scheduler role started', 60_000);
  const helixPid = (JSON.parse(line) as { pid: number }).pid;
  const redisDir = path.join(dataDir, 'redis');
  const pidFile = readdirSync(redisDir).find((n) => n.startsWith('redis-server-'));
  const redisPid = (
    JSON.parse(readFileSync(path.join(redisDir, pidFile ?? 'missing'), 'utf8')) as { pid: number }
  ).pid;
  return { helixPid, redisPid };
}

const gone = (pid: number, what: string) => waitUntil(() => !isProcessAlive(pid), 15_000, `${what} to exit`);

describe('Helix processes on the embedded defaults', () => {
  const children: Child[] = [];
  afterAll(() => {
    for (const c of children) c.proc.kill('SIGKILL');
  });

  it('holds its data directory alone, and SIGTERM to npm start stops Helix and its redis-server', async () => {
    const env = await embeddedEnv();
    const npm = spawnCommand('npm', ['start', '--silent'], env);
    children.push(npm);
    const { helixPid, redisPid } = await started(npm, env.HELIX_DATA_DIR);

    // A CLI command against the same embedded database is refused, naming the running process.
    const refused = await run(process.execPath, [BIN, 'token', 'create', '--role', 'ops'], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain(
      `is in use by another Helix process (pid ${helixPid}`,
    );
    expect((refused as { stderr: string }).stderr).not.toContain('    at ');

    npm.proc.kill('SIGTERM');
    await gone(helixPid, 'Helix');
    await gone(redisPid, 'its redis-server');
    // With the server gone, the CLI takes the directory.
    const { stdout } = await run(process.execPath, [BIN, 'token', 'create', '--role', 'ops'], { env });
    expect(JSON.parse(stdout)).toMatchObject({ role: 'ops' });
  }, 120_000);

  it('stops the redis-server that a killed Helix left running at the next start', async () => {
    const env = await embeddedEnv();
    const first = spawnTs(BIN, env, ['all']);
    children.push(first);
    const killed = await started(first, env.HELIX_DATA_DIR);
    first.proc.kill('SIGKILL');
    await first.exited;
    // kill -9 leaves no chance to stop the child.
    expect(isProcessAlive(killed.redisPid, 'redis-server')).toBe(true);

    const second = spawnTs(BIN, env, ['all']);
    children.push(second);
    const warning = await second.waitForLine('stopped a local redis-server left running', 60_000);
    expect(JSON.parse(warning)).toMatchObject({ pids: [killed.redisPid] });
    expect(isProcessAlive(killed.redisPid)).toBe(false);
    const { redisPid } = await started(second, env.HELIX_DATA_DIR);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(isProcessAlive(redisPid)).toBe(false);
  }, 120_000);
});
