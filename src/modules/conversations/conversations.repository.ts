import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { isoMicros } from '../../platform/db/columns.ts';
import { clientInScope, rmInScope } from '../contacts/scope-filters.repository.ts';

/** The API's view of a bot conversation and its hand-off. */
export type ConversationView = {
  id: number;
  chatId: string;
  clientUserid: string;
  ownerState: string;
  rmUserid: string | null;
  takenOverBy: string | null;
  slaDueAt: string | null;
  slaKept: boolean | null;
};

const columns = sql`cv.id::int AS id, cv.chat_id AS "chatId", cv.client_userid AS "clientUserid",
                    cv.owner_state AS "ownerState", cv.rm_userid AS "rmUserid",
                    cv.taken_over_by AS "takenOverBy", cv.sla_due_at AS "slaDueAt", cv.sla_kept AS "slaKept"`;

/**
 * A conversation is within scope when the RM it was handed to, the person who took it over, or the
 * client's owner RM is: an RM works on hand-offs sent to them and on their own clients, a branch on
 * every hand-off that involves it.
 */
const inScope = (scope: Scope): SQL =>
  scope.kind === 'all'
    ? sql`TRUE`
    : sql`(${rmInScope(scope, sql`cv.rm_userid`)} OR ${rmInScope(scope, sql`cv.taken_over_by`)}
           OR ${clientInScope(scope, sql`cv.client_userid`)})`;

/** An open conversation and its hand-off, as the RM sidebar shows it; times in ISO 8601. */
export type LatestConversation = {
  id: number;
  state: Exclude<OwnerState, 'resolved'>;
  handedOffAt: string | null;
  slaDueAt: string | null;
  takenOverBy: string | null;
};

/** Who may speak in a conversation: the bot, or a person (being fetched, or on it), or nobody (resolved). */
export type OwnerState = 'bot' | 'pending-human' | 'human' | 'resolved';

/** A message to record in a conversation. */
export type NewMessage = {
  role: 'client' | 'bot';
  text: string;
  outcome: string | null;
  details: Record<string, unknown>;
};

/** The bot's last message in a conversation: what it decided, and for a clarification what it offered. */
export type BotMessage = {
  outcome: string | null;
  details: { candidates?: string[]; questionId?: number };
};

/** A hand-off of one client as its timeline shows it: no message of the conversation. */
export type HandoffForClient = {
  id: string;
  /** When it was handed off, in UTC with microseconds (`YYYY-MM-DDTHH:MM:SS.ffffffZ`): exact for paging. */
  at: string;
  chatId: string;
  ownerState: OwnerState;
  /** Who took it over, else the RM it was handed to. */
  rm: string | null;
  slaKept: boolean | null;
};

/**
 * SQL of conversations and their messages. Only `conversations.service.ts` calls the writes; the API's
 * reads and its resolve are always within a scope.
 */
export type ConversationsRepository = ReturnType<typeof createConversationsRepository>;

