#!/usr/bin/env node
// The npm registry reachable from our build machines serves only some platform builds of packages that
// ship native binaries as optional dependencies (Biome's CLI, msgpackr-extract). `npm install` then leaves
// the other platforms out of package-lock.json, and `npm ci` refuses the lock as out of sync.
// This script adds lock entries for those platform packages with their os/cpu/libc, so `npm ci` knows to
// skip them on every other platform without fetching anything. Run it after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

// The suffix names the C library or ABI: gnu/gnueabihf are glibc, musl/musleabihf musl; msvc and eabi none.
const PLATFORM =
  /-(android|darwin|linux|win32|freebsd)-(arm64|x64|arm|ia32)(-(musl|gnu|msvc|eabi|gnueabihf|musleabihf))?$/;
let added = 0;
for (const entry of Object.values(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const m = PLATFORM.exec(name);
    if (packages[key] || !m) continue;
    const [, os, cpu, , libc] = m;
    packages[key] = {
      version: version.replace(/^[\^~]/, ''),
      cpu: [cpu],
      ...(libc?.startsWith('musl') || libc?.startsWith('gnu')
        ? { libc: [libc.startsWith('musl') ? 'musl' : 'glibc'] }
        : {}),
      license: entry.license ?? 'MIT',
      optional: true,
      os: [os],
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} foreign-platform lock entries\n`);
