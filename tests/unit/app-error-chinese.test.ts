import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every refusal a person can meet through the API has a Chinese twin: each `new AppError(` in the folders
 * that answer HTTP callers passes `zh`, or says on the line before why it needs none (`// no zh: <reason>`,
 * for an error no person ever reads).
 */

const FOLDERS = ['src/modules', 'src/platform/auth', 'src/platform/http', 'src/app'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The `new AppError(` constructions in `text` without a `zh` property, as `file:line`. */
function missingZh(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'AppError') {
      const opts = node.arguments?.[1];
      const hasZh =
        opts !== undefined &&
        ts.isObjectLiteralExpression(opts) &&
        opts.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'zh');
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const excused = /\/\/ no zh: \S/.test(lines[line - 1] ?? '');
      if (!hasZh && !excused) out.push(`${file}:${line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('Chinese twins of API errors', () => {
  it('every new AppError( in modules, auth, http and app passes zh', () => {
    const files = FOLDERS.flatMap((f) => sourceFiles(f));
    expect(files.length).toBeGreaterThan(50);
    const sites = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return text.includes('new AppError(') ? [f] : [];
    });
    expect(sites.length).toBeGreaterThan(20);
    expect(sites.flatMap((f) => missingZh(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('finds a construction without zh, and accepts one excused on the line before', () => {
    const text = [
      "throw new AppError('not_found', { message: 'no such thing' });",
      "throw new AppError('conflict', { message: 'taken', zh: '已被占用。' });",
      '// no zh: read by the CLI only',
      "throw new AppError('internal', { message: 'lock lost' });",
      'const opts = { message: "x" };',
      "throw new AppError('bad_request', opts);",
    ].join('\n');
    expect(missingZh('x.ts', text)).toEqual(['x.ts:1', 'x.ts:6']);
  });
});
