import { z } from 'zod';
import { AppError } from '../errors.ts';
import { invalidInput, problemDetails, zodProblems } from './validate.ts';

/** Page sizes every list route shares. */
export const PAGE_LIMITS = { default: 100, max: 500 } as const;

/** One page of a list: the items, and the cursor of the next page (`null` on the last one). */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** A position in a list: the sort key of the last item seen, one value per ORDER BY column. */
export type SortKey = readonly (string | number)[];

const cursorText = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor from this API');

/** The query fields every list takes; routes add their filters to these. */
export const pageFields = {
  limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.max).default(PAGE_LIMITS.default),
  cursor: cursorText.optional(),
};

/** Makes the opaque cursor for a sort key: base64url of its JSON, so clients never build one by hand. */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Reads a cursor back into the sort key shape `schema` describes (a zod tuple); anything else is a 400,
 * because a cursor only ever comes from a `nextCursor` this API returned.
 */
export function decodeCursor<S extends z.ZodType<SortKey>>(cursor: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new AppError('bad_request', {
      message: 'invalid cursor: pass the nextCursor of the previous page unchanged',
      zh: '翻页游标无效：请原样传回上一页返回的 nextCursor。',
      details: problemDetails([
        { en: 'cursor: is not a cursor from this list', zh: 'cursor: 不是此列表的翻页游标' },
      ]),
    });
  }
  return r.data;
}

/**
 * Parses a list route's query: `limit`, `cursor` and the route's own filters. An unknown parameter is
 * refused by name, so a caller sending `offset` or `page` learns at once that they would have received the
 * first page again and again.
 */
export function parseListQuery<S extends z.ZodRawShape>(
  filters: S,
  query: unknown,
): z.infer<z.ZodObject<S & typeof pageFields>> {
  const shape = { ...filters, ...pageFields };
  const given = typeof query === 'object' && query !== null ? Object.keys(query) : [];
  const unknown = given.filter((k) => !Object.hasOwn(shape, k));
  if (unknown.length > 0) {
    throw invalidInput(
      unknown.map((k) => ({
        en: `${k}: unknown query parameter; lists use cursor paging: ?limit= (1–${PAGE_LIMITS.max}) and ?cursor= (the nextCursor of the previous page)`,
        zh: `${k}: 未知的查询参数；列表按游标分页：?limit=（1–${PAGE_LIMITS.max}）和 ?cursor=（上一页返回的 nextCursor）`,
      })),
      'query',
    );
  }
  const r = z.object(shape).safeParse(query, { reportInput: true });
  if (r.success) return r.data;
  throw invalidInput(zodProblems(r.error.issues, 'query'), 'query');
}

/**
 * Cuts a page from rows fetched with `LIMIT limit + 1`: the extra row only says that there is a next page,
 * whose cursor is the sort key of the last item returned.
 */
export function toPage<R>(rows: R[], limit: number, keyOf: (row: R) => SortKey): Page<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** The same page with each item presented for the API. */
export const mapPage = <R, T>(page: Page<R>, present: (row: R) => T): Page<T> => ({
  items: page.items.map(present),
  nextCursor: page.nextCursor,
});