/** Creates the conversations repository. */
export function createConversationsRepository() {
  return {
    /** The client's open conversation in the chat, created if there is none; with who owns it. */
    async open(tx: Tx, chatId: string, clientUserid: string): Promise<{ id: number; state: OwnerState }> {
      const [row] = await queryRows<{ id: number; state: OwnerState }>(
        tx,
        sql`INSERT INTO conversations (chat_id, client_userid) VALUES (${chatId}, ${clientUserid})
            ON CONFLICT (chat_id, client_userid) WHERE owner_state <> 'resolved' DO UPDATE SET updated_at = now()
            RETURNING id::int AS id, owner_state AS state`,
      );
      if (!row) throw new Error('conversation upsert returned no row');
      return row;
    },

    /** Appends a message to a conversation. */
    async addMessage(tx: Tx, conversationId: number, m: NewMessage): Promise<void> {
      await queryRows(
        tx,
        sql`INSERT INTO conversation_messages (conversation_id, role, text, outcome, details)
            VALUES (${conversationId}, ${m.role}, ${m.text}, ${m.outcome}, ${JSON.stringify(m.details)}::jsonb)`,
      );
    },

    /** The bot's newest message in a conversation, if it has said anything. */
    async lastBotMessage(tx: Tx, conversationId: number): Promise<BotMessage | undefined> {
      const [last] = await queryRows<BotMessage>(
        tx,
        sql`SELECT outcome, details FROM conversation_messages WHERE conversation_id = ${conversationId} AND role = 'bot'
            ORDER BY id DESC LIMIT 1`,
      );
      return last;
    },

    /** Marks a conversation pending-human for `rm` (null: nobody to send it to) with its SLA due time. */
    async markHandedOff(
      tx: Tx,
      id: number,
      h: { rm: string | null; at: Date; slaDueAt: Date },
    ): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE conversations SET owner_state = 'pending-human', rm_userid = ${h.rm}, handed_off_at = ${h.at},
              sla_due_at = ${h.slaDueAt}, updated_at = now() WHERE id = ${id}`,
      );
    },

    /** A person takes a pending hand-off over at `at`; whether in time is recorded. No-op unless pending. */
    /** The RM takes the hand-off over; returns its client when this call did it (not a repeat). */
    async takeOver(tx: Tx, id: number, by: string, at: Date): Promise<{ clientUserid: string } | undefined> {
      const [row] = await queryRows<{ clientUserid: string }>(
        tx,
        sql`UPDATE conversations SET owner_state = 'human', taken_over_by = ${by},
              taken_over_at = ${at}, sla_kept = (${at} <= sla_due_at), updated_at = now()
            WHERE id = ${id} AND owner_state = 'pending-human'
            RETURNING client_userid AS "clientUserid"`,
      );
      return row;
    },

    /**
     * Marks every pending hand-off past its due time (and not yet escalated) breached and escalated to
     * `backupUserid`, or to its own RM with none; returns them. Each is returned once.
     */
    escalateBreached: (handle: Db | Tx, backupUserid: string | null) =>
      queryRows<{ id: number; rm: string | null }>(
        handle,
        sql`UPDATE conversations SET sla_kept = false, escalated_at = now(),
              escalated_to = COALESCE(${backupUserid}, rm_userid)
            WHERE owner_state = 'pending-human' AND sla_due_at < now() AND escalated_at IS NULL
            RETURNING id::int AS id, rm_userid AS rm`,
      ),

    /**
     * The client's hand-offs (conversations a person was fetched for), newest first by when each was
     * handed off, strictly before `before`; `limit` at most. `conversations_client_idx` finds the client's
     * rows.
     */
    forClient: (
      db: Db | Tx,
      clientUserid: string,
      before: { at: string; id: string } | undefined,
      limit: number,
    ) =>
      queryRows<HandoffForClient>(
        db,
        sql`SELECT cv.id::text AS id,
                   ${isoMicros(sql`COALESCE(cv.handed_off_at, cv.created_at)`)} AS at,
                   cv.chat_id AS "chatId", cv.owner_state AS "ownerState",
                   COALESCE(cv.taken_over_by, cv.rm_userid) AS rm, cv.sla_kept AS "slaKept"
              FROM conversations cv
             WHERE cv.client_userid = ${clientUserid}
               AND (cv.handed_off_at IS NOT NULL OR cv.owner_state <> 'bot')
               ${
                 before
                   ? sql`AND (COALESCE(cv.handed_off_at, cv.created_at), cv.id)
                             < (${before.at}::timestamptz, ${before.id}::bigint)`
                   : sql``
               }
             ORDER BY COALESCE(cv.handed_off_at, cv.created_at) DESC, cv.id DESC LIMIT ${limit}`,
      ),

    /** Conversations within `scope`, newest first, optionally in one state, before id `before` when given. */
    async list(
      db: Db,
      scope: Scope,
      q: { state?: string; before?: number; limit: number },
    ): Promise<ConversationView[]> {
      const rows = await queryRows<ConversationView>(
        db,
        sql`SELECT ${columns} FROM conversations cv WHERE ${inScope(scope)}
            ${q.state ? sql`AND cv.owner_state = ${q.state}` : sql``}
            ${q.before === undefined ? sql`` : sql`AND cv.id < ${q.before}`}
            ORDER BY cv.id DESC LIMIT ${q.limit}`,
      );
      return rows.map(isoSla);
    },

    /**
     * The newest open (not resolved) conversation of one client, or in one chat, within `scope`: one handed
     * to a person (pending or taken over) before one the bot still holds. Undefined when there is none.
     */
    async latestOpen(
      db: Db,
      scope: Scope,
      of: { clientUserid: string } | { chatId: string },
    ): Promise<LatestConversation | undefined> {
      const which =
        'clientUserid' in of ? sql`cv.client_userid = ${of.clientUserid}` : sql`cv.chat_id = ${of.chatId}`;
      const [row] = await queryRows<LatestConversation>(
        db,
        sql`SELECT cv.id::int AS id, cv.owner_state AS state, cv.handed_off_at AS "handedOffAt",
                   cv.sla_due_at AS "slaDueAt", cv.taken_over_by AS "takenOverBy"
            FROM conversations cv
            WHERE ${which} AND cv.owner_state <> 'resolved' AND ${inScope(scope)}
            ORDER BY (cv.owner_state <> 'bot') DESC, cv.id DESC LIMIT 1`,
      );
      return (
        row && {
          ...row,
          handedOffAt: row.handedOffAt === null ? null : new Date(row.handedOffAt).toISOString(),
          slaDueAt: row.slaDueAt === null ? null : new Date(row.slaDueAt).toISOString(),
        }
      );
    },

    /** Resolves an open hand-off within `scope`; undefined when there is none. */
    async resolve(tx: Tx, scope: Scope, id: number): Promise<ConversationView | undefined> {
      const [row] = await queryRows<ConversationView>(
        tx,
        sql`UPDATE conversations cv SET owner_state = 'resolved', updated_at = now()
            WHERE cv.id = ${id} AND cv.owner_state IN ('pending-human', 'human') AND ${inScope(scope)}
            RETURNING ${columns}`,
      );
      return row && isoSla(row);
    },
  };
}

/** Raw rows carry timestamps as PostgreSQL text; views carry ISO 8601, like every API answer. */
const isoSla = (c: ConversationView): ConversationView => ({
  ...c,
  slaDueAt: c.slaDueAt === null ? null : new Date(c.slaDueAt).toISOString(),
});

/** One RM's hand-off figures for a period. */
export type RmHandoffFigures = { rm: string; handoffs: number; kept: number; medianMinutes: number | null };

/**
 * Per RM, the hand-offs to them in [from, to), how many were taken over within the SLA, and the median
 * minutes from hand-off to takeover (of those taken over): engagement scoring's responsiveness.
 */
export function handoffFiguresByRm(db: Db | Tx, from: Date, to: Date): Promise<RmHandoffFigures[]> {
  return queryRows<RmHandoffFigures>(
    db,
    sql`SELECT rm_userid AS rm, count(*)::int AS handoffs,
               count(*) FILTER (WHERE sla_kept)::int AS kept,
               (percentile_cont(0.5) WITHIN GROUP (
                  ORDER BY extract(epoch FROM taken_over_at - handed_off_at) / 60)
                  FILTER (WHERE taken_over_at IS NOT NULL))::float8 AS "medianMinutes"
          FROM conversations
         WHERE rm_userid IS NOT NULL
           AND handed_off_at >= ${from.toISOString()}::timestamptz
           AND handed_off_at < ${to.toISOString()}::timestamptz
         GROUP BY rm_userid`,
  );
}
