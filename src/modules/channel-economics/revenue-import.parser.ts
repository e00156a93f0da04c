import { parse as parseCsv } from 'csv-parse/sync';
import { localMidnight } from '../../platform/calendar/periods.ts';

/** One problem in a revenue file: the line (1 = the header), the field and the reason. */
export type RevenueProblem = { line: number; field: string; message: string };

/** One valid revenue line, with where it was read. */
export type ParsedRevenueLine = {
  line: number;
  ref: string;
  externalUserid: string;
  amount: string;
  occurredAt: Date;
};

/**
 * The lines that passed, and every problem found (up to the cap). A file with `fatal` problems (unreadable,
 * wrong columns, too long) has no lines; otherwise the caller checks the good lines further.
 */
export type ParsedRevenue = { rows: number; lines: ParsedRevenueLine[]; problems: RevenueProblem[] };

/** Limits of one file: a month of the bank's feed fits; problems past the cap are not listed. */
export const REVENUE_LIMITS = { maxRows: 200_000, maxProblems: 1000 } as const;

const COLUMNS = ['external_userid', 'amount', 'occurred_at', 'ref'] as const;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const REF = /^[\x21-\x7E]{1,128}$/;
// At most 12 integer digits and 2 decimals: what numeric(14,2) holds. A leading minus is a correction.
const AMOUNT = /^-?\d{1,12}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `occurred_at` as an instant: a date alone is local midnight in `timeZone`; a time must carry its offset. */
function instantOf(v: string, timeZone: string): Date | undefined {
  if (DATE.test(v)) {
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || !d.toISOString().startsWith(v)) return undefined;
    return localMidnight(v, timeZone);
  }
  if (!TIME.test(v)) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Reads the bank's revenue CSV (header `external_userid,amount,occurred_at,ref`, any order) and checks every
 * line: required fields, amount, date (not in the future), and a ref repeated within the file. Whether the
 * good lines' clients exist is the service's check (it needs the database).
 */
export function parseRevenueCsv(text: string, opts: { timeZone: string; now: Date }): ParsedRevenue {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true,
      skip_empty_lines: true,
      trim: true,
      // csv-parse's types do not follow `info: true`, which wraps each record with where it was read.
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { rows: 0, lines: [], problems: [{ line, field: '(file)', message: 'malformed CSV' }] };
  }
  const problems: RevenueProblem[] = [];
  const problem = (line: number, field: string, message: string) => {
    if (problems.length < REVENUE_LIMITS.maxProblems) problems.push({ line, field, message });
  };
  const header = Object.keys(records[0]?.record ?? {});
  if (records.length === 0) problem(1, '(file)', 'has no rows');
  for (const c of COLUMNS.filter((c) => records.length > 0 && !header.includes(c))) {
    problem(1, c, 'missing column');
  }
  for (const c of header.filter((h) => !(COLUMNS as readonly string[]).includes(h))) {
    problem(1, c, `unknown column; expected ${COLUMNS.join(', ')}`);
  }
  if (records.length > REVENUE_LIMITS.maxRows) {
    return {
      rows: records.length,
      lines: [],
      problems: [{ line: 1, field: '(file)', message: `more than ${REVENUE_LIMITS.maxRows} rows` }],
    };
  }
  if (problems.length > 0) return { rows: records.length, lines: [], problems };

  const lines: ParsedRevenueLine[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const { external_userid: id = '', amount = '', occurred_at: at = '', ref = '' } = record;
    let ok = true;
    const bad = (field: string, message: string) => {
      problem(line, field, message);
      ok = false;
    };
    if (!ID.test(id)) bad('external_userid', id ? 'must be 1–64 letters, digits, "_" or "-"' : 'is required');
    if (!AMOUNT.test(amount)) {
      bad('amount', amount ? 'must be a number with at most 2 decimals (e.g. 1234.50)' : 'is required');
    }
    const occurredAt = at ? instantOf(at, opts.timeZone) : undefined;
    if (!occurredAt) {
      bad('occurred_at', at ? 'must be a date (YYYY-MM-DD) or an ISO 8601 time with offset' : 'is required');
    } else if (occurredAt > opts.now) bad('occurred_at', 'is in the future');
    if (!REF.test(ref)) bad('ref', ref ? 'must be 1–128 printable ASCII characters' : 'is required');
    else {
      const first = seen.get(ref);
      if (first !== undefined) bad('ref', `duplicate of line ${first}`);
      else seen.set(ref, line);
    }
    if (ok && occurredAt) lines.push({ line, ref, externalUserid: id, amount, occurredAt });
  }
  return { rows: records.length, lines, problems };
}
