import type { createConfiguredSmartService } from '../../src/app/faq-wiring.ts';
import type { Db } from '../../src/platform/db/client.ts';

/** How clients reword a standard question: what the review queue collects. */
const REWORDINGS = [
  (q: string) => `请问${q}`,
  (q: string) => `${q}呢`,
  (q: string) => `我想问一下${q}`,
  (q: string) => `你好，${q}`,
  (q: string) => `麻烦问下${q}啊`,
  (q: string) => `${q}，谢谢`,
];

/**
 * The review loop as ops run it, once over the starter FAQ: the clients' rewordings of each entry's question
 * and first two similar questions are logged as handed-off questions, attached to their entry by an ops
 * user, and approved by a compliance reviewer. Enough approved similar questions for a refit.
 */
export async function reviewRewordings(smart: ReturnType<typeof createConfiguredSmartService>, db: Db) {
  for (const e of smart.faq.servedEntries()) {
    const ids: number[] = [];
    for (const reword of REWORDINGS) {
      for (const q of [e.question, ...e.similar.slice(0, 2)]) {
        const plan = await smart.answerer.answer(reword(q), {});
        ids.push(await smart.questionLog.record(db, 'bot', reword(q), plan, { outcome: 'handoff' }));
      }
    }
    const draft = await smart.review.attach(ids, e.entryId, 'ops-li');
    await smart.faq.review(
      draft.entryId,
      draft.version,
      { name: 'compliance-wang', role: 'compliance' },
      'approved',
    );
  }
}
