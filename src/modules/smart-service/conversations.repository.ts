import { sql } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/tokens.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

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

const columns = sql`id::int AS id, chat_id AS "chatId", client_userid AS "clientUserid",
                    owner_state AS "ownerState", rm_userid AS "rmUserid", taken_over_by AS "takenOverBy",
                    sla_due_at AS "slaDueAt", sla_kept AS "slaKept"`;
// An RM sees the conversations handed to them or taken over by them; ops and admin see all.
const scope = (p: Principal) =>
  p.role === 'rm' ? sql`(rm_userid = ${p.name} OR taken_over_by = ${p.name})` : sql`TRUE`;

/** The conversation reads and the resolve step the API offers. */
export type ConversationsRepository = ReturnType<typeof createConversationsRepository>;

/** Creates the conversations API repository. */
export function createConversationsRepository() {
  return {
    /** Conversations in the principal's scope, newest first, before id `before` when given. */
    list(
      db: Db,
      p: Principal,
      q: { state?: string; before?: number; limit: number },
    ): Promise<ConversationView[]> {
      return queryRows<ConversationView>(
        db,
        sql`SELECT ${columns} FROM conversations WHERE ${scope(p)}
            ${q.state ? sql`AND owner_state = ${q.state}` : sql``}
            ${q.before === undefined ? sql`` : sql`AND id < ${q.before}`}
            ORDER BY id DESC LIMIT ${q.limit}`,
      );
    },

    /** Resolves an open hand-off in the principal's scope; undefined when there is none. */
    async resolve(tx: Tx, p: Principal, id: number): Promise<ConversationView | undefined> {
      const [c] = await queryRows<ConversationView>(
        tx,
        sql`UPDATE conversations SET owner_state = 'resolved', updated_at = now()
            WHERE id = ${id} AND owner_state IN ('pending-human', 'human') AND ${scope(p)}
            RETURNING ${columns}`,
      );
      return c;
    },
  };
}
