import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { FaqService } from './faq.service.ts';
import type { FaqRow } from './faq-import.parser.ts';
import type { DeflectionRow, FaqQuestionsRepository } from './faq-questions.repository.ts';
import { clusterQuestions } from './question-clusters.ts';
import type { Tokenizer } from './retrieval/tokenizer.ts';

type ReviewTx = Parameters<FaqService['writeDraft']>[0];

/** The learning loop: the review queue of unanswered questions, and deflection reports. */
export type FaqReviewService = ReturnType<typeof createFaqReviewService>;

const rate = (r: DeflectionRow) => ({
  ...r,
  // Deflected: answered without a person, directly or after the client chose among the offered answers.
  deflectionRate: r.asked ? Number(((r.answered + r.clarifiedAndChosen) / r.asked).toFixed(4)) : 0,
});

/**
 * Creates the review service. Ops attach unanswered questions to an entry as similar questions, or draft a
 * new entry from them; either way the result is a draft that compliance approves (maker ≠ checker) before
 * it is served, and the questions leave the queue in the same transaction. Every step is audited.
 */
export function createFaqReviewService(deps: {
  db: Db;
  questions: FaqQuestionsRepository;
  faq: Pick<FaqService, 'writeDraft'>;
  audit: AuditRepository;
  tokenize: Tokenizer;
}) {
  const { db, questions } = deps;

  /** Locks the questions; all must still be open, or nothing is changed. */
  async function openQuestions(tx: ReviewTx, ids: readonly number[]) {
    const rows = await questions.lockOpen(tx, ids);
    const open = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !open.has(id));
    if (missing.length > 0) {
      throw new AppError('conflict', {
        message: `question(s) ${missing.join(', ')} are not in the review queue (unknown or already reviewed); nothing was changed`,
        zh: `问题 ${missing.join('、')} 不在待审核队列中（不存在或已审核），未做任何更改。`,
        details: { missing },
      });
    }
    return rows;
  }

  /** One review step that writes a draft: lock the questions, write it, close them, audit; all or nothing. */
  function draftFrom(
    ids: readonly number[],
    status: 'attached' | 'drafted',
    actor: string,
    entryId: string,
    write: (tx: ReviewTx, texts: string[]) => Promise<{ entryId: string; version: number }>,
  ) {
    return db.transaction(async (tx) => {
      const rows = await openQuestions(tx, ids);
      const out = await write(
        tx,
        rows.map((r) => r.text),
      );
      await questions.markReviewed(tx, ids, status, actor, entryId);
      await deps.audit.append(tx, {
        actor,
        action: status === 'attached' ? 'faq.review.attach' : 'faq.review.draft',
        targetType: 'faq',
        targetId: `${out.entryId}@${out.version}`,
        details: { questions: ids },
      });
      return out;
    });
  }

  return {
    /** The open unanswered questions (newest `limit`), clustered by wording, biggest cluster first. */
    async queue(limit: number) {
      const open = await questions.openForReview(db, limit);
      return { questions: open.length, clusters: clusterQuestions(open, deps.tokenize) };
    },

    /** Adds the questions to an entry as similar questions, as a new draft version. */
    attach: (ids: readonly number[], entryId: string, actor: string) =>
      draftFrom(ids, 'attached', actor, entryId, (tx, texts) =>
        deps.faq.writeDraft(tx, { entryId, addSimilar: texts }, actor),
      ),

    /** Drafts a new entry whose similar questions are these questions. */
    draft: (ids: readonly number[], entry: Omit<FaqRow, 'line' | 'similar'>, actor: string) =>
      draftFrom(ids, 'drafted', actor, entry.id, (tx, texts) => {
        const similar = [...new Set(texts)].filter((t) => t !== entry.question);
        return deps.faq.writeDraft(tx, { row: { ...entry, line: 0, similar } }, actor);
      }),

    /** Takes questions out of the queue without changing the KB (chit-chat, out of scope). */
    async dismiss(ids: readonly number[], actor: string) {
      await db.transaction(async (tx) => {
        await openQuestions(tx, ids);
        await questions.markReviewed(tx, ids, 'dismissed', actor, null);
        await deps.audit.append(tx, {
          actor,
          action: 'faq.review.dismiss',
          targetType: 'faq_questions',
          details: { questions: ids },
        });
      });
      return { dismissed: ids.length };
    },

    /** Deflection overall, per category and per entry, for questions asked since `since`. */
    async deflection(since: Date) {
      const [byCategory, byEntry] = await Promise.all([
        questions.deflection(db, 'category', since),
        questions.deflection(db, 'entry', since),
      ]);
      const total = byCategory.reduce(
        (t, r) => ({
          key: 'all',
          asked: t.asked + r.asked,
          answered: t.answered + r.answered,
          clarifiedAndChosen: t.clarifiedAndChosen + r.clarifiedAndChosen,
          clarified: t.clarified + r.clarified,
          handedOff: t.handedOff + r.handedOff,
        }),
        { key: 'all', asked: 0, answered: 0, clarifiedAndChosen: 0, clarified: 0, handedOff: 0 },
      );
      return {
        since: since.toISOString(),
        overall: rate(total),
        categories: byCategory.map(rate),
        entries: byEntry.map(rate),
      };
    },
  };
}
