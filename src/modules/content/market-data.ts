import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Log } from '../../platform/logger.ts';
import { fixedMarketData, type MarketDataProvider, type MarketReading } from './render.ts';

/**
 * Where the figures behind `market.*` variables come from: a bank's HTTP JSON feed, a file an operator or
 * a batch job writes, or (with neither configured) plainly labelled sample figures. The feed and the file
 * carry an as-of time, so a provider can say its figures are too old to send; nothing here throws into
 * rendering: a failure becomes a reading with no figures and a `problem` that says why.
 */

/** A provider of real figures with an as-of time: `read()` says whether they may be sent now. */
export type LiveMarketDataProvider = MarketDataProvider & {
  source: 'live';
  read(): Promise<MarketReading>;
};

/**
 * The demo's sample figures, labelled 'sample': used only when no feed or file is configured, so previews
 * and the demo render. A rendering with them is sendable in development only (content-render.service.ts).
 */
export const sampleMarketData = fixedMarketData({ csi300: 3921.45, csi300Change: -0.37, usdCny: 7.1052 });

/** A Helix variable name under `market.`: the same rule the content schema applies to `market.<key>`. */
export const MARKET_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,31}$/;

// A figure is a number or a short preformatted string (e.g. "7.1052"); anything longer is not a figure.
const figure = z.union([z.number().finite(), z.string().trim().min(1).max(64)]);
// ISO 8601 text (with its offset: a bare local time would be read in the server's zone) or epoch ms.
const asOfValue = z.union([z.string().min(1).max(64), z.number().finite()]).transform((v, ctx) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: `is not a date: ${String(v).slice(0, 64)}` });
    return z.NEVER;
  }
  return d;
});
const fileSchema = z.object({
  asOf: asOfValue,
  values: z.record(z.string().regex(MARKET_KEY), figure),
});

// A feed that stamps local time as UTC would look fresh for hours; a few minutes of clock skew is normal.
const FUTURE_TOLERANCE_MS = 5 * 60_000;
// A market snapshot is a few hundred bytes; a far larger answer is a misconfigured URL, not data.
const MAX_BODY_CHARS = 1_000_000;

/** A provider's parsed data before it is judged against the clock, or why there is none. */
type Snapshot = { values: Record<string, string | number>; asOf: Date } | { failure: string };

/** Why figures as of `asOf` may not be sent at `now`, or undefined when they are fresh enough. */
export function freshnessProblem(asOf: Date, now: Date, maxAgeMs: number): string | undefined {
  const age = now.getTime() - asOf.getTime();
  if (age > maxAgeMs)
    return `market data is stale: as of ${asOf.toISOString()}, older than ${Math.round(maxAgeMs / 60_000)} minutes`;
  if (age < -FUTURE_TOLERANCE_MS) return `market data is dated in the future: as of ${asOf.toISOString()}`;
  return undefined;
}

