import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages } from '../../console/src/messages.ts';

const SRC = path.resolve('console/src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
const sources = files(SRC).filter((f) => /\.(tsx?|css)$/.test(f) && !f.endsWith('messages.ts'));
const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;

describe('the console message catalogue', () => {
  it('holds every Chinese string: no component has one of its own', () => {
    const offenders = sources.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(SRC, f)}:${i + 1}` }))
        .filter(({ line }) => CJK.test(line.replace(/\/\/.*$|\/\*.*?\*\//g, '')))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has a text for every key the components use', () => {
    const used = new Set(
      sources.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]!),
      ),
    );
    expect([...used].filter((k) => !(k in messages))).toEqual([]);
    expect(used.size).toBeGreaterThan(20);
  });
});
