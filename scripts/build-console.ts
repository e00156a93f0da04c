/**
 * Builds the ops console (console/ → console/dist) with Vite. `--if-stale` (run before `npm start`) skips
 * the build when dist is newer than every source file, so a restart costs nothing.
 * Run: `npm run build:console`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('../console', import.meta.url)));
const dist = path.join(root, 'dist', 'index.html');

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    if (e.name === 'dist' || e.name === 'node_modules') return m;
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

if (process.argv.includes('--if-stale') && existsSync(dist) && statSync(dist).mtimeMs >= newest(root)) {
  process.exit(0);
}
// Vite is a development dependency: an install without them (`npm ci --omit=dev`) serves a console built
// beforehand, and `npm start` must not fail for want of the builder.
let build: typeof import('vite').build;
try {
  ({ build } = await import('vite'));
} catch {
  process.stderr.write(
    'console not rebuilt: vite is not installed (npm install without --omit=dev builds it)\n',
  );
  process.exit(process.argv.includes('--if-stale') ? 0 : 1);
}
await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
process.stdout.write(`console built into ${path.relative(process.cwd(), path.dirname(dist))}\n`);