/** The value at a dotted path (`data.indices.CSI300.close`; array indexes as numbers), own keys only. */
export function valueAt(root: unknown, dotted: string): unknown {
  let cur = root;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Turns a snapshot into a reading at `now`: stale figures are kept (a preview shows them) but flagged. */
function judge(s: Snapshot, now: Date, maxAgeMs: number): MarketReading {
  if ('failure' in s) return { values: {}, problem: s.failure };
  const problem = freshnessProblem(s.asOf, now, maxAgeMs);
  return { values: s.values, asOf: s.asOf, ...(problem ? { problem } : {}) };
}

/** Picks the mapped fields out of a feed's JSON answer, validating each; every bad field is named. */
function mapFeed(body: unknown, fields: Readonly<Record<string, string>>, asOfField: string): Snapshot {
  const problems: string[] = [];
  const values: Record<string, string | number> = {};
  for (const [key, dotted] of Object.entries(fields)) {
    const raw = valueAt(body, dotted);
    const v = figure.safeParse(raw);
    if (v.success) values[key] = v.data;
    else problems.push(raw === undefined ? `${dotted} is missing` : `${dotted} is not a figure`);
  }
  const rawAsOf = valueAt(body, asOfField);
  const asOf = asOfValue.safeParse(rawAsOf);
  if (!asOf.success)
    problems.push(rawAsOf === undefined ? `${asOfField} is missing` : `${asOfField} is not a date`);
  if (problems.length > 0 || !asOf.success)
    return { failure: `market-data feed answered without usable data: ${problems.join('; ')}` };
  return { values, asOf: asOf.data };
}

/** Why a fetch failed, in an operator's words; never the URL, which may carry a credential. */
function fetchFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/**
 * A bank's internal market-data feed over HTTP: GET `url`, JSON, `fields` maps each Helix variable name to
 * a dotted path in the answer and `asOfField` names the as-of time. A snapshot (or a failure) is kept for
 * `cacheTtlMs`, so a batch of briefs costs one request and a feed that is down is not asked per client.
 * Concurrent reads share one request.
 */
export function createHttpMarketData(opts: {
  url: string;
  fields: Readonly<Record<string, string>>;
  asOfField: string;
  maxAgeMs: number;
  timeoutMs: number;
  cacheTtlMs?: number;
  clock: Clock;
  log?: Pick<Log, 'warn'>;
}): LiveMarketDataProvider {
  const ttl = opts.cacheTtlMs ?? 60_000;
  let cached: { at: number; snapshot: Snapshot } | undefined;
  let inFlight: Promise<Snapshot> | undefined;

  async function fetchSnapshot(): Promise<Snapshot> {
    // One deadline covers the headers and the body: a feed that stalls mid-answer is as unreachable.
    const signal = AbortSignal.timeout(opts.timeoutMs);
    let text: string;
    try {
      const res = await fetch(opts.url, { signal, headers: { accept: 'application/json' } });
      if (!res.ok) {
        await res.body?.cancel();
        return { failure: `market-data feed unavailable: HTTP ${res.status}` };
      }
      text = await res.text();
    } catch (err) {
      return { failure: `market-data feed unreachable: ${fetchFailure(err, opts.timeoutMs)}` };
    }
    if (text.length > MAX_BODY_CHARS)
      return { failure: `market-data feed answered ${text.length} characters, over ${MAX_BODY_CHARS}` };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return { failure: `market-data feed sent malformed JSON: ${(err as Error).message}` };
    }
    return mapFeed(body, opts.fields, opts.asOfField);
  }

  const refresh = (): Promise<Snapshot> => {
    inFlight ??= fetchSnapshot()
      .then((snapshot) => {
        cached = { at: opts.clock.now().getTime(), snapshot };
        if ('failure' in snapshot) opts.log?.warn({ problem: snapshot.failure }, 'market-data feed failed');
        return snapshot;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const read = async (): Promise<MarketReading> => {
    const fresh = cached && opts.clock.now().getTime() - cached.at < ttl;
    const snapshot = fresh && cached ? cached.snapshot : await refresh();
    return judge(snapshot, opts.clock.now(), opts.maxAgeMs);
  };
  return { source: 'live', read, get: async (key) => (await read()).values[key] };
}

/**
 * Figures from a file (JSON, or YAML for .yaml/.yml): `{ asOf, values: { csi300: 3921.45, … } }`. It is
 * read again whenever its modification time or size changes, so a batch job replacing it takes effect on
 * the next rendering without a restart.
 */
export function createFileMarketData(opts: {
  path: string;
  maxAgeMs: number;
  clock: Clock;
  log?: Pick<Log, 'warn'>;
}): LiveMarketDataProvider {
  let loaded: { stamp: string; snapshot: Snapshot } | undefined;
  const yaml = /\.ya?ml$/i.test(opts.path);

  async function load(): Promise<Snapshot> {
    let parsed: unknown;
    try {
      const text = await readFile(opts.path, 'utf8');
      parsed = yaml ? parseYaml(text) : JSON.parse(text);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      return e.code
        ? { failure: `market-data file unreadable: ${e.code}` }
        : { failure: `market-data file is not valid ${yaml ? 'YAML' : 'JSON'}: ${e.message}` };
    }
    const r = fileSchema.safeParse(parsed);
    if (!r.success) {
      const why = r.error.issues.map((i) => `${i.path.join('.') || '(file)'} ${i.message}`).join('; ');
      return { failure: `market-data file has no usable data: ${why}` };
    }
    return { values: r.data.values, asOf: r.data.asOf };
  }

  const read = async (): Promise<MarketReading> => {
    let stamp: string;
    try {
      const s = await stat(opts.path);
      stamp = `${s.mtimeMs}:${s.size}`;
    } catch (err) {
      loaded = undefined;
      return {
        values: {},
        problem: `market-data file unreadable: ${(err as { code?: string }).code ?? err}`,
      };
    }
    if (loaded?.stamp !== stamp) {
      loaded = { stamp, snapshot: await load() };
      const s = loaded.snapshot;
      if ('failure' in s) opts.log?.warn({ problem: s.failure }, 'market-data file unusable');
    }
    return judge(loaded.snapshot, opts.clock.now(), opts.maxAgeMs);
  };
  return { source: 'live', read, get: async (key) => (await read()).values[key] };
}
