import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { PointsEntry, PointsRepository } from './points.repository.ts';
import { expiryOf } from './points-expiry.ts';

/** Where points come from or go to; with the client and the kind of change, it makes a change idempotent. */
export type PointsSource = {
  type: 'event' | 'referral' | 'claim' | 'ops' | 'koc' | 'expiry';
  id: string;
};

/** A grant or a spend: a positive whole number of points, why, from what, and who did it. */
export type PointsChange = {
  externalUserid: string;
  amount: number;
  reason: string;
  source: PointsSource;
  actor: string;
};

/** The ledger row a grant or spend wrote (or found, when it was a repeat) and the balance after it. */
export type PointsOutcome = { entryId: number; balance: number; duplicate: boolean };

/** Why a points change was refused (the `reason` in the AppError's details). */
export type PointsRefusal =
  | 'points.insufficient'
  | 'points.reversal_of_reversal'
  | 'points.already_reversed'
  | 'points.already_used'
  | 'points.not_reversible';

/** The refusal reason of a points error, if `err` is one. */
export function pointsRefusalOf(err: unknown): PointsRefusal | undefined {
  if (!(err instanceof AppError)) return undefined;
  const reason = err.details?.reason;
  return typeof reason === 'string' && reason.startsWith('points.') ? (reason as PointsRefusal) : undefined;
}

const refuse = (reason: PointsRefusal, message: string, zh: string) =>
  new AppError('conflict', { message: `${reason}: ${message}`, zh, details: { reason } });

const MAX_AMOUNT = 100_000_000;
const badAmount = (amount: number) =>
  new AppError('bad_request', {
    message: `amount: a whole number of points from 1 to ${MAX_AMOUNT} (got ${amount})`,
    zh: `积分数须为 1 至 ${MAX_AMOUNT} 的整数。`,
  });

/** Who asked, for the audit log. */
export type PointsActor = { name: string; requestId: string | null };

/** Points: grants, spends, reversals and expiry on the append-only ledger, with balances never negative. */
export type PointsService = ReturnType<typeof createPointsService>;

/**
 * Creates the points service. `grant` and `spend` run in their caller's transaction (an event's attendance,
 * a claim), so points move exactly when the thing they are for commits. `timeZone` decides which year a
 * grant falls in for its expiry.
 */
