import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

/** Where a question reached the smart service. */
export type QuestionChannel = 'bot' | 'assist' | 'rm-app' | 'kf';

/** One decided question, as recorded. */
export type NewQuestion = {
  channel: QuestionChannel;
  /** PII already masked. */
  text: string;
  outcome: 'answer' | 'clarify' | 'handoff' | 'fallback';
  entryId: string | null;
  category: string | null;
  confidence: number;
  candidates: string[];
  via: string | null;
  conversationId: number | null;
};

/** A question waiting in the review queue. */
export type OpenQuestion = {
  id: number;
  text: string;
  outcome: string;
  candidates: string[];
  askedAt: string;
};

/** Deflection counts for one entry or category. */
export type DeflectionRow = {
  key: string;
  asked: number;
  answered: number;
  clarifiedAndChosen: number;
  clarified: number;
  handedOff: number;
};

/** SQL of the question log: recording, the review queue, deflection. */
export type FaqQuestionsRepository = ReturnType<typeof createFaqQuestionsRepository>;

/** Creates the repository. */
export function createFaqQuestionsRepository() {
  return {
    /** Records a decided question; returns its id. */
    async record(db: Db | Tx, q: NewQuestion): Promise<number> {
      const [row] = await queryRows<{ id: number }>(
        db,
        sql`INSERT INTO faq_questions (channel, text, outcome, entry_id, category, confidence, candidates, via, conversation_id)
            VALUES (${q.channel}, ${q.text}, ${q.outcome}, ${q.entryId}, ${q.category}, ${q.confidence},
                    ${sql.param(q.candidates)}::text[], ${q.via}, ${q.conversationId})
            RETURNING id::int AS id`,
      );
      return row?.id ?? 0;
    },

    /** The client chose one of a clarification's candidates. */
    async resolveClarification(tx: Tx, id: number, entryId: string): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE faq_questions SET resolved_entry_id = ${entryId} WHERE id = ${id} AND outcome = 'clarify'`,
      );
    },

    /** Unanswered questions (clarified or handed off) nobody has reviewed yet, newest first. */
    openForReview: (db: Db, limit: number) =>
      queryRows<OpenQuestion>(
        db,
        sql`SELECT id::int AS id, text, outcome, candidates, asked_at::text AS "askedAt" FROM faq_questions
            WHERE review_status = 'open' AND outcome IN ('clarify', 'handoff')
            ORDER BY asked_at DESC, id DESC LIMIT ${limit}`,
      ),

    /** Locks open questions for a review step; returns those still open (in id order). */
    lockOpen: (tx: Tx, ids: readonly number[]) =>
      queryRows<{ id: number; text: string }>(
        tx,
        sql`SELECT id::int AS id, text FROM faq_questions
            WHERE id = ANY(${sql.param(ids.map(String))}::bigint[]) AND review_status = 'open'
            ORDER BY id FOR UPDATE`,
      ),

    /** Closes questions with a review outcome. */
    async markReviewed(
      tx: Tx,
      ids: readonly number[],
      status: 'attached' | 'drafted' | 'dismissed',
      actor: string,
      entryId: string | null,
    ): Promise<void> {
      await queryRows(
        tx,
        sql`UPDATE faq_questions SET review_status = ${status}, reviewed_by = ${actor}, reviewed_at = now(),
              review_entry_id = ${entryId}
            WHERE id = ANY(${sql.param(ids.map(String))}::bigint[]) AND review_status = 'open'`,
      );
    },

    /**
     * Deflection per entry (the entry that answered, else the best candidate) or per category, over
     * readable questions asked since `since`. Fallbacks (nothing to read) are not questions and not counted.
     */
    deflection: (db: Db, by: 'entry' | 'category', since: Date) =>
      queryRows<DeflectionRow>(
        db,
        sql`SELECT COALESCE(${by === 'entry' ? sql`COALESCE(resolved_entry_id, entry_id)` : sql`category`}, '(none)') AS key,
                   count(*)::int AS asked,
                   count(*) FILTER (WHERE outcome = 'answer')::int AS answered,
                   count(*) FILTER (WHERE outcome = 'clarify' AND resolved_entry_id IS NOT NULL)::int AS "clarifiedAndChosen",
                   count(*) FILTER (WHERE outcome = 'clarify')::int AS clarified,
                   count(*) FILTER (WHERE outcome = 'handoff')::int AS "handedOff"
            FROM faq_questions WHERE channel IN ('bot', 'kf') AND outcome <> 'fallback' AND asked_at >= ${since}
            GROUP BY 1 ORDER BY asked DESC, key`,
      ),
  };
}
