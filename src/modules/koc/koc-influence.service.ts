import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import {
  INFLUENCE_MIN_PEOPLE,
  type InfluenceRow,
  type KocInfluenceRepository,
} from './koc-influence.repository.ts';

/** One engagement measure of a KOC's people: their rate, the baseline, and the lift in percentage points. */
export type InfluenceMeasure = { rate: number | null; baseline: number | null; liftPp: number | null };

/** A KOC's influence as reports show it: the counts, each measure, and the ranking's impact figure. */
export type KocInfluence = {
  externalUserid: string;
  brought: number;
  answered: number;
  invited: number;
  people: number;
  /** True when fewer than INFLUENCE_MIN_PEOPLE people: rates are shown, lifts are not. */
  tooFew: boolean;
  activated: InfluenceMeasure;
  retained: InfluenceMeasure;
  engaged: InfluenceMeasure;
  /** people × activated lift (pp): the ranking's key; null when too few or no baseline. */
  impact: number | null;
  computedAt: Date;
};

/** The measure of one rate against its baseline; no lift for a group too small to compare. */
export function measureOf(rate: number | null, baseline: number | null, tooFew: boolean): InfluenceMeasure {
  const liftPp = tooFew || rate === null || baseline === null ? null : (rate - baseline) * 100;
  return { rate, baseline, liftPp };
}

/** Turns a stored row into the figures reports show. */
export function influenceOf(r: InfluenceRow): KocInfluence {
  const tooFew = r.people < INFLUENCE_MIN_PEOPLE;
  const activated = measureOf(r.activatedRate, r.baselineActivatedRate, tooFew);
  return {
    externalUserid: r.externalUserid,
    brought: r.brought,
    answered: r.answered,
    invited: r.invited,
    people: r.people,
    tooFew,
    activated,
    retained: measureOf(r.retainedRate, r.baselineRetainedRate, tooFew),
    engaged: measureOf(r.engagedRate, r.baselineEngagedRate, tooFew),
    impact: activated.liftPp === null ? null : r.people * activated.liftPp,
    computedAt: r.computedAt,
  };
}

/**
 * Creates the KOC influence service: the nightly recompute of `koc_influence` (one transaction that
 * replaces every row, so a rerun gives the same table) and the reads reports make of it.
 */
export function createKocInfluenceService(deps: {
  db: Db;
  repo: KocInfluenceRepository;
  clock: Clock;
  /** The business time zone acquisition months are bucketed in. */
  timeZone: string;
  log: Log;
}) {
  return {
    /** Recomputes every KOC's influence; returns how many KOCs were written. */
    async recompute(): Promise<{ kocs: number }> {
      const now = deps.clock.now();
      const kocs = await deps.db.transaction((tx) =>
        deps.repo.recompute(tx, { timeZone: deps.timeZone, now }),
      );
      deps.log.info({ kocs }, 'koc influence recomputed');
      return { kocs };
    },

    /** KOCs within `scope` ranked by people × activated lift. */
    async ranking(scope: Scope, limit: number): Promise<KocInfluence[]> {
      return (await deps.repo.ranking(deps.db, { scope, limit })).map(influenceOf);
    },

    /** One KOC's influence, or null until the nightly job has computed it. Scope is the caller's check. */
    async of(id: string): Promise<KocInfluence | null> {
      const row = await deps.repo.find(deps.db, id);
      return row ? influenceOf(row) : null;
    },
  };
}

/** The KOC influence service. */
export type KocInfluenceService = ReturnType<typeof createKocInfluenceService>;
