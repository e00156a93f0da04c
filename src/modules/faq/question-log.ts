import type { Db, Tx } from '../../platform/db/client.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { FaqQuestionsRepository, QuestionChannel } from './faq-questions.repository.ts';
import type { FaqSuggestion, SmartAnswer } from './smart-answer.service.ts';

/** Records what the smart service decided for each question, for deflection and the review queue. */
export type QuestionLog = ReturnType<typeof createQuestionLog>;

/** Creates the question log; texts are PII-masked before they are stored. */
export function createQuestionLog(deps: {
  questions: FaqQuestionsRepository;
  mask: (text: string) => string;
  metrics: Pick<Metrics, 'faqDecisions'>;
}) {
  return {
    /** Records one decision; `outcome` overrides the suggestion's (a fallback, a hand-off it forced). */
    record(
      handle: Db | Tx,
      channel: QuestionChannel,
      text: string,
      s: FaqSuggestion | SmartAnswer,
      opts: { outcome?: 'answer' | 'clarify' | 'handoff' | 'fallback'; conversationId?: number } = {},
    ): Promise<number> {
      const composed = 'composed' in s ? s.composed : null;
      const top = s.suggestions[0];
      const outcome = opts.outcome ?? (s.unreadable ? 'fallback' : s.outcome);
      const via = 'via' in s ? s.via : 'retrieval';
      deps.metrics.faqDecisions.inc({ channel, outcome, via });
      return deps.questions.record(handle, {
        channel,
        text: deps.mask(text).slice(0, 1000),
        outcome,
        entryId: composed?.entryIds[0] ?? top?.entryId ?? null,
        category: top?.category ?? null,
        confidence: s.confidence,
        candidates: s.suggestions.map((x) => x.entryId),
        via,
        conversationId: opts.conversationId ?? null,
      });
    },
  };
}
