import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ClientsRepository } from '../contacts/clients.repository.ts';
import type { CandidateRow, KocRepository } from './koc.repository.ts';
import { decay, type KocKind, type KocWeights } from './koc-weights.ts';

/** Something a client did that counts toward their KOC score; `ref` makes it count once. */
export type KocContribution = {
  externalUserid: string;
  kind: KocKind;
  ref: string;
  at: Date;
  details?: Record<string, unknown>;
};

/** One line of a score's explanation: a contribution, its weight, its age and what it is worth now. */
export type ExplainedContribution = {
  kind: KocKind;
  ref: string;
  weight: number;
  occurredAt: Date;
  ageDays: number;
  decayed: number;
  details: Record<string, unknown>;
};

/** Why a client has their score: the score now, the half-life, and every contribution that sums to it. */
export type KocExplanation = {
  externalUserid: string;
  score: number;
  asOf: Date;
  halfLifeDays: number;
  contributions: ExplainedContribution[];
};

/** Who asked, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** What became of a reported share click. */
export type ShareClickOutcome = { counted: boolean; reason?: 'self_click' | 'repeat_click' };

const DAY_MS = 24 * 3600 * 1000;

/**
 * Creates the KOC service: contributions raise a candidate's score at once (in the caller's transaction),
 * the score halves every configured half-life, and every score can be explained contribution by
 * contribution. Scores computed under other weights are re-scored from the contributions before use.
 */
export function createKocService(deps: {
  db: Db;
  repo: KocRepository;
  weights: () => KocWeights;
  clients: Pick<ClientsRepository, 'find'>;
  audit: AuditRepository;
  clock: Clock;
}) {
  /** Records contributions (a known ref is skipped) and raises the scores; returns how many were new. */
  async function record(tx: Tx, contributions: readonly KocContribution[]): Promise<number> {
    if (contributions.length === 0) return 0;
    const w = deps.weights();
    const now = deps.clock.now();
    const ids = [...new Set(contributions.map((c) => c.externalUserid))];
    await deps.repo.rescoreStale(tx, w, now, ids);
    const inserted = await deps.repo.insertContributions(
      tx,
      contributions.map((c) => ({
        externalUserid: c.externalUserid,
        kind: c.kind,
        ref: c.ref,
        weight: w.weights[c.kind],
        // A contribution reported from the future (clock skew) counts as happening now, so its decayed
        // value and the score it joins always agree.
        occurredAt: c.at.getTime() > now.getTime() ? now : c.at,
        details: c.details ?? {},
      })),
    );
    const adds = new Map<string, number>();
    for (const r of inserted) {
      const v = decay(r.weight, now.getTime() - r.occurredAt.getTime(), w.halfLifeMs);
      adds.set(r.externalUserid, (adds.get(r.externalUserid) ?? 0) + v);
    }
    await deps.repo.addToScores(
      tx,
      [...adds].map(([externalUserid, add]) => ({ externalUserid, add })),
      now,
      w,
    );
    return inserted.length;
  }

  /** The top candidates within `scope` by score decayed to now. */
  async function candidates(scope: Scope, limit: number): Promise<CandidateRow[]> {
    const w = deps.weights();
    const now = deps.clock.now();
    await deps.repo.rescoreStale(deps.db, w, now);
    return deps.repo.topCandidates(deps.db, { scope, limit, now, halfLifeMs: w.halfLifeMs });
  }

  async function requireClient(scope: Scope, id: string): Promise<void> {
    if (!(await deps.clients.find(deps.db, scope, id))) {
      throw new AppError('not_found', { message: `no client ${id}`, zh: `没有客户 ${id}。` });
    }
  }

  return {
    record,
    candidates,

    /** The tea party's invitees: the top `n` candidates across the bank. */
    selectTeaPartyInvitees: (n: number) => candidates({ kind: 'all' }, n),

    /**
     * Explains a client's score: every contribution with its weight, age and value now, summing to the
     * score. A client outside `scope` (or unknown, with no contributions) is a 404.
     */
    async explain(scope: Scope, id: string): Promise<KocExplanation> {
      const w = deps.weights();
      const now = deps.clock.now();
      await deps.repo.rescoreStale(deps.db, w, now, [id]);
      const row = await deps.repo.scoreOf(deps.db, scope, id);
      if (!row) await requireClient(scope, id);
      const contributions = row ? await deps.repo.contributionsOf(deps.db, id) : [];
      return {
        externalUserid: id,
        score: row ? decay(row.score, now.getTime() - row.asOf.getTime(), w.halfLifeMs) : 0,
        asOf: now,
        halfLifeDays: w.halfLifeDays,
        contributions: contributions.map((c) => {
          const age = Math.max(0, now.getTime() - c.occurredAt.getTime());
          return {
            kind: c.kind,
            ref: c.ref,
            weight: c.weight,
            occurredAt: c.occurredAt,
            ageDays: age / DAY_MS,
            decayed: decay(c.weight, age, w.halfLifeMs),
            details: c.details,
          };
        }),
      };
    },

    /**
     * An RM (or ops) marks a client's message as a helpful answer to others: one helpful_answer per
     * message id or free ref, audited. Returns whether it was new.
     */
    async markHelpful(
      scope: Scope,
      h: { externalUserid: string; messageId?: number; ref?: string; note?: string },
      actor: Actor,
    ): Promise<{ recorded: boolean; ref: string }> {
      await requireClient(scope, h.externalUserid);
      const ref = h.messageId !== undefined ? `helpful:msg:${h.messageId}` : `helpful:ref:${h.ref}`;
      const recorded = await deps.db.transaction(async (tx) => {
        const n = await record(tx, [
          {
            externalUserid: h.externalUserid,
            kind: 'helpful_answer',
            ref,
            at: deps.clock.now(),
            details: {
              markedBy: actor.name,
              ...(h.messageId !== undefined ? { messageId: h.messageId } : {}),
              ...(h.note ? { note: h.note } : {}),
            },
          },
        ]);
        if (n > 0) {
          await deps.audit.append(tx, {
            actor: actor.name,
            action: 'koc.helpful',
            targetType: 'client',
            targetId: h.externalUserid,
            details: { ref },
            requestId: actor.requestId,
          });
        }
        return n > 0;
      });
      return { recorded, ref };
    },

    /**
     * A tracked link a client shared was opened. A self-click and a repeat click by the same clicker on the
     * same link do not count. The sharer must be a known client.
     */
    async recordShareClick(c: {
      sharer: string;
      clicker: string;
      linkId: string;
      at?: Date;
    }): Promise<ShareClickOutcome> {
      if (c.sharer === c.clicker) return { counted: false, reason: 'self_click' };
      await requireClient({ kind: 'all' }, c.sharer);
      const n = await deps.db.transaction((tx) =>
        record(tx, [
          {
            externalUserid: c.sharer,
            kind: 'shared_click',
            ref: `share:${c.linkId}:${c.clicker}`,
            at: c.at ?? deps.clock.now(),
            details: { linkId: c.linkId, clicker: c.clicker },
          },
        ]),
      );
      return n > 0 ? { counted: true } : { counted: false, reason: 'repeat_click' };
    },
  };
}

/** The KOC service. */
export type KocService = ReturnType<typeof createKocService>;
