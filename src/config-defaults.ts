/**
 * Defaults that config.ts applies and that code further down also needs as plain values (tests, the FAQ
 * bench and trainer). They live here, beside config.ts, so config never imports from a module.
 */

/** FAQ answer / clarify / hand-off thresholds, chosen by cross-validation on development data (docs/faq-retrieval.md). */
export const DEFAULT_DECISION_THRESHOLDS = {
  answerThreshold: 0.92,
  clarifyThreshold: 0.5,
  clarifyMinShare: 0.1,
  clarifyMaxCandidates: 3,
  maxQueryChars: 300,
} as const;
