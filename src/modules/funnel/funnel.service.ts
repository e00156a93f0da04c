import type { Counter } from 'prom-client';
import type { Scope } from '../../platform/auth/scope.ts';
import { addDays, dateInZone, type IsoDate } from '../../platform/calendar/dates.ts';
import { localMidnight, periodOf, periodsBack } from '../../platform/calendar/periods.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type {
  ChurnAlertRow,
  ChurnRow,
  CohortCell,
  FunnelBy,
  FunnelRepository,
  FunnelTotalsRow,
} from './funnel.repository.ts';

/** How many weeks of `funnel_weekly` a night recomputes: churn and late activations reach back this far. */
export const FUNNEL_WEEKS_RECOMPUTED = 8;
/** How many cohorts a night recomputes, and the most weeks after acquisition a cohort is followed. */
export const COHORT_WEEKS = 26;

/** What one recomputation wrote. */
export type RecomputeSummary = {
  runDate: IsoDate;
  weeks: { first: IsoDate; last: IsoDate };
  cohorts: { first: IsoDate; last: IsoDate };
  funnelRows: number;
  cohortRows: number;
  alertsRaised: number;
};

/** Who asked, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** A tracked link's outcome: where to send the visitor, or nothing (unknown, archived or no QR code). */
export type LinkOpen = { redirectTo: string } | null;

const weekOf = (d: IsoDate) => periodOf('week', d).start;
/** The longest range a report covers: two years of weeks. */
const MAX_RANGE_DAYS = 731;

/**
 * Creates the funnel service: tracked-link opens (awareness), the nightly set-based aggregation of the
 * funnel, retention cohorts and churn alerts (idempotent per period), and the reports over them. Weeks are
 * Monday-based in `timeZone` (SCHEDULER_TIMEZONE).
 */
export function createFunnelService(deps: {
  db: Db;
  repo: FunnelRepository;
  audit: Pick<AuditRepository, 'append'>;
  clock: Clock;
  log: Log;
  alertsRaised: Pick<Counter, 'inc'>;
  timeZone: string;
  churnAlert: { rate: number; min: number };
}) {
  const tz = deps.timeZone;

  /** Recomputes what `runDate`'s data can change, in one transaction. */
  async function recompute(runDate: IsoDate): Promise<RecomputeSummary> {
    const weeks = periodsBack('week', runDate, FUNNEL_WEEKS_RECOMPUTED);
    const cohorts = periodsBack('week', runDate, COHORT_WEEKS);
    const thisWeek = weeks[weeks.length - 1]!.start;
    const summary = await deps.db.transaction(async (tx) => {
      const funnelRows = await deps.repo.recomputeWeekly(tx, { first: weeks[0]!.start, last: thisWeek, tz });
      const cohortRows = await deps.repo.recomputeCohorts(tx, {
        first: cohorts[0]!.start,
        last: thisWeek,
        until: localMidnight(addDays(runDate, 1), tz),
        tz,
      });
      const alerts = await deps.repo.upsertChurnAlerts(tx, {
        week: thisWeek,
        tz,
        threshold: deps.churnAlert.rate,
        min: deps.churnAlert.min,
        now: deps.clock.now(),
      });
      return { funnelRows, cohortRows, raised: alerts.filter((a) => a.inserted) };
    });
    // After commit: a rolled-back night neither logs nor counts an alert it did not keep.
    for (const a of summary.raised) {
      deps.log.warn(
        {
          rm: a.rm,
          week: a.weekStart,
          churned: a.churned,
          base: a.base,
          rate: a.rate,
          threshold: a.threshold,
        },
        'churn alert: clients deleted this RM above the threshold',
      );
      deps.alertsRaised.inc();
    }
    return {
      runDate,
      weeks: { first: weeks[0]!.start, last: thisWeek },
      cohorts: { first: cohorts[0]!.start, last: thisWeek },
      funnelRows: summary.funnelRows,
      cohortRows: summary.cohortRows,
      alertsRaised: summary.raised.length,
    };
  }

  function checkRange(from: IsoDate, to: IsoDate): IsoDate {
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (days < 0)
      throw new AppError('bad_request', {
        message: '`from` must not be after `to`',
        zh: '开始日期不能晚于结束日期。',
      });
    if (days > MAX_RANGE_DAYS)
      throw new AppError('bad_request', {
        message: `a report covers at most ${MAX_RANGE_DAYS} days`,
        zh: `报表区间最长 ${MAX_RANGE_DAYS} 天。`,
      });
    return weekOf(from);
  }

  return {
    recompute,

    /** The business date now (SCHEDULER_TIMEZONE): what a manual recompute runs for by default. */
    today: (): IsoDate => dateInZone(deps.clock.now(), tz),

    /** Recomputes for `runDate` on request (admin or head-office ops), audited. */
    async recomputeAsked(runDate: IsoDate, actor: Actor): Promise<RecomputeSummary> {
      const out = await recompute(runDate);
      await deps.audit.append(deps.db, {
        actor: actor.name,
        action: 'funnel.recompute',
        targetType: 'funnel',
        targetId: runDate,
        details: { funnelRows: out.funnelRows, cohortRows: out.cohortRows, alertsRaised: out.alertsRaised },
        requestId: actor.requestId,
      });
      return out;
    },

    /**
     * A visitor opened the tracked link of the channel named by `state`: counts the open on today's
     * business date and says where the channel's QR code is. Unknown, archived or QR-less: null.
     */
    async openLink(state: string): Promise<LinkOpen> {
      const ch = await deps.repo.channelByState(deps.db, state);
      if (!ch || ch.archived) return null;
      const qr = ch.qrCode && /^https?:\/\//i.test(ch.qrCode) ? ch.qrCode : null;
      if (!qr) return null;
      await deps.repo.countLinkOpen(deps.db, ch.id, dateInZone(deps.clock.now(), tz));
      return { redirectTo: qr };
    },

    /** Funnel totals of the weeks that start in [week of `from`, `to`], grouped by `by`. */
    async totals(scope: Scope, q: { from: IsoDate; to: IsoDate; by: FunnelBy }): Promise<FunnelTotalsRow[]> {
      const fromWeek = checkRange(q.from, q.to);
      return deps.repo.totals(deps.db, { scope, fromWeek, toDate: q.to, by: q.by });
    },

    /** The retention matrix of the cohorts that start in [week of `from`, `to`]. */
    async cohorts(
      scope: Scope,
      q: { from: IsoDate; to: IsoDate; channelId?: string },
    ): Promise<CohortCell[]> {
      const fromWeek = checkRange(q.from, q.to);
      return deps.repo.cohorts(deps.db, {
        scope,
        fromWeek,
        toDate: q.to,
        ...(q.channelId ? { channelId: q.channelId } : {}),
      });
    },

    /** The week holding `day`: who deleted whom, and the week's alerts. */
    async churn(
      scope: Scope,
      day: IsoDate,
    ): Promise<{ week: IsoDate; rows: ChurnRow[]; alerts: ChurnAlertRow[] }> {
      const week = weekOf(day);
      const rows = await deps.repo.churn(deps.db, { scope, week });
      return { week, rows, alerts: await deps.repo.alerts(deps.db, { scope, week }) };
    },
  };
}

/** The funnel service. */
export type FunnelService = ReturnType<typeof createFunnelService>;
