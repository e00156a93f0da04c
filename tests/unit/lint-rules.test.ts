import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findMisplacedSql } from '../../scripts/lint/sql-placement.ts';

const run = promisify(execFile);
const REPO = path.resolve('.');

/** A scratch tree shaped like Helix, with the given files. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'helix-lint-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Runs the repository's dependency-cruiser rules over a scratch tree; resolves with exit code and output. */
async function cruise(root: string) {
  writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        allowImportingTsExtensions: true,
        noEmit: true,
      },
    }),
  );
  return run(
    path.join(REPO, 'node_modules/.bin/depcruise'),
    ['src', '--config', path.join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'err'],
    { cwd: root },
  ).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

describe('the SQL placement check', () => {
  it('reports SQL text and query builders outside repositories, with file and line', () => {
    const root = tree({
      'src/modules/offers/offers.service.ts':
        "import { sql } from 'drizzle-orm';\n\nexport const q = sql`SELECT id FROM offers WHERE id = 1`;\nexport const w = (db: any) => db.update(offers);\n",
      'src/modules/offers/offers.repository.ts': 'export const q = sql`SELECT id FROM offers`;\n',
      'src/modules/offers/offers.routes.ts': 'export const t = sql`now()`; // a fragment, not a statement\n',
    });
    expect(findMisplacedSql(root, ['src'])).toEqual([
      { file: 'src/modules/offers/offers.service.ts', line: 3, what: 'SQL text' },
      { file: 'src/modules/offers/offers.service.ts', line: 4, what: 'query builder .update()' },
    ]);
  });
});

describe('the SQL placement step of npm run lint', () => {
  it('exits non-zero on a misplaced statement and zero on the repository itself', async () => {
    const script = path.join(REPO, 'scripts/lint/sql-placement.ts');
    const misplaced = tree({
      'src/modules/offers/offers.routes.ts': 'export const q = sql`DELETE FROM offers WHERE id = 1`;\n',
    });
    const bad = await run(process.execPath, ['--import', 'tsx', script, misplaced], { cwd: REPO }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('src/modules/offers/offers.routes.ts:1: SQL text outside a *.repository.ts');
    await expect(
      run(process.execPath, ['--import', 'tsx', script, REPO], { cwd: REPO }),
    ).resolves.toBeTruthy();
  }, 30_000);
});

describe('the layering check', () => {
  it('fails on an upward import and names the rule', async () => {
    const root = tree({
      'src/modules/audit/audit.repository.ts': 'export const append = () => 1;\n',
      'src/platform/auth/tokens.ts':
        "import { append } from '../../modules/audit/audit.repository.ts';\nexport const x = append();\n",
    });
    const { code, out } = await cruise(root);
    expect(code).not.toBe(0);
    expect(out).toContain('platform-imports-upward');
  }, 30_000);

  it('fails on an import cycle, and passes a tree that imports downward only', async () => {
    const cyclic = tree({
      'src/modules/a/a.service.ts': "import { b } from '../b/b.service.ts';\nexport const a = () => b;\n",
      'src/modules/b/b.service.ts': "import { a } from '../a/a.service.ts';\nexport const b = () => a;\n",
    });
    const bad = await cruise(cyclic);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('no-circular');
    const clean = tree({
      'src/platform/clock.ts': 'export const now = () => 0;\n',
      'src/modules/a/a.service.ts': "import { now } from '../../platform/clock.ts';\nexport const a = now;\n",
      'src/app/web.ts': "import { a } from '../modules/a/a.service.ts';\nexport const w = a;\n",
    });
    expect((await cruise(clean)).code).toBe(0);
  }, 30_000);
});
