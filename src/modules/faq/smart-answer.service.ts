import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { RiskLevel } from '../compliance/compliance.rules.ts';
import type { ComplianceChecker } from '../compliance/compliance.service.ts';
import type { DenseSimilarity } from './dense-similarity.ts';
import type { FaqService } from './faq.service.ts';
import type { LlmClient } from './llm/llm-client.ts';

/** What the FAQ suggested for one message. */
export type FaqSuggestion = Awaited<ReturnType<FaqService['suggest']>>;

/** How an answer was reached. */
export type AnswerVia = 'retrieval' | 'llm-rewrite' | 'llm-compose';

/** The smart service's reply plan for one client message. */
export type SmartAnswer = FaqSuggestion & {
  via: AnswerVia;
  /** An LLM reply composed from approved entries (already compliance-checked), when one is used. */
  composed: { text: string; entryIds: string[] } | null;
};

/** Answers questions from the FAQ, with the optional LLM's help. */
export type SmartAnswerer = ReturnType<typeof createSmartAnswerer>;

const RISK_ORDER: readonly RiskLevel[] = ['R1', 'R2', 'R3', 'R4', 'R5'];

/**
 * Retrieval first; the LLM only where retrieval was unsure, and never as the last word on compliance:
 * - `rewrite`: a question retrieval would not answer is rewritten into a standard question and retried;
 * - `compose`: when retrieval would ask the client to choose, the model may compose one reply from those
 *   approved candidates, citing them; the reply must pass the compliance check in its strict form (with the
 *   strictest disclosure of the entries it cites, no excusing context, no PII), or the client is asked to
 *   choose as before.
 * Every LLM failure (down, slow, unusable output) falls back to retrieval alone; the LLM client bounds
 * each call by its timeout. Helix is fully useful with `llm` null.
 *
 * With `dense` (an embeddings endpoint), the client's question is embedded first and its similarity to
 * the entries' questions is added to the ranker's evidence; that one call is bounded by the embeddings
 * timeout, and when it fails the question is decided exactly as without `dense`. A rewrite is retried
 * lexically only: it is already a standard question, and a second embedding would spend the deadline.
 */
export function createSmartAnswerer(deps: {
  faq: Pick<FaqService, 'suggest'>;
  check: ComplianceChecker;
  llm: { client: LlmClient; rewrite: boolean; compose: boolean } | null;
  dense?: Pick<DenseSimilarity, 'adjusterFor'> | null;
  log: Log;
}) {
  const { llm } = deps;

  async function compose(question: string, s: FaqSuggestion): Promise<SmartAnswer['composed']> {
    if (!llm?.compose) return null;
    const offered = s.suggestions.slice(0, 3);
    const reply = await llm.client.composeReply(
      question,
      offered.map((x, i) => ({ ref: `E${i + 1}`, question: x.question, answer: x.answer })),
    );
    if (!reply) return null;
    const cited = reply.citations.map((ref) => offered[Number(ref.slice(1)) - 1]).filter((x) => !!x);
    const level = cited
      .map((x) => x.productRiskLevel as RiskLevel | null)
      .filter((l): l is RiskLevel => !!l)
      .sort((a, b) => RISK_ORDER.indexOf(b) - RISK_ORDER.indexOf(a))[0];
    const text = `${reply.text.replace(/\s*\[E\d+\]/g, '').trim()}\n（依据：${cited.map((x) => `《${x.question}》`).join('')}）`;
    // Stricter than for approved text: no cue word excuses a banned phrase, and any finding at all (a
    // phone number is only a warning in an RM's own text) drops a model's reply.
    const verdict = deps.check.check(text, { strict: true, ...(level ? { productRiskLevel: level } : {}) });
    if (verdict.findings.length > 0) {
      deps.log.warn({ rules: verdict.findings.map((f) => f.rule) }, 'LLM reply failed the compliance check');
      return null;
    }
    return { text, entryIds: cited.map((x) => x.entryId) };
  }

  return {
    /** The reply plan for a client's message; `handle` reads the KB through a caller's transaction. */
    async answer(question: string, client: { tier?: string | null }, handle?: Db | Tx): Promise<SmartAnswer> {
      const dense = deps.dense ? await deps.dense.adjusterFor(question) : undefined;
      const first = await deps.faq.suggest(question, client, handle, dense);
      let s: SmartAnswer = { ...first, via: 'retrieval', composed: null };
      if (!llm || s.unreadable || s.outcome === 'answer') return s;
      if (llm.rewrite) {
        const rewritten = await llm.client.rewriteQuery(question);
        if (rewritten && rewritten !== question) {
          const again = await deps.faq.suggest(rewritten, client, handle);
          if (again.outcome === 'answer' || (again.outcome === 'clarify' && s.outcome === 'handoff'))
            s = { ...again, via: 'llm-rewrite', composed: null };
          if (s.outcome === 'answer') return s;
        }
      }
      if (s.outcome === 'clarify') {
        const composed = await compose(question, s);
        if (composed) return { ...s, outcome: 'answer', via: 'llm-compose', composed };
      }
      return s;
    },
  };
}
