import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { AppError } from './errors.ts';

/** What a lock or pid file records about the process that wrote it. */
export type ProcessRecord = { pid: number; command: string; startedAt: string };

/** Whether `pid` names a live process whose command line contains `expect` (when the OS tells us). */
export function isProcessAlive(pid: number, expect?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but owned by someone else, which still counts as running.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // Linux: a zombie (exited, not yet reaped by a parent that never waits) is not running.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    // A pid reused by an unrelated program is not ours.
    return expect ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(expect) : true;
  } catch {
    return true; // no /proc (macOS): trust the pid
  }
}

/** Reads a lock or pid file, or undefined when it is missing or unreadable. */
export function readProcessRecord(file: string): ProcessRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProcessRecord>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return {
      pid: parsed.pid,
      command: String(parsed.command ?? ''),
      startedAt: String(parsed.startedAt ?? ''),
    };
  } catch {
    return undefined;
  }
}

/** Writes `record` to `file` only if the file does not exist yet; false when it does. */
function createExclusive(file: string, record: ProcessRecord): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(record));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** This process, as a lock file records it. */
export function currentProcessRecord(): ProcessRecord {
  return {
    pid: process.pid,
    command: process.argv.slice(1).join(' ').slice(0, 200),
    startedAt: new Date().toISOString(),
  };
}

/**
 * Takes the exclusive lock `file` for this process, or refuses with a message naming the holder. A lock
 * left by a process that has died (crash, kill -9) is taken over. Returns the release function.
 */
export function acquireLockFile(file: string, what: string, hint: string): () => void {
  const me = currentProcessRecord();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, me)) {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readProcessRecord(file)?.pid === me.pid) rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    }
    const holder = readProcessRecord(file);
    if (holder && holder.pid !== me.pid && isProcessAlive(holder.pid, 'node')) {
      throw new AppError('conflict', {
        message: `${what} is in use by another Helix process (pid ${holder.pid}, "${holder.command}", started ${holder.startedAt}). ${hint}`,
      });
    }
    // The holder is gone (or the file is unreadable): the lock is stale. Remove it only if it still names
    // the dead holder, so two processes starting together do not remove each other's fresh lock.
    if (readProcessRecord(file)?.pid === holder?.pid) rmSync(file, { force: true });
  }
  throw new AppError('conflict', { message: `could not take the lock ${file}` });
}
