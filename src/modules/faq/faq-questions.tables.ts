import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, pgTable, real, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * Every question the smart service decided on, PII masked: what it decided, with which entry, and (for the
 * learning loop) whether ops have reviewed it. Deflection is reported from here; unanswered questions are
 * clustered from here into the review queue.
 */
export const faqQuestions = pgTable(
  'faq_questions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    askedAt: timestamptz('asked_at').notNull().defaultNow(),
    channel: text('channel').notNull(),
    text: text('text').notNull(),
    outcome: text('outcome').notNull(),
    /** The entry that answered it, or the best candidate when it was not answered. */
    entryId: text('entry_id'),
    category: text('category'),
    confidence: real('confidence').notNull().default(0),
    candidates: text('candidates').array().notNull().default(sql`'{}'::text[]`),
    /** How the answer was reached: retrieval, an LLM rewrite, an LLM-composed reply, the client's choice. */
    via: text('via'),
    conversationId: bigint('conversation_id', { mode: 'number' }),
    /** The entry a clarification was settled on, when the client chose one. */
    resolvedEntryId: text('resolved_entry_id'),
    reviewStatus: text('review_status').notNull().default('open'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamptz('reviewed_at'),
    reviewEntryId: text('review_entry_id'),
  },
  (t) => [
    index('faq_questions_asked_idx').on(t.askedAt),
    index('faq_questions_review_idx')
      .on(t.askedAt)
      .where(sql`${t.reviewStatus} = 'open' AND ${t.outcome} <> 'answer'`),
    check('faq_questions_outcome', sql`${t.outcome} IN ('answer','clarify','handoff','fallback')`),
    check('faq_questions_review', sql`${t.reviewStatus} IN ('open','attached','drafted','dismissed')`),
  ],
);
