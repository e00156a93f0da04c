import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { decodeUpload } from '../../platform/text/decode-upload.ts';
import { RISK_LEVELS } from '../compliance/compliance.rules.ts';

/** One FAQ row as a TSV/CSV file carries it. */
export type FaqRow = {
  line: number;
  id: string;
  category: string;
  question: string;
  similar: string[];
  answer: string;
  tiers: string[];
  productRiskLevel: string | null;
  validFrom: string | null;
  validUntil: string | null;
};

/** A bad row: its line, the field, the reason. */
export type FaqRowProblem = { line: number; field: string; message: string };

const list = (v: string | undefined) =>
  (v ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);
const optionalDate = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')]);
const rowSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
  category: z.string().trim().min(1, 'is required').max(32),
  question: z.string().trim().min(1, 'is required').max(200),
  similar: z.string().max(10_000).default(''),
  answer: z.string().trim().min(1, 'is required').max(2000),
  tiers: z.string().max(200).default(''),
  risk_level: z.union([z.literal(''), z.enum(RISK_LEVELS)]).default(''),
  valid_from: optionalDate.default(''),
  valid_until: optionalDate.default(''),
});

/** Reads an uploaded FAQ file from its bytes, whatever encoding it arrived in (see `decodeUpload`). */
export function parseFaqUpload(
  bytes: Uint8Array,
  format: 'tsv' | 'csv',
): { ok: true; rows: FaqRow[] } | { ok: false; problems: FaqRowProblem[] } {
  const decoded = decodeUpload(bytes);
  if (!decoded.ok) return { ok: false, problems: [{ line: 1, field: '(file)', message: decoded.message }] };
  return parseFaqFile(decoded.text, format);
}

/** Reads an FAQ file (a header line; tab- or comma-separated; `|` between list items) and checks every row. */
export function parseFaqFile(
  text: string,
  format: 'tsv' | 'csv',
): { ok: true; rows: FaqRow[] } | { ok: false; problems: FaqRowProblem[] } {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      delimiter: format === 'tsv' ? '\t' : ',',
      columns: (h: string[]) => h.map((c) => c.trim()),
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      quote: format === 'tsv' ? false : '"',
    });
  } catch (err) {
    return {
      ok: false,
      problems: [
        {
          line: (err as { lines?: number }).lines ?? 1,
          field: '(file)',
          message: `unreadable: ${(err as Error).message}`,
        },
      ],
    };
  }
  const problems: FaqRowProblem[] = [];
  const rows: FaqRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        problems.push({ line: info.lines, field: i.path.join('.'), message: i.message });
      continue;
    }
    const r = parsed.data;
    const first = seen.get(r.id);
    if (first !== undefined) {
      problems.push({ line: info.lines, field: 'id', message: `duplicate of line ${first}` });
      continue;
    }
    seen.set(r.id, info.lines);
    if (r.valid_from && r.valid_until && r.valid_from > r.valid_until) {
      problems.push({ line: info.lines, field: 'valid_until', message: 'is before valid_from' });
      continue;
    }
    rows.push({
      line: info.lines,
      id: r.id,
      category: r.category,
      question: r.question,
      similar: list(r.similar),
      answer: r.answer,
      tiers: list(r.tiers),
      productRiskLevel: r.risk_level || null,
      validFrom: r.valid_from || null,
      validUntil: r.valid_until || null,
    });
  }
  if (records.length === 0) problems.push({ line: 1, field: '(file)', message: 'has no rows' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}
