import type { Scope } from '../../platform/auth/scope.ts';
import type { IsoDate } from '../../platform/calendar/dates.ts';
import { type PeriodKind, periodInstants, periodOf, periodsBack } from '../../platform/calendar/periods.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { RmScoresRepository, StoredScore } from './rm-scores.repository.ts';
import type { ScorePolicy } from './score-policy.ts';
import { type RmFigures, scoreRms } from './scoring.ts';
import type { DoneTouch, TouchesRepository } from './touches.repository.ts';

/** The per-RM figure queries of the modules that own the data, for [from, to). */
export type FigureSources = {
  clients: (
    db: Db | Tx,
    from: Date,
    to: Date,
  ) => Promise<{ rm: string; branch: string | null; activeClients: number; activations: number }[]>;
  handoffs: (
    db: Db | Tx,
    from: Date,
    to: Date,
  ) => Promise<{ rm: string; handoffs: number; kept: number; medianMinutes: number | null }[]>;
  tasks: (
    db: Db | Tx,
    from: Date,
    to: Date,
    onTimeHours: number,
  ) => Promise<{ rm: string; tasks: number; tasksOnTime: number; tasksLate: number; deliveries: number }[]>;
  wonClaims: (db: Db | Tx, from: Date, to: Date) => Promise<{ rm: string; wonClaims: number }[]>;
  clicks: (db: Db | Tx, from: Date, to: Date) => Promise<{ rm: string; clicks: number }[]>;
};

/** The engagement scoring service (see `createScoringService`). */
export type ScoringService = ReturnType<typeof createScoringService>;

/** A period named by kind and a date inside it. */
export type PeriodQuery = { kind: PeriodKind; date: IsoDate };

const byRm = <T extends { rm: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.rm, r]));

/**
 * Computes, stores and reads RM engagement scores. Figures come from one set-based query per owning
 * module; they are combined here (a few numbers per RM) and a period's rows are replaced in one transaction.
 */
