import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import { isRedisUnavailableError } from '../../platform/redis/connection.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { FlashSalesRepository } from './flash-sales.repository.ts';
import {
  type ClaimOutcome,
  checkEligibility,
  type EligibilityFacts,
  hasRules,
  type IneligibleReason,
  saleNamedBy,
} from './flash-sales.rules.ts';
import type { FlashSaleStore } from './flash-sales.store.ts';
import type { FlashEligibility, FlashSaleRow } from './flash-sales.tables.ts';

/** The points port (the points module's `spend`), for offers that cost points: spent, or too few points. */
export type SpendPoints = (
  tx: Tx,
  s: {
    externalUserid: string;
    amount: number;
    reason: string;
    source: { type: 'claim'; id: string };
    actor: string;
  },
) => Promise<'spent' | 'insufficient'>;

/** Rolls a claim's transaction back when the client's points do not cover the offer. */
class InsufficientPoints extends Error {}

/** A sale ops ask for. */
export type NewFlashSale = {
  id: string;
  name: string;
  itemName: string;
  stock: number;
  keyword?: string;
  eligibility?: FlashEligibility;
  opensAt: Date;
  closesAt: Date;
  returnUnclaimed?: boolean;
  redeemWithinHours?: number;
  pointsCost?: number;
};

/** What a claim got; `reason` with not_eligible. */
export type ClaimResult = { outcome: ClaimOutcome; reason?: IneligibleReason; sale: FlashSaleRow };

/** How a claim arrived. */
export type ClaimSource = { via: 'keyword' | 'link'; chatId?: string | null; ref?: string | null };

/** Who asked, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** Flash sales: create, claim (Redis first, PostgreSQL durable), redeem, expire, rebuild Redis. */
export type FlashSalesService = ReturnType<typeof createFlashSalesService>;

const REBUILD_TRIES = 50;
const LOCK_TTL_MS = 10_000;
/** Redis keeps a sale's keys this long after it closes (results stay live, late keywords answer 已结束). */
const KEEP_AFTER_CLOSE_MS = 7 * 24 * 3600_000;

/**
 * Creates the flash-sales service. A claim: window and eligibility from a short-lived cache, then the atomic
 * Lua claim in Redis, then (winners only) the durable row in PostgreSQL, which also re-checks the stock under
 * the sale row's lock. Only after that commits is "won" returned; a failed write undoes the Redis claim.
 * Redis is a fast path: PostgreSQL alone guarantees no oversell and no duplicate, and Redis is rebuilt from it.
 */
