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
 * entry whose validity window contains today. Every process checks a cheap fingerprint of the approved set
 * before it answers and applies only the entries that changed (an upsert or remove costs well under a
 * millisecond), so an approval through any replica is served by every web and worker process from the next
 * question on, and an entry that expires overnight goes.
 */
export function createServedFaqIndex(deps: {
  db: Db;
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
    // Approving is the only way into the servable set and nothing leaves "approved", so this cheap
    // fingerprint changes exactly when a full read could differ (the date covers validity windows).
    const [f] = await queryRows<{ n: number; last: string | null }>(
      handle,
      sql`SELECT count(*)::int AS n, max(id)::text || '/' || COALESCE(max(reviewed_at)::text, '') AS last
          FROM faq_versions WHERE status = 'approved'`,
    );
    const print = `${today}:${f?.n}:${f?.last}`;
    if (print === fingerprint) return;
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
