import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { queryRows, type Tx } from '../../platform/db/client.ts';
import { clientInScope } from './scope-filters.repository.ts';

/** Where an activation event came from. */
export type ActivationSource = 'feed' | 'api' | 'event';

/** One activation event to record. */
export type NewActivationEvent = {
  externalUserid: string;
  kind: string;
  ref: string;
  occurredAt: Date;
  details?: Record<string, unknown>;
};

/** What recording one event did. */
export type RecordedActivation =
  | { outcome: 'unknown_client' }
  | { outcome: 'duplicate' }
  | { outcome: 'activated' | 'recorded' | 'outside_period'; id: number };

/** SQL for activation events and the clients' `activated_at`. Methods take the transaction they run in. */
export type ActivationRepository = ReturnType<typeof createActivationRepository>;

/** Creates the activation repository. */
export function createActivationRepository() {
  return {
    /**
     * Records one event (a repeated `ref` is ignored) and, when it falls inside the new-client period
     * (`periodMs` after `acquired_at`; a client with no acquisition time is taken as inside it), sets
     * `activated_at` if it was still null. The client row is locked first, so concurrent events for one
     * client activate it exactly once.
     */
    async record(
      tx: Tx,
      e: NewActivationEvent & { source: ActivationSource },
      periodMs: number,
      scope: Scope = { kind: 'all' },
    ): Promise<RecordedActivation> {
      // A client outside the caller's scope answers like an unknown one.
      const [client] = await queryRows<{ acquired_at: Date | null; activated_at: Date | null }>(
        tx,
        sql`SELECT c.acquired_at, c.activated_at FROM clients c
            WHERE c.external_userid = ${e.externalUserid} AND ${clientInScope(scope, sql`c.external_userid`)}
            FOR UPDATE OF c`,
      );
      if (!client) return { outcome: 'unknown_client' };
      const [inserted] = await queryRows<{ id: number }>(
        tx,
        sql`INSERT INTO activation_events (external_userid, kind, source, ref, occurred_at, details)
            VALUES (${e.externalUserid}, ${e.kind}, ${e.source}, ${e.ref}, ${e.occurredAt},
                    ${JSON.stringify(e.details ?? {})}::jsonb)
            ON CONFLICT (ref) DO NOTHING RETURNING id::int AS id`,
      );
      if (!inserted) return { outcome: 'duplicate' };
      const acquired = client.acquired_at ? new Date(client.acquired_at).getTime() : null;
      if (acquired !== null && e.occurredAt.getTime() > acquired + periodMs) {
        return { outcome: 'outside_period', id: inserted.id };
      }
      const activated = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE clients SET activated_at = COALESCE(activated_at, ${e.occurredAt}), updated_at = now()
            WHERE external_userid = ${e.externalUserid} AND activated_at IS NULL
            RETURNING external_userid AS id`,
      );
      return { outcome: activated.length > 0 ? 'activated' : 'recorded', id: inserted.id };
    },
  };
}