export function createFlashSalesService(deps: {
  db: Db;
  repo: FlashSalesRepository;
  store: FlashSaleStore;
  /** Contacts' client facts for many clients at once (absent: no such client). */
  facts: (db: Db, externalUserids: readonly string[]) => Promise<Map<string, EligibilityFacts>>;
  audit: Pick<AuditRepository, 'append'>;
  spendPoints?: SpendPoints;
  cacheMs: number;
  clock: Clock;
  log: Log;
}) {
  const { db, repo, store, clock } = deps;
  const saleCache = new Map<string, { sale: Promise<FlashSaleRow | undefined>; at: number }>();
  const factsCache = new Map<string, { facts: EligibilityFacts | undefined; at: number }>();
  let recentCache: { sales: Promise<FlashSaleRow[]>; at: number } | undefined;
  const fresh = (at: number) => Date.now() - at < deps.cacheMs;

  // The promise is cached, not the row: when an entry goes stale mid-sale, one read refreshes it for all the
  // claims in flight instead of each of them reading it.
  async function saleOf(id: string): Promise<FlashSaleRow | undefined> {
    const hit = saleCache.get(id);
    if (hit && fresh(hit.at)) return hit.sale;
    const read = repo.find(db, id);
    saleCache.set(id, { sale: read, at: Date.now() });
    const sale = await read.catch((err: unknown) => {
      saleCache.delete(id);
      throw err;
    });
    if (!sale) saleCache.delete(id);
    return sale;
  }

  // Clients claiming in the same moment share one query: a sale's opening second is thousands of claims.
  type Waiter = { resolve: (f: EligibilityFacts | undefined) => void; reject: (err: unknown) => void };
  let batch: Map<string, Waiter[]> | undefined;
  const flushBatch = async (pending: Map<string, Waiter[]>) => {
    let found: Map<string, EligibilityFacts>;
    try {
      found = await deps.facts(db, [...pending.keys()]);
    } catch (err) {
      // A failed read is an error for every claim in the batch, never a "not eligible".
      for (const waiters of pending.values()) for (const w of waiters) w.reject(err);
      return;
    }
    if (factsCache.size > 100_000) factsCache.clear();
    for (const [u, waiters] of pending) {
      const facts = found.get(u);
      factsCache.set(u, { facts, at: Date.now() });
      for (const w of waiters) w.resolve(facts);
    }
  };

  async function factsOf(externalUserid: string): Promise<EligibilityFacts | undefined> {
    const hit = factsCache.get(externalUserid);
    if (hit && fresh(hit.at)) return hit.facts;
    return new Promise((resolve, reject) => {
      if (!batch) {
        const pending = new Map<string, Waiter[]>();
        batch = pending;
        setImmediate(() => {
          batch = undefined;
          void flushBatch(pending);
        });
      }
      const waiters = batch.get(externalUserid);
      if (waiters) waiters.push({ resolve, reject });
      else batch.set(externalUserid, [{ resolve, reject }]);
    });
  }

  /** Rebuilds the sale's Redis state from PostgreSQL: units left = stock − taken, claimants = every claim. */
  async function rebuild(saleId: string): Promise<void> {
    const sale = await repo.find(db, saleId);
    if (!sale) return;
    const claimants = await repo.claimants(db, saleId);
    await store.rebuild(
      saleId,
      {
        stockLeft: sale.cancelledAt ? 0 : sale.stock - sale.taken,
        opensAt: sale.opensAt,
        // A cancelled sale answers "closed" from Redis too.
        closesAt: sale.cancelledAt ?? sale.closesAt,
        claimants,
      },
      sale.closesAt.getTime() + KEEP_AFTER_CLOSE_MS - clock.now().getTime(),
    );
  }

  /** The Lua claim; a lost state is rebuilt under the sale's lock (others wait for it) and the claim retried. */
  async function luaClaim(saleId: string, client: string, now: Date) {
    for (let i = 0; i < REBUILD_TRIES; i++) {
      const r = await store.claim(saleId, client, now).catch((err: unknown) => {
        // Redis away (restarting): the client is told to try again; nothing was taken.
        if (!isRedisUnavailableError(err)) throw err;
        throw new AppError('unavailable', {
          message: 'flash sale: Redis is unavailable',
          zh: '秒杀系统繁忙，请稍后再试。',
          retryable: true,
        });
      });
      if (r.outcome !== 'rebuild') return r;
      const release = await store.lock(saleId, LOCK_TTL_MS);
      if (release) {
        try {
          if (!(await store.present(saleId))) await rebuild(saleId);
        } finally {
          await release();
        }
      } else {
        await new Promise((r) => setTimeout(r, 5 + i * 2));
      }
    }
    throw new AppError('unavailable', {
      message: `flash sale ${saleId}: Redis state could not be rebuilt`,
      zh: '秒杀系统繁忙，请稍后再试。',
      retryable: true,
    });
  }

  /** The durable half of a Redis win; undoes Redis when PostgreSQL says otherwise or fails. */
  async function recordWin(sale: FlashSaleRow, client: string, src: ClaimSource, gen: string, now: Date) {
    let outcome: 'won' | 'sold_out' | 'duplicate' | IneligibleReason;
    const claim = {
      saleId: sale.id,
      externalUserid: client,
      via: src.via,
      chatId: src.chatId ?? null,
      ref: src.ref ?? null,
      claimedAt: now,
      expiresAt: new Date(now.getTime() + sale.redeemWithinHours * 3600_000),
    };
    const spend = sale.pointsCost > 0 ? deps.spendPoints : undefined;
    try {
      outcome = spend
        ? // An offer that costs points: the claim and the spend commit together, or neither does.
          await db.transaction(async (tx) => {
            const taken = await repo.takeUnit(tx, claim);
            if (taken !== 'won') return taken;
            const spent = await spend(tx, {
              externalUserid: client,
              amount: sale.pointsCost,
              reason: `秒杀：${sale.name}`,
              source: { type: 'claim', id: `${sale.id}:${client}` },
              actor: 'flash-sale',
            });
            if (spent === 'insufficient') throw new InsufficientPoints();
            return taken;
          })
        : await repo.takeUnit(db, claim);
    } catch (err) {
      if (err instanceof InsufficientPoints) outcome = 'points';
      else {
        await store.undo(sale.id, client, 'release', 'failed').catch(() => {});
        throw err;
      }
    }
    if (outcome === 'won') {
      await store.confirm(sale.id, client, gen);
      return 'won' as const;
    }
    await store.undo(
      sale.id,
      client,
      outcome === 'duplicate' ? 'keep' : outcome === 'sold_out' ? 'sold_out' : 'release',
      outcome === 'duplicate' ? 'already_claimed' : outcome === 'sold_out' ? 'sold_out' : 'not_eligible',
    );
    return outcome;
  }

  return {
    /** The sale, or a 404. */
    async get(id: string): Promise<FlashSaleRow> {
      const sale = await repo.find(db, id);
      if (!sale)
        throw new AppError('not_found', { message: `no flash sale ${id}`, zh: `没有找到秒杀活动“${id}”。` });
      return sale;
    },

    /** The newest sales. */
    list: (limit: number) => repo.list(db, limit),

    /** Creates a sale (audited) and puts its state in Redis at once, so the first claim needs no rebuild. */
    async create(s: NewFlashSale, actor: Actor): Promise<FlashSaleRow> {
      if (s.closesAt.getTime() <= s.opensAt.getTime())
        throw new AppError('bad_request', {
          message: 'closesAt must be after opensAt',
          zh: '结束时间必须晚于开始时间。',
        });
      const row = await db.transaction(async (tx) => {
        const created = await repo.insert(tx, {
          id: s.id,
          name: s.name,
          itemName: s.itemName,
          stock: s.stock,
          keyword: s.keyword ?? '秒杀',
          eligibility: s.eligibility ?? {},
          opensAt: s.opensAt,
          closesAt: s.closesAt,
          returnUnclaimed: s.returnUnclaimed ?? false,
          redeemWithinHours: s.redeemWithinHours ?? 72,
          pointsCost: s.pointsCost ?? 0,
          createdBy: actor.name,
          createdAt: clock.now(),
        });
        if (!created)
          throw new AppError('conflict', {
            message: `flash sale "${s.id}" already exists`,
            zh: `秒杀活动“${s.id}”已存在。`,
          });
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'flash_sale.create',
          targetType: 'flash_sale',
          targetId: s.id,
          details: { stock: s.stock, opensAt: s.opensAt.toISOString(), closesAt: s.closesAt.toISOString() },
          requestId: actor.requestId,
        });
        return created;
      });
      recentCache = undefined;
      // Redis away: the sale stands (PostgreSQL has it), and its first claim rebuilds the Redis state.
      await rebuild(row.id).catch((err: unknown) => {
        if (!isRedisUnavailableError(err)) throw err;
        deps.log.warn(
          { sale: row.id },
          'flash sale created while Redis is unavailable: rebuilt on first claim',
        );
      });
      return row;
    },

    /**
     * A client's claim. Window and eligibility first (cached sale, cached facts), then the Lua claim, then
     * the durable row for winners. A retried bot message (same `ref`) that won before answers "won" again.
     */
    async claim(saleId: string, client: string, src: ClaimSource): Promise<ClaimResult> {
      const sale = await saleOf(saleId);
      if (!sale)
        throw new AppError('not_found', {
          message: `no flash sale ${saleId}`,
          zh: `没有找到秒杀活动“${saleId}”。`,
        });
      const now = clock.now();
      const early: ClaimOutcome | undefined =
        now < sale.opensAt ? 'not_open' : sale.cancelledAt || now >= sale.closesAt ? 'closed' : undefined;
      if (early) {
        await store.countAttempt(saleId, early);
        return { outcome: early, sale };
      }
      // A sale open to everyone never reads the client's row.
      const facts = hasRules(sale.eligibility) ? await factsOf(client) : undefined;
      const eligible = checkEligibility(sale.eligibility, facts, now);
      if (!eligible.ok) {
        await store.countAttempt(saleId, 'not_eligible');
        return { outcome: 'not_eligible', reason: eligible.reason, sale };
      }
      const r = await luaClaim(saleId, client, now);
      if (r.outcome === 'won') {
        const o = await recordWin(sale, client, src, r.gen, now);
        if (o === 'won' || o === 'sold_out') return { outcome: o, sale };
        if (o !== 'duplicate') return { outcome: 'not_eligible', reason: o, sale };
      } else if (r.outcome !== 'already_claimed' && r.outcome !== 'rebuild') {
        return { outcome: r.outcome, sale };
      }
      if (src.ref) {
        const mine = await repo.findClaim(db, saleId, client);
        if (mine?.ref === src.ref) return { outcome: 'won', sale };
      }
      return { outcome: 'already_claimed', sale };
    },

    /** The sales a group message's keyword may name (cached for the claim path). */
    async recentSales(): Promise<FlashSaleRow[]> {
      if (recentCache && fresh(recentCache.at)) return recentCache.sales;
      const sales = repo.recent(db, clock.now());
      recentCache = { sales, at: Date.now() };
      sales.catch(() => {
        recentCache = undefined;
      });
      return sales;
    },

    /**
     * The keyword path: the sale a group message names (undefined when it names none), claimed for the
     * sender. The bot and the benchmark both come through here.
     */
    async claimByKeyword(
      text: string,
      client: string,
      src: { chatId?: string | null; ref?: string | null },
    ): Promise<ClaimResult | undefined> {
      const sale = saleNamedBy(text, await this.recentSales(), clock.now());
      if (!sale) return undefined;
      return this.claim(sale.id, client, { via: 'keyword', ...src });
    },

    rebuild,

    /** Ops' live view: PostgreSQL's claims by status and first winners, Redis's units left and attempts. */
    async results(saleId: string, winnersLimit = 500) {
      const sale = await this.get(saleId);
      const [byStatus, winners, live] = await Promise.all([
        repo.countsByStatus(db, saleId),
        repo.winners(db, saleId, winnersLimit),
        store.live(saleId),
      ]);
      return { sale, byStatus, winners, live };
    },

    /** Marks a client's won claim redeemed (audited); 409 when there is nothing to redeem. */
    async redeem(saleId: string, client: string, actor: Actor) {
      await this.get(saleId);
      return db.transaction(async (tx) => {
        const row = await repo.redeem(tx, saleId, client, clock.now());
        if (!row)
          throw new AppError('conflict', {
            message: 'no unredeemed, unexpired claim for this client',
            zh: '该客户没有可核销的秒杀权益（未抢到、已核销或已过期）。',
          });
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'flash_sale.redeem',
          targetType: 'flash_sale',
          targetId: saleId,
          details: { externalUserid: client },
          requestId: actor.requestId,
        });
        return row;
      });
    },

    /**
     * Ends claims not redeemed in time; a sale that returns unclaimed units gets them back in PostgreSQL
     * (same transaction) and then in Redis. Returns how many claims ended.
     */
    async expireDue(limit = 1000): Promise<number> {
      const ended = await db.transaction((tx) => repo.expireDue(tx, clock.now(), limit));
      for (const e of ended) {
        if (e.returned > 0) await store.returnUnits(e.saleId, e.returned);
        saleCache.delete(e.saleId);
      }
      return ended.reduce((n, e) => n + e.expired + e.returned, 0);
    },

    /**
     * The reconciler: every recent sale whose Redis state is missing, or whose units left or claimants
     * disagree with PostgreSQL, is rebuilt under its lock. Returns the ids rebuilt.
     */
    async reconcile(): Promise<string[]> {
      const rebuilt: string[] = [];
      for (const sale of await repo.recent(db, clock.now())) {
        const [live, claims] = await Promise.all([store.live(sale.id), repo.claimants(db, sale.id)]);
        if (live.stockLeft === sale.stock - sale.taken && live.claimants === claims.length) continue;
        const release = await store.lock(sale.id, LOCK_TTL_MS);
        if (!release) continue;
        try {
          await rebuild(sale.id);
          rebuilt.push(sale.id);
        } finally {
          await release();
        }
      }
      if (rebuilt.length > 0) deps.log.info({ rebuilt }, 'flash sales: Redis state rebuilt from PostgreSQL');
      return rebuilt;
    },
  };
}
