import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { type BusinessHours, businessDeadline } from './business-hours.ts';
import type { ConversationsRepository, NewMessage } from './conversations.repository.ts';

/** The hand-off state machine; the only code that changes conversation rows. */
export type ConversationsService = ReturnType<typeof createConversationsService>;

/**
 * Creates the conversations service: bot → pending-human (handed off, with an SLA due time in business
 * minutes) → human (taken over, in time or not) → resolved; a breached hand-off is escalated once. The bot,
 * the takeover handler, the API and the SLA sweep all change conversations through it, inside the caller's
 * transaction; notifying people (cards, replies) stays with the callers, after their commit.
 */
export function createConversationsService(deps: {
  repo: ConversationsRepository;
  /** The hand-off SLA: business minutes until a person must take over. */
  sla: { minutes: number; hours: BusinessHours };
  clock: Clock;
}) {
  const { repo } = deps;
  return {
    /** The client's open conversation in the chat (opened if there is none), and who owns it. */
    open: (tx: Tx, chatId: string, clientUserid: string) => repo.open(tx, chatId, clientUserid),

    /** Records a message; a client's text must already be PII-masked. */
    recordMessage: (tx: Tx, conversationId: number, m: NewMessage) => repo.addMessage(tx, conversationId, m),

    /** The bot's newest message, to read a client's "1/2/3" against the choices it offered. */
    lastBotMessage: (tx: Tx, conversationId: number) => repo.lastBotMessage(tx, conversationId),

    /** Hands the conversation to `rm` (null: nobody), due within the SLA counted in business hours. */
    async handOff(tx: Tx, conversationId: number, rm: string | null): Promise<void> {
      const at = deps.clock.now();
      const slaDueAt = businessDeadline(at, deps.sla.minutes, deps.sla.hours);
      await repo.markHandedOff(tx, conversationId, { rm, at, slaDueAt });
    },

    /** `by` takes a pending hand-off over now; anything not pending is left as it is. */
    takeOver: (tx: Tx, conversationId: number, by: string) =>
      repo.takeOver(tx, conversationId, by, deps.clock.now()),

    /** Closes an open hand-off within `scope`; undefined when there is none. */
    resolve: (tx: Tx, scope: Scope, conversationId: number) => repo.resolve(tx, scope, conversationId),

    /** Escalates every hand-off past its due time, once each, to `backupUserid` or else its own RM. */
    escalateBreached: (handle: Db | Tx, backupUserid: string | undefined) =>
      repo.escalateBreached(handle, backupUserid ?? null),

    /** Conversations within `scope`, newest first (a read, here so callers need only the service). */
    list: repo.list,

    /** A client's (or a chat's) newest open conversation within `scope`, hand-offs first (a read). */
    latestOpen: repo.latestOpen,
  };
}
