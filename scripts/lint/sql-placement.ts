/**
 * `npm run lint` step: SQL lives only in a module's `*.repository.ts` (and in migrations and the database
 * platform code). Anything else that writes SQL text or drives a query builder is reported with file and
 * line, and the step fails. Run: `node --import tsx scripts/lint/sql-placement.ts [root]`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files allowed to hold SQL: repositories, table definitions, and the database platform itself. */
const ALLOWED = [/\.repository\.ts$/, /\.tables\.ts$/, /(^|\/)src\/platform\/db\//];
/** Raw SQL text in a `sql` tagged template. */
const SQL_TEMPLATE = /\bsql(?:\.raw)?\s*`([^`]*)`/gs;
const SQL_WORDS = /\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS|FOR\s+UPDATE)\b/i;
/** A query builder driven on a database or transaction handle. */
const BUILDER =
  /\b(?:db|tx|database\.db|deps\.db)\s*\.\s*(select|selectDistinct|insert|update|delete|execute)\s*\(/g;

/** One misplaced statement. */
export type Finding = { file: string; line: number; what: string };

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Every misplaced statement in the TypeScript files under `dirs` (relative to `root`). */
export function findMisplacedSql(root: string, dirs: string[]): Finding[] {
  const findings: Finding[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts')) check(full);
    }
  };
  const check = (full: string) => {
    const rel = path.relative(root, full).split(path.sep).join('/');
    if (ALLOWED.some((re) => re.test(rel))) return;
    const text = readFileSync(full, 'utf8');
    for (const m of text.matchAll(SQL_TEMPLATE)) {
      if (SQL_WORDS.test(m[1] ?? ''))
        findings.push({ file: rel, line: lineOf(text, m.index), what: 'SQL text' });
    }
    for (const m of text.matchAll(BUILDER)) {
      findings.push({ file: rel, line: lineOf(text, m.index), what: `query builder .${m[1]}()` });
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(process.argv[2] ?? '.');
  const findings = findMisplacedSql(root, ['src', 'bots']);
  for (const f of findings) {
    process.stderr.write(`${f.file}:${f.line}: ${f.what} outside a *.repository.ts\n`);
  }
  if (findings.length > 0) {
    process.stderr.write(
      `\n${findings.length} SQL statement(s) outside repositories. Move each into the owning module's *.repository.ts.\n`,
    );
    process.exit(1);
  }
}
