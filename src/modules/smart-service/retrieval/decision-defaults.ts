import type { RetrievalModel } from './ranking-model.ts';

/** The knobs of the answer / clarify / hand-off decision (config.ts maps env vars onto these). */
export type DecisionThresholds = {
  /** Answer automatically when P(top answer is right) is at least this. */
  answerThreshold: number;
  /** Otherwise offer candidates when P(right answer among the top three) is at least this. */
  clarifyThreshold: number;
  /** A candidate is offered only if its probability is at least this share of the top one's. */
  clarifyMinShare: number;
  /** At most this many candidates are offered (2–3 reads well in a chat). */
  clarifyMaxCandidates: number;
  /** Longer questions are handed off unread (a pasted document is not a standard question). */
  maxQueryChars: number;
};

/** Defaults chosen by cross-validation on development data (docs/faq-retrieval.md). */
export const DEFAULT_DECISION_THRESHOLDS: DecisionThresholds = {
  answerThreshold: 0.92,
  clarifyThreshold: 0.5,
  clarifyMinShare: 0.1,
  clarifyMaxCandidates: 3,
  maxQueryChars: 300,
};

/** Ranking and calibration weights fitted on cross-validation folds (tests/bench/faq-train.ts). */
export const DEFAULT_RETRIEVAL_MODEL: RetrievalModel = {
  questionBm25: {
    k1: 1.2,
    b: 0.75,
  },
  questionIdf: 'entry',
  entryBm25: {
    k1: 1.2,
    b: 0.3,
  },
  answerBm25: {
    k1: 1.2,
    b: 0.75,
  },
  fieldWeights: {
    w: 1,
    u: 0.3,
    b: 0.6,
    t: 0,
    s: 0.5,
  },
  poolSize: 30,
  ranker: {
    qw: 1.062,
    qu: 2.217,
    qb: -1.846,
    qt: 0,
    qs: 0.239,
    q2: -3.259,
    qsum: 2.051,
    ew: -1.518,
    eu: 2.555,
    eb: 1.197,
    et: 0,
    es: 0.424,
    cov: -5.769,
    rcov: 2.52,
    ecov: 6.147,
    aw: -0.332,
    au: -0.054,
    ab: 0.926,
    acov: 1.503,
    miss: 0.036,
    extra: -0.61,
    lcs: -0.25,
    lcsq: 0.709,
    vote: 3.594,
    logq: -0.3,
    std: 0.634,
  },
  answerCalibrator: {
    bias: -15.407,
    weights: {
      p1: 2.67,
      p3: -0.252,
      z1: 0.149,
      gap: 0.378,
      first: 2.057,
      cov: -1.213,
      rcov: -0.779,
      known: 2.511,
      knownChars: 7.459,
      len: 1.292,
      vote: -0.881,
      logq: 0.059,
      covered: -0.218,
    },
  },
  clarifyCalibrator: {
    bias: -18.017,
    weights: {
      p1: 0.801,
      p3: 3.357,
      z1: 0.227,
      gap: 0.075,
      first: 2.356,
      cov: -1.044,
      rcov: -0.335,
      known: 2.183,
      knownChars: 8.012,
      len: 1.81,
      vote: -0.808,
      logq: 0.029,
      covered: -0.213,
    },
  },
};
