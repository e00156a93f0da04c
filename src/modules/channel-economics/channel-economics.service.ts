import { createHash } from 'node:crypto';
import type { Scope } from '../../platform/auth/scope.ts';
import { dateInZone } from '../../platform/calendar/dates.ts';
import { type Period, periodInstants, periodOf, periodsBack } from '../../platform/calendar/periods.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import { decodeUpload, type UploadEncoding } from '../../platform/text/decode-upload.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ChannelsRepository } from '../contacts/channels.repository.ts';
import type { ChannelEconomicsRepository, CostRow, ProfileRow } from './channel-economics.repository.ts';
import { parseRevenueCsv, REVENUE_LIMITS, type RevenueProblem } from './revenue-import.parser.ts';

/** A month as YYYY-MM. */
export type Month = string;

/** What happened to a revenue file: applied (new lines in, known refs skipped) or refused whole. */
export type RevenueImportOutcome =
  | {
      ok: true;
      importId: number;
      encoding: UploadEncoding;
      rows: number;
      accepted: number;
      /** Lines whose ref was imported before: skipped, so importing a file again adds nothing. */
      skipped: { line: number; ref: string }[];
    }
  | { ok: false; rows: number; problems: RevenueProblem[] };

/** The actor of a change, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** How many months a recompute or a report may span. */
export const MAX_MONTHS = 36;
/** How many months the nightly recompute covers, ending with the run date's month. */
export const NIGHTLY_MONTHS = 13;
/** A new client counts as touched when an RM touched them within this long of their acquisition. */
const TOUCH_WINDOW_MS = 30 * 86_400_000;

const monthPeriod = (m: Month): Period => periodOf('month', `${m}-01`);

/** The months from `from` to `to` (YYYY-MM, inclusive); throws a 400 when reversed or too long. */
export function monthsBetween(from: Month, to: Month): Month[] {
  if (from > to) {
    throw new AppError('bad_request', {
      message: `from (${from}) is after to (${to})`,
      zh: `起始月份（${from}）晚于结束月份（${to}）。`,
    });
  }
  const out: Month[] = [];
  for (let m = from; m <= to; m = monthPeriod(m).end.slice(0, 7)) {
    out.push(m);
    if (out.length > MAX_MONTHS) {
      throw new AppError('bad_request', {
        message: `at most ${MAX_MONTHS} months at a time`,
        zh: `一次最多 ${MAX_MONTHS} 个月。`,
      });
    }
  }
  return out;
}

/** Channel costs, the bank's revenue feed, and the monthly channel profiles with AAC and LROI. */
export type ChannelEconomicsService = ReturnType<typeof createChannelEconomicsService>;

/**
 * Creates the service. Months are calendar months in `timeZone` (the scheduler's). A channel's lump-sum
 * cost entered at creation (`channels.cost`) counts as cost of its creation month, on top of any monthly
 * entry for that month.
 */
