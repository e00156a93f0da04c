import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import { type ConversionOutcome, type ExperimentResult, judgeExperiment } from './experiment-stats.ts';
import type { ExperimentCountRow, ExperimentsRepository } from './experiments.repository.ts';

/** One experiment as the report shows it: a component version with two or more variants that have results. */
export type ExperimentView = ExperimentResult & { componentId: string; title: string; version: number };

/** The experiments report for one conversion outcome, as seen from one scope. */
export type ExperimentsReport = {
  outcome: ConversionOutcome;
  minExposures: number;
  /** When the aggregate read was computed; null when it holds nothing for this scope. */
  computedAt: Date | null;
  experiments: ExperimentView[];
};

/** A/B experiment reports: the nightly aggregate's recompute, and the verdicts read from it. */
export type ExperimentsService = ReturnType<typeof createExperimentsService>;

/** Creates the experiments service on the aggregate repository, with the configured thresholds. */
export function createExperimentsService(deps: {
  db: Db;
  repo: ExperimentsRepository;
  minExposures: number;
  alpha: number;
  clock: Clock;
  log: Log;
}) {
  // Branch ops count their branch's clients; head office (and admin, compliance) every branch. An RM's
  // own clients are too few to judge an experiment on and are not stored per RM: the routes refuse RMs.
  const branchOf = (scope: Scope): string | null => {
    if (scope.kind === 'all') return null;
    if (scope.kind === 'branch') return scope.branch;
    throw new AppError('forbidden', {
      message: 'experiment results are not available per RM',
      zh: '客户经理无权查看实验结果。',
    });
  };

  const judge = async (rows: ExperimentCountRow[], outcome: ConversionOutcome, componentIds: string[]) => {
    const listings = await deps.repo.variantListings(deps.db, componentIds);
    const listingOf = (c: string, v: number) => listings.find((l) => l.componentId === c && l.version === v);
    const groups = new Map<string, ExperimentCountRow[]>();
    for (const r of rows) {
      const key = `${r.componentId}\u0000${r.version}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const out: ExperimentView[] = [];
    for (const g of groups.values()) {
      const first = g[0];
      if (!first || g.length < 2) continue;
      const listing = listingOf(first.componentId, first.version);
      const counts = g.map(({ variantId, exposed, converted }) => ({ variantId, exposed, converted }));
      const result = judgeExperiment(counts, listing?.variants ?? [], {
        outcome,
        alpha: deps.alpha,
        minExposures: deps.minExposures,
      });
      out.push({
        componentId: first.componentId,
        title: listing?.title ?? first.componentId,
        version: first.version,
        ...result,
      });
    }
    return out;
  };

  const computedAtOf = (rows: ExperimentCountRow[]) =>
    rows.reduce<Date | null>((max, r) => (max && max >= r.computedAt ? max : r.computedAt), null);

  return {
    /** Recomputes the whole aggregate in one transaction; what a nightly run or an admin's request does. */
    async recompute(): Promise<{ rows: number; computedAt: Date }> {
      const computedAt = deps.clock.now();
      const rows = await deps.db.transaction((tx) => deps.repo.replaceAll(tx, computedAt));
      deps.log.info({ rows }, 'experiment results recomputed');
      return { rows, computedAt };
    },

    /** Every component's newest version that has results for two or more variants, within `scope`. */
    async list(scope: Scope, outcome: ConversionOutcome): Promise<ExperimentsReport> {
      const rows = await deps.repo.counts(deps.db, { outcome, branch: branchOf(scope) });
      const ids = [...new Set(rows.map((r) => r.componentId))];
      const experiments = await judge(rows, outcome, ids);
      const newest = experiments.filter(
        (e) => !experiments.some((o) => o.componentId === e.componentId && o.version > e.version),
      );
      return {
        outcome,
        minExposures: deps.minExposures,
        computedAt: computedAtOf(rows),
        experiments: newest,
      };
    },

    /** One component's experiments, newest version first (none for an unknown component, like its outcomes). */
    async ofComponent(
      scope: Scope,
      componentId: string,
      outcome: ConversionOutcome,
    ): Promise<ExperimentsReport> {
      const rows = await deps.repo.counts(deps.db, { outcome, branch: branchOf(scope), componentId });
      const experiments = await judge(rows, outcome, [componentId]);
      experiments.sort((a, b) => b.version - a.version);
      return { outcome, minExposures: deps.minExposures, computedAt: computedAtOf(rows), experiments };
    },
  };
}
