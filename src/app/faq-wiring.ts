import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import type { RiskLevel } from '../modules/compliance/compliance.rules.ts';
import type { ComplianceChecker } from '../modules/compliance/compliance.service.ts';
import { createDenseSimilarity } from '../modules/faq/dense-similarity.ts';
import { createFaqRepository } from '../modules/faq/faq.repository.ts';
import { createFaqService } from '../modules/faq/faq.service.ts';
import { parseFaqFile } from '../modules/faq/faq-import.parser.ts';
import { createFaqQuestionsRepository } from '../modules/faq/faq-questions.repository.ts';
import { createFaqReviewService } from '../modules/faq/faq-review.service.ts';
import { createRankerRefitService } from '../modules/faq/learning/ranker-refit.service.ts';
import { createEmbeddingsClient } from '../modules/faq/llm/embeddings-client.ts';
import { createLlmClient } from '../modules/faq/llm/llm-client.ts';
import { createQuestionLog } from '../modules/faq/question-log.ts';
import { createRankerFitsRepository } from '../modules/faq/ranker-fits.repository.ts';
import { loadLexicon } from '../modules/faq/retrieval/lexicon.loader.ts';
import { createTokenizer } from '../modules/faq/retrieval/tokenizer.ts';
import { createSmartAnswerer } from '../modules/faq/smart-answer.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';

/**
 * The starter FAQ shipped in the content library. A bad file, or an answer with a blocking compliance
 * finding (a banned claim, a product answer without its disclosure), stops the start: library entries are
 * recorded as approved, so they must pass the same rules a compliance reviewer applies.
 */
export function loadStarterFaq(config: Config, check: ComplianceChecker) {
  const file = path.join(config.contentLibraryDir, 'faq', 'starter-faq.tsv');
  const parsed = parseFaqFile(readFileSync(file, 'utf8'), 'tsv');
  if (!parsed.ok) {
    throw new Error(
      parsed.problems.map((p) => `${file}: line ${p.line}: ${p.field}: ${p.message}`).join('\n'),
    );
  }
  const problems = parsed.rows.flatMap((r) =>
    check
      .check(r.answer, r.productRiskLevel ? { productRiskLevel: r.productRiskLevel as RiskLevel } : {})
      .findings.filter((f) => f.severity === 'block')
      .map((f) => `${file}: line ${r.line}: answer: ${f.rule}: ${f.suggestion}`),
  );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return parsed.rows;
}

/**
 * The smart service on the content library's lexicon (synonyms, stop words), the configured thresholds,
 * the optional LLM and optional dense similarity (embeddings): the FAQ, the answerer, the question log and the review (learning-loop) service.
 */
export function createConfiguredSmartService(deps: {
  config: Config;
  db: Db;
  check: ComplianceChecker;
  clock: Clock;
  log: Log;
  metrics: Metrics;
}) {
  const { config, db, check, log, metrics } = deps;
  const audit = createAuditRepository();
  const lexicon = loadLexicon(path.join(config.contentLibraryDir, 'faq'));
  const mask = (text: string) => check.check(text).masked;
  const fits = createRankerFitsRepository();
  const faq = createFaqService({
    db,
    repo: createFaqRepository(),
    fits,
    audit,
    check,
    lexicon,
    thresholds: config.faq.thresholds,
    clock: deps.clock,
    log,
  });
  const llm = config.llm
    ? {
        client: createLlmClient({ settings: config.llm.settings, mask, log, metrics }),
        rewrite: config.llm.rewrite,
        compose: config.llm.compose,
      }
    : null;
  // Dense similarity keeps its own vectors of what `faq` serves, so it is built once per FAQ service.
  const dense = config.embeddings
    ? createDenseSimilarity({
        embedder: createEmbeddingsClient({ settings: config.embeddings.settings, log, metrics }),
        entries: faq.servedEntries,
        weight: config.embeddings.denseWeight,
        mask,
        clock: deps.clock,
        log,
      })
    : null;
  const questions = createFaqQuestionsRepository();
  return {
    faq,
    questions,
    /** Dense similarity (null without an embeddings model): its readiness, for status and tests. */
    dense,
    answerer: createSmartAnswerer({ faq, check, llm, dense, log }),
    questionLog: createQuestionLog({ questions, mask, metrics }),
    review: createFaqReviewService({ db, questions, faq, audit, tokenize: createTokenizer(lexicon) }),
    /** The learning loop's refit of the ranker on the approved similar questions. */
    refit: createRankerRefitService({
      db,
      faq,
      fits,
      audit,
      lexicon,
      thresholds: config.faq.thresholds,
      options: { precisionTarget: config.faq.refit.precisionTarget },
      log,
    }),
  };
}
