/**
 * Fits the FAQ ranker and calibrators on cross-validation folds and reports honest (nested) numbers.
 *
 * `node --import tsx tests/bench/faq-train.ts --data /work/shared/data/faq --train unionpay,jining
 *    [--eval bq] [--cv 5] [--first '<json RetrievalModel overrides>'] [--tokenizer '<json>'] [--l2 0.1]
 *    [--no-lexicon] [--taus 0.85,0.9] [--clarify-taus 0.3,0.5] [--json]`
 *
 * For every set and fold, the KB plus the other folds' paraphrases is indexed and the fold's queries (and
 * the fold's share of the OOD queries) are turned into candidate pools. The ranker and the calibrators are
 * then fitted on the pools of the other folds and judged on the held-out fold (nested), and finally fitted
 * on all folds: those weights are what decision-defaults.ts ships. Every `--train` set weighs the same.
 * Only weights of features come out of this; no row of the data does.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeDecision } from '../../src/modules/faq/retrieval/decision.ts';
import {
  DEFAULT_DECISION_THRESHOLDS,
  DEFAULT_RETRIEVAL_MODEL,
  type DecisionThresholds,
} from '../../src/modules/faq/retrieval/decision-defaults.ts';
import { EMPTY_LEXICON } from '../../src/modules/faq/retrieval/lexicon.loader.ts';
import { fitLogistic, fitRanker } from '../../src/modules/faq/retrieval/model-fitting.ts';
import {
  type CandidatePool,
  type QueryAnalysis,
  rankPool,
} from '../../src/modules/faq/retrieval/query-analysis.ts';
import {
  DECISION_FEATURES,
  type DecisionFeature,
  expandRankFeatures,
  type LogisticModel,
  type Ranker,
  type RetrievalModel,
  rankerFromVector,
} from '../../src/modules/faq/retrieval/ranking-model.ts';
import {
  buildIndex,
  foldOf,
  makeJudge,
  projectLexicon,
  readKb,
  readOod,
  readQueries,
} from './faq-bench-data.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/data/faq' },
    train: { type: 'string', default: 'unionpay,jining' },
    eval: { type: 'string', default: '' },
    cv: { type: 'string', default: '5' },
    first: { type: 'string', default: '{}' },
    tokenizer: { type: 'string', default: '{}' },
    l2: { type: 'string', default: '0.1' },
    taus: { type: 'string' },
    'clarify-taus': { type: 'string' },
    'no-lexicon': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const K = Number(args.cv);
const trainSets = args.train.split(',').filter(Boolean);
const evalSets = [...trainSets, ...args.eval.split(',').filter(Boolean)];
const base: RetrievalModel = {
  ...DEFAULT_RETRIEVAL_MODEL,
  ...(JSON.parse(args.first) as Partial<RetrievalModel>),
};
const tokenizer = JSON.parse(args.tokenizer) as Record<string, unknown>;
const lexicon = args['no-lexicon'] ? EMPTY_LEXICON : projectLexicon();
const log = (m: string) => process.stderr.write(`${m}\n`);

type Example = { set: string; fold: number; pool: CandidatePool; gold: boolean[]; ood: boolean };
const examples: Example[] = [];
const oodAll = readOod(path.join(args.data, 'ood', 'queries.tsv'));
for (const set of evalSets) {
  const kb = readKb(path.join(args.data, set, 'kb.tsv'));
  const judge = makeJudge(kb);
  const queries = readQueries(path.join(args.data, set, 'queries.tsv'));
  const t0 = performance.now();
  for (let f = 0; f < K; f++) {
    const index = buildIndex(
      kb,
      queries.filter((_, i) => foldOf(i, K) !== f),
      lexicon,
      { model: base, tokenizer },
    );
    for (const [i, row] of queries.entries()) {
      if (foldOf(i, K) !== f) continue;
      const pool = index.pool(row.q);
      examples.push({
        set,
        fold: f,
        pool,
        gold: pool.candidates.map((c) => judge(c.id, row.id)),
        ood: false,
      });
    }
    for (const [i, q] of oodAll.entries()) {
      if (foldOf(i, K) !== f) continue;
      const pool = index.pool(q);
      examples.push({ set, fold: f, pool, gold: pool.candidates.map(() => false), ood: true });
    }
  }
  log(`${set}: pools in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const setWeight = new Map(
  trainSets.map((s) => [s, 1000 / examples.filter((e) => e.set === s && !e.ood).length]),
);
const l2 = Number(args.l2);

function fitRankerOn(train: Example[]): Ranker {
  const w = fitRanker(
    train
      .filter((e) => !e.ood)
      .map((e) => ({
        features: e.pool.candidates.map((c) => expandRankFeatures(c.features)),
        gold: e.gold,
        weight: setWeight.get(e.set) ?? 0,
      })),
    { l2, iterations: 30 },
  );
  return rankerFromVector(w);
}

type Scored = {
  e: Example;
  x: Record<DecisionFeature, number>;
  top1: boolean;
  top3: boolean;
  inPool: boolean;
};
const score = (e: Example, ranker: Ranker): Scored => {
  const a = rankPool(e.pool, ranker);
  const goldOf = new Map(e.pool.candidates.map((c, i) => [c.id, e.gold[i] === true]));
  const ids = a.answers.map((g) => g.hit.id);
  return {
    e,
    x: a.features,
    top1: goldOf.get(ids[0] ?? '') === true,
    top3: ids.slice(0, 3).some((id) => goldOf.get(id) === true),
    inPool: e.gold.some(Boolean),
  };
};

function fitCalibrator(rows: Scored[], label: (s: Scored) => boolean): LogisticModel<DecisionFeature> {
  // In-domain rows weigh as their set; the OOD rows together weigh as much as one set.
  const oodN = rows.filter((r) => r.e.ood).length || 1;
  const w = fitLogistic(
    rows.map((r) => DECISION_FEATURES.map((f) => r.x[f])),
    rows.map(label),
    {
      l2: 0.01,
      iterations: 50,
      weights: rows.map((r) => (r.e.ood ? 1000 / oodN : (setWeight.get(r.e.set) ?? 0))),
    },
  );
  return {
    bias: w[0] ?? 0,
    weights: Object.fromEntries(DECISION_FEATURES.map((f, i) => [f, w[i + 1] ?? 0])) as Record<
      DecisionFeature,
      number
    >,
  };
}

/** A fitted model (first stage as configured, ranker and calibrators as fitted on `train`). */
function fitModel(train: Example[]): RetrievalModel {
  const ranker = fitRankerOn(train);
  const scored = train.map((e) => score(e, ranker));
  return {
    ...base,
    ranker,
    answerCalibrator: fitCalibrator(scored, (s) => s.top1 && !s.e.ood),
    clarifyCalibrator: fitCalibrator(scored, (s) => s.top3 && !s.e.ood),
  };
}

