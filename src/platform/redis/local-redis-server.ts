import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import { isProcessAlive, readProcessRecord } from '../process-files.ts';

const PID_FILE = /^redis-server-(\d+)\.pid$/;

/**
 * A redis-server Helix started records itself in `dir` as `redis-server-<port>.pid`, with the Helix process
 * that owns it. A Helix that died by kill -9 cannot stop its child, so the next start stops every recorded
 * redis-server whose owner is gone. Returns the pids it stopped.
 */
export async function stopOrphanedRedisServers(dir: string): Promise<number[]> {
  const stopped: number[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return stopped;
  }
  for (const name of names.filter((n) => PID_FILE.test(n))) {
    const file = path.join(dir, name);
    const rec = readProcessRecord(file) as ({ ownerPid?: number } & { pid: number }) | undefined;
    if (rec?.ownerPid && isProcessAlive(rec.ownerPid, 'node')) continue; // a running Helix's own Redis
    if (rec && isProcessAlive(rec.pid, 'redis-server')) {
      process.kill(rec.pid, 'SIGTERM');
      const deadline = Date.now() + 3000;
      while (isProcessAlive(rec.pid, 'redis-server') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      if (isProcessAlive(rec.pid, 'redis-server')) process.kill(rec.pid, 'SIGKILL');
      stopped.push(rec.pid);
    }
    rmSync(file, { force: true });
  }
  return stopped;
}

/** A redis-server child process Helix started for itself (dev and tests, when REDIS_URL is unset). */
export type LocalRedisServer = {
  url: string;
  port: number;
  /** Pids of redis-servers left behind by a Helix that died, stopped before this one started. */
  orphansStopped: number[];
  stop: () => Promise<void>;
};

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server` on 127.0.0.1:`port` (a free one by default), without persistence: Redis is never the
 * only copy of anything Helix must keep. Rejects with a clear message when the binary is not installed.
 */
export async function startLocalRedisServer(opts: {
  bin: string;
  dir: string;
  port?: number;
  timeoutMs?: number;
}): Promise<LocalRedisServer> {
  mkdirSync(opts.dir, { recursive: true });
  const orphans = await stopOrphanedRedisServers(opts.dir);
  const port = opts.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(opts.bin, args, { cwd: opts.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `redis://127.0.0.1:${port}`;
  const pidFile = path.join(opts.dir, `redis-server-${port}.pid`);
  if (child.pid !== undefined) {
    writeFileSync(
      pidFile,
      JSON.stringify({
        pid: child.pid,
        ownerPid: process.pid,
        command: `redis-server --port ${port}`,
        startedAt: new Date().toISOString(),
      }),
    );
  }
  try {
    await waitUntilUp(child, url, opts.bin, opts.timeoutMs ?? 5000, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(pidFile, { force: true });
    throw err;
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      rmSync(pidFile, { force: true });
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
    rmSync(pidFile, { force: true });
  };
  // Do not leave an orphan behind if the parent exits without an orderly shutdown.
  process.once('exit', () => child.kill('SIGKILL'));
  return { url, port, orphansStopped: orphans, stop };
}

async function waitUntilUp(
  child: ChildProcess,
  url: string,
  bin: string,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOENT';
      reject(
        new AppError('unavailable', {
          message: missing
            ? `redis-server not found (looked for "${bin}"). Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), set REDIS_SERVER_BIN to its path, or set REDIS_URL to a running Redis.`
            : `could not start ${bin}: ${err.message}`,
          cause: err,
        }),
      );
    });
    child.once('exit', (code) =>
      reject(new AppError('unavailable', { message: `${bin} exited with code ${code}: ${stderr().trim()}` })),
    );
  });
  const deadline = Date.now() + timeoutMs;
  const probe = async () => {
    while (Date.now() < deadline) {
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        client.disconnect();
      }
    }
    throw new AppError('unavailable', { message: `${bin} did not answer on ${url} within ${timeoutMs} ms` });
  };
  spawnError.catch(() => {}); // observed through the race below; later events are irrelevant
  await Promise.race([probe(), spawnError]);
  child.removeAllListeners('exit');
}