export function createScoringService(deps: {
  db: Db;
  scores: RmScoresRepository;
  touches: Pick<TouchesRepository, 'doneFiguresByRm' | 'doneForRm'>;
  figures: FigureSources;
  policy: () => ScorePolicy;
  rmVisible: (db: Db, scope: Scope, rm: string) => Promise<boolean>;
  audit: Pick<AuditRepository, 'append'>;
  timeZone: string;
  clock: Clock;
  log: Log;
}) {
  const bounds = (q: PeriodQuery) => {
    const period = periodOf(q.kind, q.date);
    return { period, ...periodInstants(period, deps.timeZone) };
  };

  async function figuresFor(from: Date, to: Date, policy: ScorePolicy): Promise<RmFigures[]> {
    const db = deps.db;
    const [clients, handoffs, tasks, touches, claims, clicks] = await Promise.all([
      deps.figures.clients(db, from, to),
      deps.figures.handoffs(db, from, to).then(byRm),
      deps.figures.tasks(db, from, to, policy.onTimeHours).then(byRm),
      deps.touches.doneFiguresByRm(db, from, to).then(byRm),
      deps.figures.wonClaims(db, from, to).then(byRm),
      deps.figures.clicks(db, from, to).then(byRm),
    ]);
    return clients.map((c) => {
      const h = handoffs.get(c.rm);
      const t = tasks.get(c.rm);
      const x = touches.get(c.rm);
      return {
        rm: c.rm,
        branch: c.branch,
        activeClients: c.activeClients,
        activations: c.activations,
        handoffs: h?.handoffs ?? 0,
        handoffsKept: h?.kept ?? 0,
        medianTakeoverMinutes:
          h?.medianMinutes === null || h === undefined ? null : Math.round(h.medianMinutes * 10) / 10,
        tasks: t?.tasks ?? 0,
        tasksOnTime: t?.tasksOnTime ?? 0,
        tasksLate: t?.tasksLate ?? 0,
        deliveries: t?.deliveries ?? 0,
        touchedClients: x?.touchedClients ?? 0,
        emotionalTouches: x?.emotionalTouches ?? 0,
        wonClaims: claims.get(c.rm)?.wonClaims ?? 0,
        clicks: clicks.get(c.rm)?.clicks ?? 0,
      };
    });
  }

  async function findScore(scope: Scope, q: PeriodQuery, rm: string): Promise<StoredScore> {
    const { period } = bounds(q);
    const row = await deps.scores.score(deps.db, scope, { kind: q.kind, start: period.start, rm });
    if (!row) {
      throw new AppError('not_found', {
        message: `no ${q.kind} score of RM ${rm} for ${period.start} within your scope`,
        zh: `在您的权限范围内没有该客户经理 ${period.start} 的评分。`,
      });
    }
    return row;
  }

  return {
    /** Scores every RM for the period of `kind` holding `date` and replaces that period's rows. */
    async computePeriod(kind: PeriodKind, date: IsoDate): Promise<{ rms: number; seconds: number }> {
      const started = performance.now();
      const policy = deps.policy();
      const { period, from, to } = bounds({ kind, date });
      const scores = scoreRms(await figuresFor(from, to, policy), policy);
      const at = deps.clock.now();
      await deps.db.transaction((tx) =>
        deps.scores.replacePeriod(
          tx,
          { kind, start: period.start, policyVersion: policy.version, at },
          scores,
        ),
      );
      const seconds = Math.round(performance.now() - started) / 1000;
      deps.log.info({ kind, periodStart: period.start, rms: scores.length, seconds }, 'rm engagement scored');
      return { rms: scores.length, seconds };
    },

    /** Runs computePeriod for someone and audits it. */
    async recompute(q: PeriodQuery, actor: { name: string; requestId: string | null }) {
      const out = await this.computePeriod(q.kind, q.date);
      await deps.audit.append(deps.db, {
        actor: actor.name,
        action: 'engagement.recompute',
        targetType: 'rm_scores',
        targetId: `${q.kind}:${periodOf(q.kind, q.date).start}`,
        details: { rms: out.rms },
        requestId: actor.requestId,
      });
      return out;
    },

    /** The period's ranking within scope; `computedAt` null when the period has not been computed. */
    async ranking(scope: Scope, q: PeriodQuery & { branch?: string; limit: number }) {
      const { period } = bounds(q);
      const computedAt = await deps.scores.computedAt(deps.db, q.kind, period.start);
      const rows = computedAt
        ? await deps.scores.ranking(deps.db, scope, {
            kind: q.kind,
            start: period.start,
            limit: q.limit,
            ...(q.branch !== undefined ? { branch: q.branch } : {}),
          })
        : [];
      return { period, computedAt, rows };
    },

    /** One RM's score explained component by component, and the score of the last 8 periods of the kind. */
    async explain(scope: Scope, q: PeriodQuery, rm: string) {
      const row = await findScore(scope, q, rm);
      const periods = periodsBack(q.kind, q.date, 8);
      const stored = new Map(
        (
          await deps.scores.trend(
            deps.db,
            q.kind,
            rm,
            periods.map((p) => p.start),
          )
        ).map((t) => [t.periodStart, t.score]),
      );
      return {
        row,
        period: periodOf(q.kind, q.date),
        trend: periods.map((p) => ({ periodStart: p.start, score: stored.get(p.start) ?? null })),
      };
    },

    /** The touch-log rows behind the coverage or emotional component of one RM's period, newest first. */
    async touches(
      scope: Scope,
      q: PeriodQuery & { rm: string; component: 'coverage' | 'emotional'; limit: number },
      before: { at: string; id: string } | undefined,
    ): Promise<DoneTouch[]> {
      if (!(await deps.rmVisible(deps.db, scope, q.rm))) {
        throw new AppError('not_found', {
          message: `no RM ${q.rm} within your scope`,
          zh: '在您的权限范围内没有该客户经理。',
        });
      }
      const { from, to } = bounds(q);
      return deps.touches.doneForRm(
        deps.db,
        { rm: q.rm, from, to, emotionalOnly: q.component === 'emotional' },
        before,
        q.limit,
      );
    },
  };
}