// Nested: fold f is judged by a model fitted only on the other folds (of the training sets).
type Judged = { e: Example; a: QueryAnalysis; model: RetrievalModel; top1: boolean; top3: boolean };
const judged: Judged[] = [];
for (let f = 0; f < K; f++) {
  const model = fitModel(examples.filter((e) => e.fold !== f && trainSets.includes(e.set)));
  for (const e of examples.filter((x) => x.fold === f)) {
    const s = score(e, model.ranker);
    judged.push({ e, a: rankPool(e.pool, model.ranker), model, top1: s.top1, top3: s.top3 });
  }
  log(`fold ${f} fitted`);
}

const r4 = (x: number) => Number(x.toFixed(4));
const isGold = (j: Judged, id: string) =>
  j.e.gold[j.e.pool.candidates.findIndex((c) => c.id === id)] === true;
/** The decision's numbers on one set at one pair of thresholds. */
const outcomes = (set: string, t: DecisionThresholds) => {
  let answered = 0;
  let correct = 0;
  let clarified = 0;
  let clarifyHit = 0;
  let oodAnswered = 0;
  let oodClarified = 0;
  let n = 0;
  let nOod = 0;
  for (const j of judged) {
    if (j.e.set !== set) continue;
    const d = makeDecision(j.a, j.model, t);
    if (j.e.ood) {
      nOod++;
      if (d.outcome === 'answer') oodAnswered++;
      if (d.outcome === 'clarify') oodClarified++;
      continue;
    }
    n++;
    if (d.outcome === 'answer') {
      answered++;
      if (isGold(j, d.entryId)) correct++;
    } else if (d.outcome === 'clarify') {
      clarified++;
      if (d.candidates.some((c) => isGold(j, c.id))) clarifyHit++;
    }
  }
  return {
    answerThreshold: t.answerThreshold,
    clarifyThreshold: t.clarifyThreshold,
    resolveRate: r4(correct / (n || 1)),
    resolvePrecision: r4(answered ? correct / answered : 1),
    clarifyRate: r4(clarified / (n || 1)),
    clarifyHit: r4(clarified ? clarifyHit / clarified : 0),
    handoffRate: r4((n - answered - clarified) / (n || 1)),
    oodAbstain: r4(1 - oodAnswered / (nOod || 1)),
    oodClarify: r4(oodClarified / (nOod || 1)),
  };
};
const answerTaus = (args.taus ?? '0.8,0.85,0.88,0.9,0.92,0.94').split(',').map(Number);
const clarifyTaus = (args['clarify-taus'] ?? '0.5').split(',').map(Number);
const report = evalSets.map((set) => {
  const inDomain = judged.filter((j) => j.e.set === set && !j.e.ood);
  const mean = (p: (j: Judged) => boolean) => r4(inDomain.filter(p).length / inDomain.length);
  return {
    set,
    queries: inDomain.length,
    top1: mean((j) => j.top1),
    top3: mean((j) => j.top3),
    poolRecall: mean((j) => j.e.gold.some(Boolean)),
    curve: answerTaus.flatMap((answerThreshold) =>
      clarifyTaus.map((clarifyThreshold) =>
        outcomes(set, { ...DEFAULT_DECISION_THRESHOLDS, answerThreshold, clarifyThreshold }),
      ),
    ),
  };
});

// The shipped model: fitted on all folds of the training sets.
const fitted = fitModel(examples.filter((e) => trainSets.includes(e.set)));
const round = <T extends Record<string, number>>(o: T): T =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v.toFixed(3))])) as T;
const roundCal = (m: LogisticModel<DecisionFeature>) => ({
  bias: Number(m.bias.toFixed(3)),
  weights: round(m.weights),
});
const model: RetrievalModel = {
  ...fitted,
  ranker: {
    linear: round(fitted.ranker.linear),
    squares: round(fitted.ranker.squares),
    pairs: fitted.ranker.pairs.map((v) => Number(v.toFixed(3))),
  },
  answerCalibrator: roundCal(fitted.answerCalibrator),
  clarifyCalibrator: roundCal(fitted.clarifyCalibrator),
};
if (args.json) process.stdout.write(`${JSON.stringify({ report, model })}\n`);
else {
  for (const r of report) {
    process.stdout.write(
      `${r.set}: n=${r.queries} top1=${r.top1} top3=${r.top3} poolRecall=${r.poolRecall}\n`,
    );
    for (const c of r.curve) process.stdout.write(`  ${JSON.stringify(c)}\n`);
  }
  process.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
}
