import { createHash } from 'node:crypto';
import type { Db } from '../../../platform/db/client.ts';
import type { Log } from '../../../platform/logger.ts';
import type { AuditRepository } from '../../audit/audit.repository.ts';
import type { FaqService } from '../faq.service.ts';
import type { RankerFitsRepository } from '../ranker-fits.repository.ts';
import type { DecisionThresholds } from '../retrieval/decision-defaults.ts';
import type { Lexicon } from '../retrieval/lexicon.loader.ts';
import { type PoolCache, type RefitOptions, type RefitReport, refitRanker } from './ranker-refit.ts';

/** Pools kept for the next refit; beyond this many questions the cache starts afresh. */
const POOL_CACHE_MAX = 200_000;

/** The learning loop's refit, as a service: what the scheduled job and the ops endpoint run. */
export type RankerRefitService = ReturnType<typeof createRankerRefitService>;

/** What one refit did. */
export type RefitOutcome =
  | { id: number; status: 'deployed' | 'not_deployed'; report: RefitReport }
  | { id: null; status: 'skipped'; reason: string };

/**
 * Creates the service. A refit reads the served KB (approved entries with their similar questions), fits
 * (see ranker-refit.ts) without blocking answering, and records the result; a deployed fit is served by
 * every process from its next question, through the KB fingerprint. An unchanged KB is not refitted.
 */
export function createRankerRefitService(deps: {
  db: Db;
  faq: Pick<FaqService, 'refresh' | 'servedEntries'>;
  fits: RankerFitsRepository;
  audit: AuditRepository;
  lexicon: Lexicon;
  thresholds: DecisionThresholds;
  options?: Partial<RefitOptions>;
  log: Log;
}) {
  const { db, fits } = deps;
  let cache: PoolCache = new Map();
  return {
    async refit(actor: string, opts: { force?: boolean } = {}): Promise<RefitOutcome> {
      await deps.faq.refresh();
      const served = deps.faq.servedEntries().sort((a, b) => (a.entryId < b.entryId ? -1 : 1));
      const digest = createHash('sha256')
        .update(served.map((e) => `${e.entryId}@${e.rowId}`).join('\n'))
        .digest('hex')
        .slice(0, 32);
      if (!opts.force && digest === (await fits.latestDigest(db)))
        return { id: null, status: 'skipped', reason: 'the served KB has not changed since the last refit' };
      const current = await fits.deployed(db);
      const started = performance.now();
      const { report, fit } = await refitRanker({
        entries: served.map((e) => ({
          entryId: e.entryId,
          question: e.question,
          similar: e.similar,
          answer: e.answer,
        })),
        lexicon: deps.lexicon,
        thresholds: deps.thresholds,
        current: current?.fit ?? null,
        cache,
        ...(deps.options ? { options: deps.options } : {}),
      });
      if (cache.size > POOL_CACHE_MAX) cache = new Map();
      const { id, status, final } = await db.transaction(async (tx) => {
        await fits.lock(tx);
        // Another refit deployed while this one was fitting: it was judged against something else.
        const raced = (await fits.deployedId(tx)) !== (current?.id ?? null);
        const final: RefitReport =
          raced && report.deploy
            ? { ...report, deploy: false, reason: 'another refit was deployed meanwhile' }
            : report;
        const status = final.deploy && fit ? ('deployed' as const) : ('not_deployed' as const);
        const id = await fits.record(tx, {
          status,
          kbDigest: digest,
          examples: report.examples,
          actor,
          report: final,
          fit,
        });
        await deps.audit.append(tx, {
          actor,
          action: 'faq.ranker.refit',
          targetType: 'faq_ranker_fits',
          targetId: String(id),
          details: { status, reason: final.reason, examples: report.examples },
        });
        return { id, status, final };
      });
      deps.log.info(
        {
          fit: id,
          status,
          reason: final.reason,
          examples: report.examples,
          heldBack: report.heldBack,
          candidate: report.heldBackCandidate?.resolveRate,
          current: report.heldBackCurrent?.resolveRate,
          seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        },
        'FAQ ranker refit',
      );
      // This process serves a deployed fit at once; the others on their next question.
      await deps.faq.refresh();
      return { id, status, report: final };
    },

    /** The fit served now (without its weights), or null before the first deployment. */
    deployed: () => fits.deployedSummary(db),

    /** The latest refits, newest first (without their weights). */
    recent: (limit: number) => fits.recent(db, limit),
  };
}
