import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { FaqRepository, ServableEntry } from './faq.repository.ts';
import { fitAdjuster } from './learning/ranker-refit.ts';
import type { RankerFitsRepository } from './ranker-fits.repository.ts';
import type { DecisionThresholds } from './retrieval/decision-defaults.ts';
import { createFaqIndex, type ScoreAdjuster } from './retrieval/faq-index.ts';
import type { Lexicon } from './retrieval/lexicon.loader.ts';

/**
 * What a refit of the learning loop deployed: the supervised model's evidence for a query's candidates, and
 * the thresholds calibrated together with it.
 */
export type LearnedRanker = {
  /** Identifies the fit (in logs and the status report). */
  version: string;
  adjust: ScoreAdjuster;
  thresholds: DecisionThresholds;
};

/** The sum of two adjusters (either may be absent). */
export function combineAdjusters(a?: ScoreAdjuster, b?: ScoreAdjuster): ScoreAdjuster | undefined {
  if (!a || !b) return a ?? b;
  return (ids, query) => {
    const x = a(ids, query);
    const y = b(ids, query);
    return ids.map((_, i) => (x[i] ?? 0) + (y[i] ?? 0));
  };
}

/** The servable KB of this process and its retrieval index. */
export type ServedFaqIndex = ReturnType<typeof createServedFaqIndex>;

/**
 * Keeps this process's retrieval index equal to what may be served: the newest approved version of every
 * entry whose validity window contains today. Every process checks a cheap fingerprint of the approved set
 * before it answers and applies only the entries that changed (an upsert or remove costs well under a
 * millisecond), so an approval through any replica is served by every web and worker process from the next
 * question on, and an entry that expires overnight goes.
 */
export function createServedFaqIndex(deps: {
  db: Db;
  repo: Pick<FaqRepository, 'approvedFingerprint' | 'servable'>;
  /** The learning loop's refits: the deployed one is served with (none: the shipped ranker alone). */
  fits: Pick<RankerFitsRepository, 'deployedId' | 'deployed'>;
  lexicon: Lexicon;
  thresholds: DecisionThresholds;
  clock: Clock;
  log: Log;
}) {
  const index = createFaqIndex({ lexicon: deps.lexicon, thresholds: deps.thresholds });
  let served = new Map<string, ServableEntry>();
  let fingerprint = '';
  let learned: LearnedRanker | null = null;
  let learnedId: number | null = null;

  /**
   * Applies KB changes. `handle` lets a caller inside a transaction read through it (embedded PGlite has one
   * connection, so a second one would wait for that transaction forever).
   */
  async function refresh(handle: Db | Tx = deps.db): Promise<void> {
    const today = deps.clock.now().toISOString().slice(0, 10);
    // The date is part of the print because it moves validity windows (see approvedFingerprint).
    const print = `${today}:${await deps.repo.approvedFingerprint(handle)}`;
    if (print === fingerprint) return;
    const rows = await deps.repo.servable(handle, today);
    const next = new Map(rows.map((r) => [r.entryId, r]));
    let changed = 0;
    for (const id of served.keys()) {
      if (!next.has(id)) {
        index.remove(id);
        changed++;
      }
    }
    for (const r of rows) {
      if (served.get(r.entryId)?.rowId === r.rowId) continue;
      index.upsert({
        id: r.entryId,
        question: r.question,
        similar: r.similar,
        answer: r.answer,
        category: r.category,
      });
      changed++;
    }
    served = next;
    fingerprint = print;
    const fitId = await deps.fits.deployedId(handle);
    if (fitId !== learnedId) {
      const d = fitId === null ? null : await deps.fits.deployed(handle);
      learned = d
        ? {
            version: `fit-${d.id}`,
            adjust: fitAdjuster(d.fit),
            // The fit chose these three; the rest (maxQueryChars, how many choices) stay as configured.
            thresholds: {
              ...deps.thresholds,
              answerThreshold: d.fit.thresholds.answerThreshold,
              clarifyThreshold: d.fit.thresholds.clarifyThreshold,
              clarifyMinShare: d.fit.thresholds.clarifyMinShare,
            },
          }
        : null;
      learnedId = d?.id ?? null;
      deps.log.info(
        { fit: learnedId },
        learned ? 'FAQ learned ranker deployed' : 'FAQ serves the shipped ranker',
      );
    }
    if (changed > 0) deps.log.info({ entries: rows.length, changed }, 'FAQ index updated');
  }

  return {
    refresh,
    /** The servable entry, if it is servable now. */
    get: (entryId: string): ServableEntry | undefined => served.get(entryId),
    /**
     * Answer, clarify or hand off, over everything servable (tiers are the caller's to apply), with the
     * deployed learned ranker if any, plus `extra` evidence for this one query (dense similarity, say).
     */
    decide: (message: string, extra?: ScoreAdjuster) =>
      index.decide(message, learned?.thresholds ?? deps.thresholds, combineAdjusters(learned?.adjust, extra)),
    /** The deployed learned ranker, if any. */
    learned: (): LearnedRanker | null => learned,
    /** The ids of every servable entry. */
    entryIds: (): string[] => [...served.keys()],
    /** How many entries and questions are indexed. */
    size: () => index.size(),
  };
}
