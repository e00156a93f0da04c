/**
 * `npm run bench:faq -- --kb <kb.tsv> --similar <queries.tsv> --queries <queries.tsv> [--ood <ood.tsv>] [--json]`
 * `npm run bench:faq -- --kb <kb.tsv> --cv 5 --queries <queries.tsv> [--ood <ood.tsv>] [--refit] [--json]`
 *
 * Loads the KB (id, question, answer), loads the `--similar` rows (query, id) as similar questions (相似问法)
 * and answers every `--queries` row with the configured thresholds (FAQ_* env, defaults in decision-defaults.ts)
 * and the shipped model. With
 * `--cv k` the one queries file is split into k folds and each fold is answered with the other folds loaded
 * as similar questions: an honest estimate of held-out performance (asking rows that are themselves loaded
 * as similar questions measures nothing). Prints {top1, top3, resolveRate, resolvePrecision, oodAbstain,
 * p50Ms, p99Ms}: top1/top3 judged by answer text (by id when the KB has no answers); resolveRate = share of
 * queries auto-answered correctly; resolvePrecision = share correct among auto-answered; oodAbstain = share
 * of out-of-domain queries not auto-answered. The data is read where it lies; nothing is copied. With
 * `--refit` each fold's questions are answered with the learning loop's refit on the other folds (when
 * the refit would deploy it): the learned ranker and thresholds against the shipped ones.
 *
 * `npm run bench:faq -- --kb <kb.tsv> --stream <queries.tsv> --review-every <n> [--seed <s>] [--json]`
 * replays the queries through Helix's smart service and review queue on a real database, with a simulated
 * ops review every n questions: the learning curve (see faq-stream.ts and docs/faq-retrieval.md).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { fitAdjuster, type RankerFit, refitRanker } from '../../src/modules/faq/learning/ranker-refit.ts';
import { DEFAULT_RETRIEVAL_MODEL } from '../../src/modules/faq/retrieval/decision-defaults.ts';
import {
  buildIndex,
  foldOf,
  makeJudge,
  newTally,
  projectLexicon,
  readKb,
  readOod,
  readQueries,
  runQueries,
  summarize,
} from './faq-bench-data.ts';
import { runStream } from './faq-stream.ts';

const { values: args } = parseArgs({
  options: {
    kb: { type: 'string' },
    similar: { type: 'string' },
    queries: { type: 'string' },
    ood: { type: 'string' },
    cv: { type: 'string' },
    stream: { type: 'string' },
    'review-every': { type: 'string' },
    seed: { type: 'string' },
    'refit-every': { type: 'string' },
    refit: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
if (!args.kb || (!args.queries && !args.stream)) {
  process.stderr.write(
    'usage: --kb <kb.tsv> --queries <queries.tsv> [--similar <tsv> | --cv <k>] [--ood <tsv>] [--json]\n' +
      '       --kb <kb.tsv> --stream <queries.tsv> [--review-every <n>] [--refit-every <reviews>] [--seed <s>] [--ood <tsv>] [--json]\n',
  );
  process.exit(2);
}
const print = (result: unknown): boolean =>
  process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
if (args.stream) {
  const reviewEvery = Number(args['review-every'] ?? 200);
  const seed = Number(args.seed ?? 1);
  const refitEvery = Number(args['refit-every'] ?? 5);
  if (!Number.isInteger(reviewEvery) || reviewEvery < 1 || !Number.isInteger(seed) || !(refitEvery >= 0)) {
    process.stderr.write('--review-every must be a positive integer, --seed an integer, --refit-every ≥ 0\n');
    process.exit(2);
  }
  const kb = readKb(args.kb);
  const started = performance.now();
  const result = await runStream({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }),
    kb,
    stream: readQueries(args.stream),
    reviewEvery,
    seed,
    refitEvery,
    ood: args.ood ? readOod(args.ood) : [],
    judge: makeJudge(kb),
    say: (line) => process.stderr.write(`${line}\n`),
  });
  print({
    ...result,
    reviewEvery,
    refitEvery,
    seed,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  });
  process.exit(0);
}
const queriesFile = args.queries as string;
const lexicon = projectLexicon();
// The configured thresholds (FAQ_* variables, else their defaults): what a running Helix would decide with.
const thresholds = loadConfig().faq.thresholds;
const model = DEFAULT_RETRIEVAL_MODEL;
const kb = readKb(args.kb);
const judge = makeJudge(kb);
const queries = readQueries(queriesFile);
const ood = args.ood ? readOod(args.ood) : [];
const tally = newTally();
let oodAnswered = 0;
const folds = Number(args.cv ?? 0);
const started = performance.now();

const refits: Record<string, unknown>[] = [];
if (folds > 1) {
  for (let f = 0; f < folds; f++) {
    const train = queries.filter((_, i) => foldOf(i, folds) !== f);
    const index = buildIndex(kb, train, lexicon, { model });
    const test = queries.filter((_, i) => foldOf(i, folds) === f);
    // Each OOD row is asked once, against the index of its own fold.
    const oodFold = ood.filter((_, i) => foldOf(i, folds) === f);
    // --refit: the learning loop's refit on the fold's similar questions (never on the fold's own), used
    // for the fold's questions when it would be deployed.
    let fit: RankerFit | null = null;
    if (args.refit) {
      const t = performance.now();
      const out = await refitRanker({
        entries: kb.map((e) => ({
          entryId: e.id,
          question: e.question,
          similar: train.filter((x) => x.id === e.id).map((x) => x.q),
          answer: e.answer || e.id,
        })),
        lexicon,
        thresholds,
        current: null,
      });
      fit = out.report.deploy ? out.fit : null;
      refits.push({
        fold: f,
        deployed: !!fit,
        reason: out.report.reason,
        chosen: out.report.chosen,
        seconds: Number(((performance.now() - t) / 1000).toFixed(1)),
      });
    }
    oodAnswered += runQueries(
      index,
      test,
      oodFold,
      fit?.thresholds ?? thresholds,
      judge,
      tally,
      fit ? fitAdjuster(fit) : undefined,
    );
  }
} else {
  const index = buildIndex(kb, args.similar ? readQueries(args.similar) : [], lexicon, { model });
  oodAnswered = runQueries(index, queries, ood, thresholds, judge, tally);
}

const result = {
  ...summarize(tally, { n: ood.length, answered: oodAnswered }),
  mode: folds > 1 ? `cv${folds}${args.refit ? '+refit' : ''}` : 'fixed',
  ...(args.refit ? { refits } : {}),
  seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  thresholds,
};
print(result);
