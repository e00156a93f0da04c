import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientInScope, rmInScope } from '../contacts/scope.sql.ts';

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

/** The API's reads and writes of conversations, always within a scope. */
export type ConversationsRepository = ReturnType<typeof createConversationsRepository>;

/** Creates the conversations API repository. */
export function createConversationsRepository() {
  return {
    /** Conversations within `scope`, newest first, optionally in one state, before id `before` when given. */
    list(
      db: Db,
      scope: Scope,
      q: { state?: string; before?: number; limit: number },
    ): Promise<ConversationView[]> {
      return queryRows<ConversationView>(
        db,
        sql`SELECT ${columns} FROM conversations cv WHERE ${inScope(scope)}
            ${q.state ? sql`AND cv.owner_state = ${q.state}` : sql``}
            ${q.before === undefined ? sql`` : sql`AND cv.id < ${q.before}`}
            ORDER BY cv.id DESC LIMIT ${q.limit}`,
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
      return row;
    },
  };
}
