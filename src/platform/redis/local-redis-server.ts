import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import { AppError } from '../errors.ts';

/** A redis-server child process Helix started for itself (dev and tests, when REDIS_URL is unset). */
export type LocalRedisServer = { url: string; port: number; stop: () => Promise<void> };

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
  const port = opts.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(opts.bin, args, { cwd: opts.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitUntilUp(child, url, opts.bin, opts.timeoutMs ?? 5000, () => stderr);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  // Do not leave an orphan behind if the parent exits without an orderly shutdown.
  process.once('exit', () => child.kill('SIGKILL'));
  return { url, port, stop };
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
