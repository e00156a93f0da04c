import { DEFAULT_DECISION_THRESHOLDS as CONFIGURED_DEFAULTS } from '../../../config-defaults.ts';
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

/** Defaults chosen by cross-validation on development data; config.ts applies the same values. */
export const DEFAULT_DECISION_THRESHOLDS: DecisionThresholds = { ...CONFIGURED_DEFAULTS };

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
    linear: {
      qw: -1.8,
      qu: 2.178,
      qb: -1.102,
      qt: 0,
      qs: -1.583,
      q2: -4.436,
      qsum: 0.82,
      ew: 0.589,
      eu: 5.39,
      eb: 1.115,
      et: 0,
      es: -0.068,
      cov: -0.765,
      rcov: 1.89,
      ecov: 2.916,
      aw: -1.171,
      au: 0.815,
      ab: 1.677,
      acov: -0.355,
      miss: 0.154,
      extra: 0.339,
      lcs: -0.17,
      lcsq: 5.325,
      vote: 3.976,
      logq: -1.202,
      std: 0.231,
    },
    squares: {
      qw: 5.826,
      qu: -0.233,
      qb: 0.767,
      qt: 0,
      qs: 1.396,
      q2: 2.904,
      qsum: 0.518,
      ew: -0.738,
      eu: -1.003,
      eb: 0.152,
      et: 0,
      es: 0.38,
      cov: 0.326,
      rcov: -1.804,
      ecov: 0.795,
      aw: 0.445,
      au: -0.468,
      ab: -1.006,
      acov: 2.651,
      miss: -0.007,
      extra: -0.044,
      lcs: -1.239,
      lcsq: -0.091,
      vote: -1.024,
      logq: 0.224,
      std: 0.231,
    },
    pairs: [
      -3.322, 0.194, -1.061, -1.694, -0.336, -0.145, 3.17, 0.083, -3.985, -0.876, -2.431, -0.8, -0.733,
      -1.734, -1.346, 1.4, 2.188, 0.195, 0.792, 0.86, -2.501, 1.161, -1.607, -0.575, -1.321, 1.716, 1.942,
      -2.575, 0.252, 0.968, 1.342, -0.913, 1.172, 1.568, -0.117, 2.387, -2.11, 0.104, 1.615, -0.896, 0.164,
      1.101, 1.613, 0.076, 1.117, -2.452, 0.466, 0.539, 3.019, -1.362, 1.01, 2.929, -0.279, -2.064, 0.789,
      0.944, -0.297, -1.328, -1.91, -3.263, 0.764, -1.287, -0.836, -0.809, 2.512, 1.178,
    ],
  },
  answerCalibrator: {
    bias: -17.137,
    weights: {
      p1: 2.266,
      p3: 0.998,
      z1: 0.133,
      gap: 0.393,
      first: 1.456,
      cov: -0.404,
      rcov: -0.751,
      known: 2.348,
      knownChars: 8.777,
      len: 1.008,
      vote: -0.479,
      logq: -0.051,
      covered: -0.484,
    },
  },
  clarifyCalibrator: {
    bias: -20.404,
    weights: {
      p1: -0.27,
      p3: 4.639,
      z1: 0.222,
      gap: 0.161,
      first: 2.182,
      cov: -0.449,
      rcov: -0.3,
      known: 2.286,
      knownChars: 9.514,
      len: 1.36,
      vote: -0.682,
      logq: 0.124,
      covered: -0.828,
    },
  },
};
