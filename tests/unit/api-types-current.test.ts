import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/gen-api-types.ts';

/** Where two texts first part, as `line N: committed … / current …`; null when they are the same. */
function firstDifference(committed: string, current: string): string | null {
  if (committed === current) return null;
  const a = committed.split('\n');
  const b = current.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const n = i === -1 ? a.length : i;
  return `line ${n + 1}: committed ${JSON.stringify(a[n] ?? '(end of file)')}, current ${JSON.stringify(b[n] ?? '(end of file)')}`;
}

describe("the console's generated API types", () => {
  it('are what the API declares today', { timeout: 120_000 }, async () => {
    const file = path.relative(process.cwd(), API_TYPES_FILE);
    const committed = existsSync(API_TYPES_FILE) ? readFileSync(API_TYPES_FILE, 'utf8') : '';
    const difference = firstDifference(committed, await renderApiTypes());
    expect(
      difference,
      `${file} is not what the routes' contracts declare (${difference}): run npm run gen:api-types and commit the file`,
    ).toBeNull();
  });
});
