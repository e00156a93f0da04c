import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** A child process whose stdout lines can be awaited. */
export type Child = {
  proc: ChildProcess;
  /** Resolves with the first line (already seen or future) that contains `prefix`. */
  waitForLine: (prefix: string, timeoutMs?: number) => Promise<string>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string | null>;
};

/** Spawns a Node script (TypeScript through tsx) with `env`, collecting stdout lines. */
export function spawnTs(
  file: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
  nodeArgs: string[] = [],
): Child {
  return spawnCommand(
    process.execPath,
    [...nodeArgs, ...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file, ...args],
    env,
  );
}

/** Spawns any command with `env` (plus PATH and HOME), collecting stdout lines. */
export function spawnCommand(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
): Child {
  const proc = spawn(command, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (line.includes(w.prefix)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | string | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    proc,
    exited,
    waitForLine(prefix, timeoutMs = 30_000) {
      const seen = lines.find((l) => l.includes(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no "${prefix}" line within ${timeoutMs} ms; stderr:\n${stderr.slice(-2000)}`)),
          timeoutMs,
        );
        const onExit = () =>
          reject(new Error(`process exited before "${prefix}"; stderr:\n${stderr.slice(-2000)}`));
        proc.once('exit', onExit);
        waiters.push({
          prefix,
          resolve: (l) => {
            clearTimeout(timer);
            proc.off('exit', onExit);
            resolve(l);
          },
        });
      });
    },
  };
}

/** What a finished command printed, and how it exited. */
export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs the `helix` CLI (bin/helix.js) to completion with only PATH, HOME, LOG_LEVEL=error and `env` in its
 * environment, writing `input` (if any) to its stdin, and collects its output.
 */
export function runHelixCli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; input?: string | Buffer } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve('bin/helix.js'), ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'error', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A CLI may stop reading once its input is over a limit; the broken pipe that leaves is expected.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input);
  });
}