export function createPointsService(deps: {
  db: Db;
  repo: PointsRepository;
  audit: Pick<AuditRepository, 'append'>;
  clock: Clock;
  timeZone: string;
}) {
  const { repo } = deps;

  const checkAmount = (amount: number) => {
    if (!Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT) throw badAmount(amount);
  };

  /** The row a repeated grant or spend found, with the current balance. */
  async function repeated(tx: Tx, c: PointsChange, kind: 'grant' | 'spend'): Promise<PointsOutcome> {
    const found = await repo.findBySource(tx, {
      sourceType: c.source.type,
      sourceId: c.source.id,
      externalUserid: c.externalUserid,
      kind,
    });
    if (!found) throw new Error('points ledger conflict without a row');
    return { entryId: found.id, balance: await repo.balance(tx, c.externalUserid), duplicate: true };
  }

  async function grant(tx: Tx, g: PointsChange): Promise<PointsOutcome> {
    checkAmount(g.amount);
    const at = deps.clock.now();
    const entryId = await repo.append(tx, {
      externalUserid: g.externalUserid,
      kind: 'grant',
      amount: g.amount,
      reason: g.reason,
      sourceType: g.source.type,
      sourceId: g.source.id,
      actor: g.actor,
      at,
    });
    if (entryId === undefined) return repeated(tx, g, 'grant');
    await repo.insertLot(tx, {
      entryId,
      externalUserid: g.externalUserid,
      amount: g.amount,
      expiresAt: expiryOf(at, deps.timeZone),
    });
    const balance = await repo.credit(tx, g.externalUserid, g.amount, at);
    return { entryId, balance, duplicate: false };
  }

  async function spend(outer: Tx, s: PointsChange): Promise<PointsOutcome> {
    checkAmount(s.amount);
    // A savepoint: a refused spend leaves no ledger row behind even when the caller catches the refusal
    // and commits the rest of its work (a flash sale answering "not enough points").
    return outer.transaction((tx) => spendIn(tx, s));
  }

  async function spendIn(tx: Tx, s: PointsChange): Promise<PointsOutcome> {
    const at = deps.clock.now();
    // The ledger row first: a concurrent repeat of the same spend waits on its unique key and then finds
    // it, instead of taking the points a second time.
    const entryId = await repo.append(tx, {
      externalUserid: s.externalUserid,
      kind: 'spend',
      amount: -s.amount,
      reason: s.reason,
      sourceType: s.source.type,
      sourceId: s.source.id,
      actor: s.actor,
      at,
    });
    if (entryId === undefined) return repeated(tx, s, 'spend');
    const balance = await repo.debit(tx, s.externalUserid, s.amount, at);
    if (balance === undefined) {
      throw refuse(
        'points.insufficient',
        `balance below the ${s.amount} points asked for`,
        `积分余额不足（需要 ${s.amount} 分）。`,
      );
    }
    await repo.drawLots(tx, s.externalUserid, s.amount);
    return { entryId, balance, duplicate: false };
  }

  /** Writes the reversal of `e` (a grant or a spend, not reversed yet); returns its id and the balance. */
  async function writeReversal(tx: Tx, e: PointsEntry, reason: string, actor: string, at: Date) {
    const entryId = await repo.append(tx, {
      externalUserid: e.externalUserid,
      kind: 'reversal',
      amount: -e.amount,
      reason,
      sourceType: e.sourceType,
      sourceId: e.sourceId,
      reversesId: e.id,
      actor,
      at,
    });
    if (entryId === undefined) throw new Error('a reversal row was not written');
    if (e.kind === 'spend') {
      // Refunded points are a new lot, expiring by the rule from today.
      await repo.insertLot(tx, {
        entryId,
        externalUserid: e.externalUserid,
        amount: -e.amount,
        expiresAt: expiryOf(at, deps.timeZone),
      });
      return { entryId, balance: await repo.credit(tx, e.externalUserid, -e.amount, at) };
    }
    await repo.lockBalance(tx, e.externalUserid);
    const lot = await repo.lockLotOf(tx, e.id);
    if (!lot || lot.remaining < lot.amount) {
      throw refuse(
        'points.already_used',
        `entry ${e.id}: some of these points were already spent or expired`,
        '该笔积分已被使用或已过期，无法撤销。',
      );
    }
    await repo.emptyLot(tx, lot.id);
    const balance = await repo.debit(tx, e.externalUserid, lot.amount, at);
    // The lot was whole, so the balance covers it; a shortfall means lots and balance disagree.
    if (balance === undefined) throw new Error(`points lots and balance disagree for entry ${e.id}`);
    return { entryId, balance };
  }

  return {
    grant,
    spend,

    /** A client's balance as the ledger left it. */
    balance: (db: Db | Tx, externalUserid: string) => repo.balance(db, externalUserid),

    /** A page of a client's ledger, newest first (`limit` rows at most, before entry `before`). */
    ledger: (db: Db | Tx, externalUserid: string, page: { before?: number; limit: number }) =>
      repo.ledger(db, externalUserid, page),

    /** An ops grant (from the API): the grant and its audit entry commit together. */
    async grantByOps(
      g: { externalUserid: string; amount: number; reason: string; ref: string },
      actor: PointsActor,
    ): Promise<PointsOutcome> {
      return deps.db.transaction(async (tx) => {
        const out = await grant(tx, {
          externalUserid: g.externalUserid,
          amount: g.amount,
          reason: g.reason,
          source: { type: 'ops', id: g.ref },
          actor: actor.name,
        });
        if (!out.duplicate) {
          await deps.audit.append(tx, {
            actor: actor.name,
            action: 'points.grant',
            targetType: 'client',
            targetId: g.externalUserid,
            details: { entryId: out.entryId, amount: g.amount, reason: g.reason, ref: g.ref },
            requestId: actor.requestId,
          });
        }
        return out;
      });
    },

    /**
     * Reverses a grant or a spend once, with its audit entry. A reversal cannot itself be reversed, nor an
     * expiry; a grant whose points were partly spent or expired is refused (409) rather than driving the
     * balance below zero. An entry outside `scope` is a 404.
     */
    async reverse(
      entryId: number,
      reason: string,
      actor: PointsActor,
      scope: Scope = { kind: 'all' },
    ): Promise<{ entryId: number; balance: number }> {
      try {
        return await deps.db.transaction(async (tx) => {
          const e = await repo.findEntry(tx, scope, entryId);
          if (!e) {
            throw new AppError('not_found', {
              message: 'no such points entry in your scope',
              zh: '在您的权限范围内没有该积分记录。',
            });
          }
          if (e.kind === 'reversal') {
            throw refuse(
              'points.reversal_of_reversal',
              `entry ${e.id} is itself a reversal and cannot be reversed`,
              '该记录本身是一笔撤销，不能再撤销。',
            );
          }
          if (e.kind === 'expire') {
            throw refuse('points.not_reversible', `entry ${e.id} is an expiry`, '积分过期记录不能撤销。');
          }
          if (e.reversedBy !== null) throw alreadyReversed(e.id);
          const out = await writeReversal(tx, e, reason, actor.name, deps.clock.now());
          await deps.audit.append(tx, {
            actor: actor.name,
            action: 'points.reverse',
            targetType: 'client',
            targetId: e.externalUserid,
            details: { entryId: out.entryId, reverses: e.id, amount: -e.amount, reason },
            requestId: actor.requestId,
          });
          return out;
        });
      } catch (err) {
        // Two reversals of one entry at once: the unique reverses_id lets one through.
        if (isUniqueViolation(err)) throw alreadyReversed(entryId);
        throw err;
      }
    },

    /**
     * Writes off every lot past its expiry: one `expire` row per lot, the balance lowered with it, each lot
     * in its own short transaction. Safe to run twice (an emptied lot is skipped). Returns what it did.
     */
    async expire(now: Date, actor = 'points-expiry'): Promise<{ lots: number; points: number }> {
      let lots = 0;
      let points = 0;
      for (;;) {
        const due = await repo.expiredLots(deps.db, now, 200);
        if (due.length === 0) break;
        for (const candidate of due) {
          const written = await deps.db.transaction(async (tx) => {
            await repo.lockBalance(tx, candidate.externalUserid);
            const lot = await repo.lockLot(tx, candidate.id);
            if (!lot || lot.remaining === 0) return 0;
            const entryId = await repo.append(tx, {
              externalUserid: lot.externalUserid,
              kind: 'expire',
              amount: -lot.remaining,
              reason: 'expired by rule',
              sourceType: 'expiry',
              sourceId: String(lot.id),
              actor,
              at: now,
            });
            // One expiry per lot, and lots are never refilled: a second row means the data disagree.
            if (entryId === undefined) throw new Error(`lot ${lot.id} already has an expiry row`);
            await repo.emptyLot(tx, lot.id);
            const balance = await repo.debit(tx, lot.externalUserid, lot.remaining, now);
            if (balance === undefined) throw new Error(`points lots and balance disagree for lot ${lot.id}`);
            return lot.remaining;
          });
          if (written > 0) {
            lots++;
            points += written;
          }
        }
      }
      if (lots > 0) {
        await deps.audit.append(deps.db, {
          actor,
          action: 'points.expire',
          targetType: 'points',
          details: { asOf: now.toISOString(), lots, points },
        });
      }
      return { lots, points };
    },
  };
}

const alreadyReversed = (id: number) =>
  refuse('points.already_reversed', `entry ${id} was already reversed`, '该记录已撤销过，不能重复撤销。');