export function createChannelEconomicsService(deps: {
  db: Db;
  repo: ChannelEconomicsRepository;
  channels: Pick<ChannelsRepository, 'find'>;
  audit: Pick<AuditRepository, 'append'>;
  clock: Clock;
  timeZone: string;
  newClientPeriodMs: number;
  log: Log;
}) {
  const notFound = (id: string) =>
    new AppError('not_found', { message: `no channel ${id}`, zh: `没有找到渠道 ${id}。` });
  async function channelIn(scope: Scope, id: string) {
    const channel = await deps.channels.find(deps.db, scope, id);
    if (!channel) throw notFound(id);
    return channel;
  }

  return {
    /** Today's date in the business time zone: the nightly run date a manual recompute stands in for. */
    today: () => dateInZone(deps.clock.now(), deps.timeZone),

    /** Enters (or replaces) a channel's cost for a month; audited with the previous entry. */
    async setCost(
      scope: Scope,
      channelId: string,
      month: Month,
      input: { cost: string; reach?: number | undefined; note?: string | undefined },
      actor: Actor,
    ): Promise<CostRow> {
      await channelIn(scope, channelId);
      const now = deps.clock.now();
      return deps.db.transaction(async (tx) => {
        const before = await deps.repo.findCost(tx, channelId, month);
        const row = await deps.repo.upsertCost(
          tx,
          {
            channelId,
            month,
            cost: input.cost,
            reach: input.reach ?? null,
            note: input.note ?? null,
            enteredBy: actor.name,
          },
          now,
        );
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'channel.cost.set',
          targetType: 'channel',
          targetId: channelId,
          details: {
            month,
            cost: row.cost,
            reach: row.reach,
            before: before ? { cost: before.cost, reach: before.reach } : null,
          },
          requestId: actor.requestId,
        });
        return row;
      });
    },

    /** A channel's cost entries, newest month first. */
    async costs(scope: Scope, channelId: string): Promise<CostRow[]> {
      await channelIn(scope, channelId);
      return deps.repo.costsOf(deps.db, channelId);
    },

    /**
     * Imports the bank's revenue CSV. Like the profile import it is all or nothing: every line is checked
     * first (fields, duplicate refs, unknown clients), and a file with any bad line changes nothing. A ref
     * imported before is skipped and reported, so a file imported twice adds nothing the second time.
     */
    async importRevenue(input: {
      file: Uint8Array;
      fileName: string | null;
      actor: Actor;
    }): Promise<RevenueImportOutcome> {
      const now = deps.clock.now();
      const decoded = decodeUpload(input.file);
      if (!decoded.ok) {
        return { ok: false, rows: 0, problems: [{ line: 1, field: '(file)', message: decoded.message }] };
      }
      const parsed = parseRevenueCsv(decoded.text, { timeZone: deps.timeZone, now });
      const lines = parsed.lines;
      const unknown = new Set(
        await deps.repo.unknownClients(deps.db, [...new Set(lines.map((l) => l.externalUserid))]),
      );
      const problems = [
        ...parsed.problems,
        ...lines
          .filter((l) => unknown.has(l.externalUserid))
          .map((l) => ({ line: l.line, field: 'external_userid', message: 'unknown client' })),
      ]
        // Stable: on one line, the field problems stay before the unknown client.
        .sort((a, b) => a.line - b.line)
        .slice(0, REVENUE_LIMITS.maxProblems);
      if (problems.length > 0) {
        deps.log.info({ rows: parsed.rows, problems: problems.length }, 'revenue import rejected');
        return { ok: false, rows: parsed.rows, problems };
      }
      const sha256 = createHash('sha256').update(input.file).digest('hex');
      const outcome = await deps.db.transaction(async (tx) => {
        const importId = await deps.repo.insertImport(tx, {
          actor: input.actor.name,
          fileName: input.fileName,
          sha256,
          rows: lines.length,
          accepted: 0,
          rejected: 0,
        });
        const inserted = new Set(await deps.repo.insertRevenue(tx, importId, lines));
        const skipped = lines.filter((l) => !inserted.has(l.ref)).map((l) => ({ line: l.line, ref: l.ref }));
        await deps.repo.finishImport(tx, importId, inserted.size, skipped.length);
        await deps.audit.append(tx, {
          actor: input.actor.name,
          action: 'revenue.import',
          targetType: 'revenue_import',
          targetId: String(importId),
          details: { fileName: input.fileName, sha256, rows: lines.length, accepted: inserted.size },
          requestId: input.actor.requestId,
        });
        return { importId, accepted: inserted.size, skipped };
      });
      deps.log.info(
        { importId: outcome.importId, rows: lines.length, accepted: outcome.accepted },
        'revenue import applied',
      );
      return { ok: true, encoding: decoded.encoding, rows: lines.length, ...outcome };
    },

    /**
     * Recomputes the profiles of the months from `from` to `to`, or of the 13 months ending with the
     * month of `runDate` (a local date); each month's rows are replaced in one transaction.
     */
    async recompute(q: { from: Month; to: Month } | { runDate: string }) {
      const months =
        'runDate' in q
          ? periodsBack('month', q.runDate, NIGHTLY_MONTHS).map((p) => p.start.slice(0, 7))
          : monthsBetween(q.from, q.to);
      const first = monthPeriod(months[0] as Month);
      const last = monthPeriod(months[months.length - 1] as Month);
      const from = periodInstants(first, deps.timeZone).from;
      const to = periodInstants(last, deps.timeZone).to;
      const rows = await deps.db.transaction((tx) =>
        deps.repo.recomputeProfiles(tx, {
          months: months.map((m) => `${m}-01`),
          from,
          to,
          timeZone: deps.timeZone,
          newClientPeriodMs: deps.newClientPeriodMs,
          touchWindowMs: TOUCH_WINDOW_MS,
          now: deps.clock.now(),
        }),
      );
      deps.log.info({ from: months[0], to: months.at(-1), rows }, 'channel profiles recomputed');
      return { from: months[0] as Month, to: months.at(-1) as Month, months: months.length, rows };
    },

    /** The stored profiles of the channels within `scope` for the months from `from` to `to`. */
    async profiles(scope: Scope, from: Month, to: Month): Promise<ProfileRow[]> {
      monthsBetween(from, to);
      return deps.repo.profiles(deps.db, { scope, from: `${from}-01`, to: `${to}-01` });
    },

    /** One channel within `scope` and its stored profiles for the months; 404 outside the scope. */
    async profileOf(scope: Scope, channelId: string, from: Month, to: Month) {
      monthsBetween(from, to);
      const channel = await channelIn(scope, channelId);
      const rows = await deps.repo.profiles(deps.db, {
        scope,
        from: `${from}-01`,
        to: `${to}-01`,
        channelId,
      });
      return { channel: { id: channel.id, name: channel.name }, rows };
    },
  };
}
