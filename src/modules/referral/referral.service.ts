import { randomBytes } from 'node:crypto';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Activated } from '../contacts/activation.service.ts';
import type { ClientsRepository } from '../contacts/clients.repository.ts';
import { REFERRAL_STATE_PREFIX, type ReferralAdd } from '../contacts/contacts.inbound.ts';
import type { ReferralRepository, ReferralStatus } from './referral.repository.ts';
import type { ReferralCodeRow, ReferralRow } from './referral.tables.ts';

/** The port that pays a referrer (the lead wires it to points.grant, source `{ type: 'referral' }`). */
export type GrantReward = (
  tx: Tx,
  r: { referralId: number; referrer: string; referred: string; points: number },
) => Promise<void>;

/** Referral settings (see config.referral). */
export type ReferralSettings = {
  rewardPoints: number;
  monthlyCap: number;
  cluster: { size: number; windowMs: number };
  /** The calendar month of the cap is counted in this zone. */
  timeZone: string;
};

/** Who asked, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** Why a referral is not paid (or waits for review). */
export const REFERRAL_REASONS = {
  self: 'self_referral',
  alreadyClient: 'already_client',
  cap: 'cap',
  cluster: 'cluster',
} as const;

const RFC4648 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A fresh referral state: "rf-" and 16 base32 characters (80 random bits), 19 characters in all. */
export function newReferralState(bytes: Buffer = randomBytes(10)): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += RFC4648[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${REFERRAL_STATE_PREFIX}${out}`;
}

/** Referral (裂变): personal codes, referrals recorded from add events, rewards on activation, review. */
export type ReferralService = ReturnType<typeof createReferralService>;

/**
 * Creates the referral service. A referral is paid only when the referred client activates, never for a
 * self-referral or a re-added client, at most `monthlyCap` times per referrer per calendar month, and a
 * burst of referrals to one RM waits for an ops review.
 */
export function createReferralService(deps: {
  db: Db;
  repo: ReferralRepository;
  clients: Pick<ClientsRepository, 'find'>;
  audit: Pick<AuditRepository, 'append'>;
  contact: Pick<WecomClient, 'addContactWay' | 'deleteContactWay'>;
  settings: ReferralSettings;
  grantReward?: GrantReward;
  clock: Clock;
  log: Log;
}) {
  const { repo, settings } = deps;

  /** Pays a referral whose client has activated, or rejects it over the monthly cap. */
  async function reward(tx: Tx, r: ReferralRow): Promise<ReferralRow> {
    const now = deps.clock.now();
    const paid = await repo.rewardedInMonth(tx, r.referrer, now, settings.timeZone);
    if (paid >= settings.monthlyCap) {
      return repo.update(tx, r.id, { status: 'rejected', reason: REFERRAL_REASONS.cap });
    }
    const row = await repo.update(tx, r.id, { status: 'rewarded', reason: null, rewardedAt: now });
    await deps.grantReward?.(tx, {
      referralId: r.id,
      referrer: r.referrer,
      referred: r.referred,
      points: settings.rewardPoints,
    });
    return row;
  }

  return {
    /**
     * The client's personal contact-me code (ops, or the client's RM through `scope`): created in WeCom
     * with a fresh state on the first call, the same code on every later one.
     */
    async codeFor(referrer: string, actor: Actor, scope: Scope): Promise<ReferralCodeRow> {
      const client = await deps.clients.find(deps.db, scope, referrer);
      if (!client) {
        throw new AppError('not_found', {
          message: 'no such client in your scope',
          zh: '在您的权限范围内没有该客户。',
        });
      }
      const existing = await repo.findCode(deps.db, referrer);
      if (existing) return existing;
      if (!client.ownerRm) {
        throw new AppError('conflict', {
          message: 'the client has no RM to receive their referrals',
          zh: '该客户没有客户经理，无法生成推荐码。',
        });
      }
      const rm = client.ownerRm;
      const state = newReferralState();
      const way = await deps.contact.addContactWay({
        type: 1,
        scene: 2,
        state,
        users: [rm],
        remark: 'referral',
      });
      const lookUpWinner = async () => {
        const winner = await repo.findCode(deps.db, referrer);
        if (!winner) throw new Error('referral code vanished');
        return winner;
      };
      const takeBack = () =>
        deps.contact
          .deleteContactWay(way.configId)
          .catch((err: unknown) =>
            deps.log.error(
              { err, configId: way.configId },
              'could not delete an unused referral contact way',
            ),
          );
      let created: ReferralCodeRow | undefined;
      try {
        created = await deps.db.transaction(async (tx) => {
          const row = await repo.insertCode(tx, {
            referrer,
            rm,
            state,
            kind: 'contact_way',
            configId: way.configId,
            qrCode: way.qrCode ?? null,
          });
          if (row) {
            await deps.audit.append(tx, {
              actor: actor.name,
              action: 'referral.code.create',
              targetType: 'client',
              targetId: referrer,
              details: { state, configId: way.configId, rm },
              requestId: actor.requestId,
            });
          }
          return row;
        });
      } catch (err) {
        // Nothing was recorded: no QR code may name a referrer Helix does not know about.
        await takeBack();
        if (!isUniqueViolation(err)) throw err;
        return lookUpWinner();
      }
      if (created) return created;
      // A concurrent call stored its code first: ours goes back, theirs is the client's code.
      await takeBack();
      return lookUpWinner();
    },

    /**
     * An add event carried a referral state (the contacts handler's `onReferralState` port): records who
     * referred the client, with the anti-fraud verdict, in the add event's transaction.
     */
    async onReferralState(tx: Tx, add: ReferralAdd): Promise<void> {
      const code = await repo.findCodeByState(tx, add.state);
      if (!code) {
        deps.log.info({ state: add.state }, 'add event carries an unknown referral state');
        return;
      }
      let status: ReferralStatus = 'pending';
      let reason: string | null = null;
      if (code.referrer === add.externalUserid) {
        status = 'rejected';
        reason = REFERRAL_REASONS.self;
      } else if (add.alreadyClient) {
        status = 'rejected';
        reason = REFERRAL_REASONS.alreadyClient;
      }
      const row = await repo.insertReferral(tx, {
        referrer: code.referrer,
        referred: add.externalUserid,
        rm: add.rm,
        state: add.state,
        addedAt: add.at,
        status,
        reason,
      });
      if (!row) return;
      const flagged = await repo.flagCluster(
        tx,
        add.rm,
        new Date(add.at.getTime() - settings.cluster.windowMs),
        add.at,
        settings.cluster.size,
      );
      if (flagged.length > 0) {
        deps.log.warn({ rm: add.rm, referrals: flagged }, 'a burst of referrals to one RM: sent to review');
      }
    },

    /**
     * Clients activated (the contacts module's `onActivated` port): their pending referrals are paid (or
     * rejected over the cap); one in review only notes the activation and is paid when approved.
     */
    async onActivated(tx: Tx, activated: readonly Activated[]): Promise<void> {
      for (const a of activated) {
        const r = await repo.lockByReferred(tx, a.externalUserid);
        if (!r || r.activatedAt) continue;
        const noted = await repo.update(tx, r.id, { activatedAt: a.at });
        if (noted.status === 'pending') await reward(tx, noted);
      }
    },

    /** Referrals to RMs within `scope`, oldest first. */
    list: (scope: Scope, q: { status?: ReferralStatus; after?: number; limit: number }) =>
      repo.list(deps.db, scope, q),

    /**
     * Ops decide a referral in review: approve (paid now when the client has activated, otherwise it
     * waits as pending) or reject with the reviewer's reason. Audited; only a referral in review may be
     * decided.
     */
    async review(
      id: number,
      decision: { approve: boolean; reason: string },
      actor: Actor,
      scope: Scope,
    ): Promise<ReferralRow> {
      const visible = await repo.find(deps.db, scope, id);
      if (!visible) {
        throw new AppError('not_found', { message: `no referral ${id}`, zh: `没有推荐记录 ${id}。` });
      }
      return deps.db.transaction(async (tx) => {
        const r = await repo.lockById(tx, id);
        if (r?.status !== 'review') {
          throw new AppError('conflict', {
            message: `referral ${id} is not waiting for review (status ${r?.status ?? 'gone'})`,
            zh: `推荐记录 ${id} 不在待审核状态。`,
          });
        }
        const now = deps.clock.now();
        let row = await repo.update(tx, id, {
          status: decision.approve ? 'pending' : 'rejected',
          reason: decision.approve ? null : decision.reason,
          reviewedBy: actor.name,
          reviewedAt: now,
        });
        if (decision.approve && row.activatedAt) row = await reward(tx, row);
        await deps.audit.append(tx, {
          actor: actor.name,
          action: decision.approve ? 'referral.approve' : 'referral.reject',
          targetType: 'referral',
          targetId: String(id),
          details: {
            reason: decision.reason,
            status: row.status,
            referrer: r.referrer,
            referred: r.referred,
          },
          requestId: actor.requestId,
        });
        return row;
      });
    },
  };
}
