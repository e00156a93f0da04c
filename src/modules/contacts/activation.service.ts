import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ActivationRepository, ActivationSource, NewActivationEvent } from './activation.repository.ts';

/** A client activated for the first time: who, by which kind of event, when. */
export type Activated = { externalUserid: string; kind: string; at: Date };

/**
 * The port other modules hang on activation (referral rewards, analytics): called once per client, in
 * the recording transaction, only for clients whose `activated_at` was null before.
 */
export type OnActivated = (tx: Tx, activated: Activated[]) => Promise<void>;

/** One event's result, in the order the events were given. */
export type ActivationResult =
  | { ref: string; status: 'activated' | 'recorded' | 'outside_period' | 'duplicate' }
  | { ref: string; status: 'error'; error: { code: 'unknown_client'; message: string; zh: string } };

/** Activation events: record a batch, set `activated_at` once, and tell `onActivated` who activated. */
export type ActivationService = ReturnType<typeof createActivationService>;

/** Creates the activation service; `periodMs` is the new-client period after `acquired_at`. */
export function createActivationService(deps: {
  db: Db;
  repo: ActivationRepository;
  audit: Pick<AuditRepository, 'append'>;
  periodMs: number;
  onActivated?: OnActivated;
}) {
  /** Records `events` in `tx` (the caller's transaction, e.g. a profile import's) and fires the port. */
  async function recordIn(
    tx: Tx,
    source: ActivationSource,
    events: readonly NewActivationEvent[],
    scope: Scope = { kind: 'all' },
  ): Promise<ActivationResult[]> {
    const results: ActivationResult[] = [];
    const activated: Activated[] = [];
    for (const e of events) {
      const r = await deps.repo.record(tx, { ...e, source }, deps.periodMs, scope);
      if (r.outcome === 'unknown_client') {
        results.push({
          ref: e.ref,
          status: 'error',
          error: {
            code: 'unknown_client',
            message: 'no such client in your scope',
            zh: '在您的权限范围内没有该客户。',
          },
        });
        continue;
      }
      results.push({ ref: e.ref, status: r.outcome });
      if (r.outcome === 'activated') {
        activated.push({ externalUserid: e.externalUserid, kind: e.kind, at: e.occurredAt });
      }
    }
    if (activated.length > 0) await deps.onActivated?.(tx, activated);
    return results;
  }

  return {
    recordIn,

    /** Records a batch from the API in one transaction, audited; an unknown client fails only its item. */
    async record(
      events: readonly NewActivationEvent[],
      actor: { name: string; requestId: string | null },
      scope: Scope,
    ): Promise<ActivationResult[]> {
      return deps.db.transaction(async (tx) => {
        const results = await recordIn(tx, 'api', events, scope);
        const count = (s: ActivationResult['status']) => results.filter((r) => r.status === s).length;
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'activation.record',
          targetType: 'activation_events',
          details: {
            events: events.length,
            activated: count('activated'),
            recorded: count('recorded'),
            outsidePeriod: count('outside_period'),
            duplicates: count('duplicate'),
            errors: count('error'),
          },
          requestId: actor.requestId,
        });
        return results;
      });
    },
  };
}
