import { sql } from 'drizzle-orm';
import { bigserial, check, date, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';

/** FAQ entries: what is stable about them (category, who may see them, product risk, validity). */
export const faqEntries = pgTable('faq_entries', {
  id: text('id').primaryKey(),
  source: text('source').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/**
 * Every version of every entry: question, similar questions, answer and audience, with the maker–checker
 * status. Only an approved version inside its validity window is ever served.
 */
export const faqVersions = pgTable(
  'faq_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: text('entry_id').notNull(),
    version: integer('version').notNull(),
    question: text('question').notNull(),
    similar: text('similar').array().notNull().default(sql`'{}'::text[]`),
    answer: text('answer').notNull(),
    category: text('category').notNull(),
    tiers: text('tiers').array().notNull().default(sql`'{}'::text[]`),
    productRiskLevel: text('product_risk_level'),
    validFrom: date('valid_from'),
    validUntil: date('valid_until'),
    status: text('status').notNull(),
    author: text('author').notNull(),
    reviewer: text('reviewer'),
    findings: jsonb('findings').$type<unknown[]>().notNull().default([]),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    reviewedAt: timestamptz('reviewed_at'),
  },
  (t) => [
    uniqueIndex('faq_versions_entry_version_uq').on(t.entryId, t.version),
    check('faq_versions_status', sql`${t.status} IN ('draft','submitted','approved','rejected')`),
    check('faq_versions_maker_checker', sql`${t.reviewer} IS NULL OR ${t.reviewer} <> ${t.author}`),
  ],
);
