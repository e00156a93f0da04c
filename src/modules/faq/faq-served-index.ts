import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { FaqRepository, ServableEntry } from './faq.repository.ts';
import type { DecisionThresholds } from './retrieval/decision-defaults.ts';
import { createFaqIndex } from './retrieval/faq-index.ts';
import type { Lexicon } from './retrieval/lexicon.loader.ts';

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
  lexicon: Lexicon;
  thresholds: DecisionThresholds;
  clock: Clock;
  log: Log;
}) {
  const index = createFaqIndex({ lexicon: deps.lexicon, thresholds: deps.thresholds });
  let served = new Map<string, ServableEntry>();
  let fingerprint = '';

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
    if (changed > 0) deps.log.info({ entries: rows.length, changed }, 'FAQ index updated');
  }

  return {
    refresh,
    /** The servable entry, if it is servable now. */
    get: (entryId: string): ServableEntry | undefined => served.get(entryId),
    /** Answer, clarify or hand off, over everything servable (tiers are the caller's to apply). */
    decide: (message: string) => index.decide(message),
    /** How many entries and questions are indexed. */
    size: () => index.size(),
  };
}
