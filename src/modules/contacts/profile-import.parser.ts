import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';

/** One validated profile row, as the bank's feed describes a client. Absent fields leave Helix's value. */
export type ProfileRow = {
  line: number;
  externalUserid: string;
  name?: string;
  birthday?: string;
  aumBand?: string;
  riskLevel?: string;
  tags?: string[];
  engagementScore?: number;
  ownerRm?: string;
  /** An activation event the feed reports with the profile (all three columns, or none). */
  activation?: { kind: string; at: Date; ref: string };
};

/** One problem in an import file: the line (1 = the CSV header), the field and the reason. */
export type ImportProblem = { line: number; field: string; message: string };

/** The outcome of reading a file: every row valid, or every problem found (nothing is applied then). */
export type ParsedImport =
  | { ok: true; rows: ProfileRow[] }
  | { ok: false; problems: ImportProblem[]; rows: number };

/** A file that cannot be read as rows at all; `line` is where reading stopped. */
class ImportFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Limits of one import; generous enough for a branch's whole book, small enough to hold in memory. */
export const IMPORT_LIMITS = { maxRows: 1_000_000, maxProblems: 1000 } as const;

const FIELDS = [
  'external_userid',
  'name',
  'birthday',
  'aum_band',
  'risk_level',
  'tags',
  'engagement_score',
  'owner_rm',
  'activated_kind',
  'activated_at',
  'activation_ref',
] as const;
type Field = (typeof FIELDS)[number];

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) && v >= '1900-01-01';
  }, 'is not a real date from 1900 on');
const tag = z.string().trim().min(1).max(32);

/** The activation columns: optional, but a row that has one must have all three. */
const ACTIVATION_FIELDS = ['activated_kind', 'activated_at', 'activation_ref'] as const;

/** The activation event kinds Helix counts unless configured otherwise. */
export const DEFAULT_ACTIVATION_KINDS = ['product_purchase', 'first_deposit'] as const;

/**
 * Validators per field; `bands` are the AUM band ids the tier policy defines, `kinds` the activation
 * event kinds configured.
 */
function fieldSchemas(bands: readonly string[], today: string, kinds: readonly string[]) {
  return {
    external_userid: id,
    name: z.string().trim().min(1).max(64),
    birthday: isoDate.refine((v) => v <= today, 'is in the future'),
    aum_band: z.string().refine((v) => bands.includes(v), `must be one of ${bands.join(', ')}`),
    risk_level: z.enum(['C1', 'C2', 'C3', 'C4', 'C5'], { message: 'must be one of C1, C2, C3, C4, C5' }),
    tags: z.array(tag).max(50),
    engagement_score: z.coerce.number().int('must be a whole number').min(0).max(100),
    owner_rm: id,
    activated_kind: z.string().refine((v) => kinds.includes(v), `must be one of ${kinds.join(', ')}`),
    // A date alone is taken as midnight UTC; a time must carry its offset.
    activated_at: z
      .union([isoDate.transform((v) => `${v}T00:00:00Z`), z.iso.datetime({ offset: true })], {
        message: 'must be a date (YYYY-MM-DD) or an ISO 8601 time with offset',
      })
      .transform((v) => new Date(v))
      .refine((d) => d.toISOString().slice(0, 10) <= today, 'is in the future'),
    activation_ref: z.string().trim().min(1).max(128),
  } satisfies Record<Field, z.ZodType>;
}

/**
 * Reads a CSV (header line required; tags separated by "|") or JSONL file and validates every row: the
 * field rules, unknown columns, and duplicate ids. Returns all rows, or all problems (up to a limit).
 */
