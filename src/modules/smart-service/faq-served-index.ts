import { sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { DecisionThresholds } from './retrieval/decision-defaults.ts';
import { createFaqIndex } from './retrieval/faq-index.ts';
import type { Lexicon } from './retrieval/lexicon.loader.ts';

/** An approved FAQ version inside its validity window: what may be served to a client. */
export type ServableEntry = {
  /** The version row's id: a new id means the entry changed. */
  rowId: string;
  entryId: string;
  version: number;
  question: string;
  similar: string[];
  answer: string;
  category: string;
  tiers: string[];
  productRiskLevel: string | null;
};

/** The servable KB of this process and its retrieval index. */
export type ServedFaqIndex = ReturnType<typeof createServedFaqIndex>;

/**
 * Keeps this process's retrieval index equal to what may be served: the newest approved version of every
 * entry whose validity window contains today. Every process checks at most every `checkEveryMs` and applies
 * only what changed (an upsert or remove costs well under a millisecond), so a change made through any
 * replica reaches every web and worker process within seconds, and an entry that expires overnight goes.
 */
export function createServedFaqIndex(deps: {
  db: Db;
  lexicon: Lexicon;
  thresholds: DecisionThresholds;
  clock: Clock;
  log: Log;
  checkEveryMs: number;
}) {
  const index = createFaqIndex({ lexicon: deps.lexicon, thresholds: deps.thresholds });
  let served = new Map<string, ServableEntry>();
  let checkedAt = Number.NEGATIVE_INFINITY;

  /**
   * Applies KB changes. `handle` lets a caller inside a transaction read through it (embedded PGlite has one
   * connection, so a second one would wait for that transaction forever).
   */
  async function refresh(force = false, handle: Db | Tx = deps.db): Promise<void> {
    const now = Date.now();
    if (!force && now - checkedAt < deps.checkEveryMs) return;
    checkedAt = now;
    const today = deps.clock.now().toISOString().slice(0, 10);
    const rows = await queryRows<ServableEntry>(
      handle,
      sql`SELECT DISTINCT ON (entry_id) id::text AS "rowId", entry_id AS "entryId", version, question, "similar",
                 answer, category, tiers, product_risk_level AS "productRiskLevel"
          FROM faq_versions
          WHERE status = 'approved' AND (valid_from IS NULL OR valid_from <= ${today})
            AND (valid_until IS NULL OR valid_until >= ${today})
          ORDER BY entry_id, version DESC`,
    );
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
