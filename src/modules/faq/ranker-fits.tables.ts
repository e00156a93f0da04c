import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/**
 * Every refit of the learning loop's ranker: what it found (the cross-validated choice, the held-back
 * comparison) and, when one was fitted, the fit itself. At most one is `deployed`: every process serves
 * with it from its next question; a fit that did worse than what was served is kept as `not_deployed`.
 */
export const faqRankerFits = pgTable(
  'faq_ranker_fits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /** deployed | not_deployed (worse, or nothing fitted) | retired (replaced by a later deployment). */
    status: text('status').notNull(),
    /** What the fit was made from: a digest of the served KB, so an unchanged KB is not refitted. */
    kbDigest: text('kb_digest').notNull(),
    examples: integer('examples').notNull(),
    actor: text('actor').notNull(),
    report: jsonb('report').notNull(),
    fit: jsonb('fit'),
  },
  (t) => [
    index('faq_ranker_fits_deployed_idx').on(t.id).where(sql`${t.status} = 'deployed'`),
    check('faq_ranker_fits_status', sql`${t.status} IN ('deployed','not_deployed','retired')`),
  ],
);