export function parseProfileImport(
  text: string,
  opts: {
    format: 'csv' | 'jsonl';
    bands: readonly string[];
    today: string;
    activationKinds?: readonly string[];
  },
): ParsedImport {
  const schemas = fieldSchemas(opts.bands, opts.today, opts.activationKinds ?? DEFAULT_ACTIVATION_KINDS);
  const problems: ImportProblem[] = [];
  const rows: ProfileRow[] = [];
  const seen = new Map<string, number>();
  const problem = (line: number, field: string, message: string) => {
    if (problems.length < IMPORT_LIMITS.maxProblems) problems.push({ line, field, message });
  };

  let records: { line: number; values: Record<string, unknown> }[];
  try {
    records = opts.format === 'csv' ? readCsv(text) : readJsonl(text);
  } catch (err) {
    if (!(err instanceof ImportFileError)) throw err;
    return { ok: false, rows: 0, problems: [{ line: err.line, field: '(file)', message: err.message }] };
  }
  // A CSV names its columns once, in the header: report an unknown one there, not on every row.
  const unknownColumns = new Set<string>();
  if (opts.format === 'csv') {
    for (const key of Object.keys(records[0]?.values ?? {})) {
      if ((FIELDS as readonly string[]).includes(key)) continue;
      unknownColumns.add(key);
      problem(1, key, `unknown column; expected ${FIELDS.join(', ')}`);
    }
  }
  if (records.length > IMPORT_LIMITS.maxRows) {
    return {
      ok: false,
      rows: records.length,
      problems: [{ line: 1, field: '(file)', message: `more than ${IMPORT_LIMITS.maxRows} rows` }],
    };
  }
  for (const { line, values } of records) {
    const row: ProfileRow = { line, externalUserid: '' };
    const activation: Partial<Record<(typeof ACTIVATION_FIELDS)[number], unknown>> = {};
    let rowOk = true;
    for (const [key, raw] of Object.entries(values)) {
      if (unknownColumns.has(key)) continue;
      if (!(FIELDS as readonly string[]).includes(key)) {
        problem(line, key, `unknown field; expected ${FIELDS.join(', ')}`);
        rowOk = false;
        continue;
      }
      if (raw === undefined || raw === null || raw === '') continue;
      const field = key as Field;
      const input = field === 'tags' && typeof raw === 'string' ? raw.split('|') : raw;
      const parsed = schemas[field].safeParse(input);
      if (!parsed.success) {
        problem(line, field, parsed.error.issues[0]?.message ?? 'invalid');
        rowOk = false;
        continue;
      }
      if ((ACTIVATION_FIELDS as readonly string[]).includes(field)) {
        activation[field as (typeof ACTIVATION_FIELDS)[number]] = parsed.data;
        continue;
      }
      assign(row, field, parsed.data);
    }
    const given = ACTIVATION_FIELDS.filter((f) => f in activation);
    if (given.length > 0 && given.length < ACTIVATION_FIELDS.length) {
      for (const f of ACTIVATION_FIELDS.filter((f) => !(f in activation) && !(f in values && values[f]))) {
        problem(line, f, `is required with ${given.join(', ')}`);
      }
      rowOk = false;
    } else if (given.length === ACTIVATION_FIELDS.length) {
      row.activation = {
        kind: activation.activated_kind as string,
        at: activation.activated_at as Date,
        ref: activation.activation_ref as string,
      };
    }
    if (!row.externalUserid) {
      if (values.external_userid === undefined || values.external_userid === '') {
        problem(line, 'external_userid', 'is required');
      }
      continue;
    }
    const first = seen.get(row.externalUserid);
    if (first !== undefined) {
      problem(line, 'external_userid', `duplicate of line ${first}`);
      continue;
    }
    seen.set(row.externalUserid, line);
    if (rowOk) rows.push(row);
  }
  if (records.length === 0) problem(1, '(file)', 'has no rows');
  return problems.length > 0 ? { ok: false, problems, rows: records.length } : { ok: true, rows };
}

// Where each file column lands in a row.
const PROPERTY: Record<Field, keyof ProfileRow> = {
  external_userid: 'externalUserid',
  name: 'name',
  birthday: 'birthday',
  aum_band: 'aumBand',
  risk_level: 'riskLevel',
  tags: 'tags',
  engagement_score: 'engagementScore',
  owner_rm: 'ownerRm',
  // Gathered into `activation` instead (see parseProfileImport).
  activated_kind: 'activation',
  activated_at: 'activation',
  activation_ref: 'activation',
};

function assign(row: ProfileRow, field: Field, value: unknown): void {
  // The value was parsed by this field's schema, so it has the property's type.
  (row as Record<string, unknown>)[PROPERTY[field]] =
    field === 'tags' ? [...new Set(value as string[])] : value;
}

function readCsv(text: string): { line: number; values: Record<string, unknown> }[] {
  const out: { line: number; values: Record<string, unknown> }[] = [];
  try {
    const records = parseCsv(text.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim()),
      info: true,
      skip_empty_lines: true,
      trim: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    for (const r of records) out.push({ line: r.info.lines, values: r.record });
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new ImportFileError(e.lines ?? 1, `not valid CSV: ${e.message ?? 'parse error'}`);
  }
  return out;
}

function readJsonl(text: string): { line: number; values: Record<string, unknown> }[] {
  const out: { line: number; values: Record<string, unknown> }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]?.trim();
    if (!raw) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ImportFileError(i + 1, 'not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ImportFileError(i + 1, 'each line must be one JSON object');
    }
    out.push({ line: i + 1, values: value as Record<string, unknown> });
  }
  return out;
}
