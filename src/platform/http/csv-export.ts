import type { Response } from 'express';

/** A CSV cell: text, a number, a boolean or nothing. */
export type CsvCell = string | number | boolean | null | undefined;

// A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return first) is prefixed
// with an apostrophe, so an exported client name can never run in the reader's Excel.
const FORMULA = /^[=+\-@\t\r]/;

function cell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  if (typeof v === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV text of a header and rows: RFC 4180, CRLF line ends, UTF-8 with a BOM so Excel reads Chinese. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Sends a CSV download named `fileName` (ASCII, no path): `text/csv; charset=utf-8` with a BOM. */
export function sendCsv(
  res: Response,
  fileName: string,
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
): void {
  const safe = fileName.replace(/[^A-Za-z0-9_.-]/g, '_');
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .setHeader('Content-Disposition', `attachment; filename="${safe}"`)
    .send(toCsv(header, rows));
}
