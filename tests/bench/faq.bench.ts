/**
 * `npm run bench:faq -- --kb <kb.tsv> --similar <queries.tsv> --queries <queries.tsv> [--ood <ood.tsv>] [--json]`
 * `npm run bench:faq -- --kb <kb.tsv> --cv 5 --queries <queries.tsv> [--ood <ood.tsv>] [--json]`
 *
 * Loads the KB (id, question, answer), loads `--similar` rows (query, id) as similar questions (相似问法), and
 * answers every `--queries` row with the configured thresholds. With `--cv k` the one queries file is split
 * into k folds: each fold is answered with the other folds loaded as similar questions (an honest estimate
 * of held-out performance). Prints {top1, top3, resolveRate, resolvePrecision, oodAbstain, p50Ms, p99Ms}:
 * top1/top3 judged by answer text (by id when the KB has no answers); resolveRate = share of queries
 * auto-answered correctly; resolvePrecision = share correct among auto-answered; oodAbstain = share of
 * out-of-domain queries not auto-answered. The data is read from where it lies; nothing is copied.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { decide } from '../../src/modules/smart-service/faq-decision.ts';
import { createFaqIndex } from '../../src/modules/smart-service/faq-index.ts';
import { loadSynonyms } from '../../src/modules/smart-service/faq-synonyms.ts';

const { values: args } = parseArgs({
  options: {
    kb: { type: 'string' },
    similar: { type: 'string' },
    queries: { type: 'string' },
    ood: { type: 'string' },
    cv: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!args.kb || !args.queries) throw new Error('--kb and --queries are required');
const config = loadConfig({});
const thresholds = config.faq.thresholds;
const synonyms = loadSynonyms(path.join(config.contentLibraryDir, 'faq', 'synonyms.yaml'));

const tsv = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));
const kb = tsv(args.kb).map(([id, question, answer]) => ({
  id: id as string,
  question: question as string,
  answer,
}));
const answers = new Map(kb.map((e) => [e.id, e.answer]));
const hasAnswers = kb.some((e) => e.answer);
const sameAnswer = (a: string, b: string) =>
  a === b || (hasAnswers && answers.get(a) !== undefined && answers.get(a) === answers.get(b));
const queries = tsv(args.queries).map(([q, id]) => ({ q: q as string, id: id as string }));
const ood = args.ood ? tsv(args.ood).map(([q]) => q as string) : [];

type Tally = { n: number; top1: number; top3: number; answered: number; correct: number; times: number[] };
const tally: Tally = { n: 0, top1: 0, top3: 0, answered: 0, correct: 0, times: [] };
let oodAnswered = 0;

function evaluate(similar: { q: string; id: string }[], test: { q: string; id: string }[], withOod: boolean) {
  const index = createFaqIndex({ synonyms });
  const extra = new Map<string, string[]>();
  for (const s of similar) extra.set(s.id, [...(extra.get(s.id) ?? []), s.q]);
  for (const e of kb) index.upsert({ id: e.id, question: e.question, similar: extra.get(e.id) ?? [] });
  const answerKey = (id: string) => (hasAnswers ? answers.get(id) : undefined);
  for (const t of test) {
    const start = performance.now();
    const d = decide(index, t.q, thresholds, answerKey);
    tally.times.push(performance.now() - start);
    tally.n++;
    const cands = d.candidates;
    if (cands[0] && sameAnswer(cands[0].id, t.id)) tally.top1++;
    if (cands.slice(0, 3).some((c) => sameAnswer(c.id, t.id))) tally.top3++;
    if (d.outcome === 'answer') {
      tally.answered++;
      if (sameAnswer(d.entryId, t.id)) tally.correct++;
    }
  }
  if (withOod)
    for (const q of ood) if (decide(index, q, thresholds, answerKey).outcome === 'answer') oodAnswered++;
}

const folds = Number(args.cv ?? 0);
if (folds > 1) {
  for (let f = 0; f < folds; f++) {
    const test = queries.filter((_, i) => i % folds === f);
    const train = queries.filter((_, i) => i % folds !== f);
    evaluate(train, test, f === 0);
  }
} else {
  evaluate(
    args.similar ? tsv(args.similar).map(([q, id]) => ({ q: q as string, id: id as string })) : [],
    queries,
    true,
  );
}
const times = tally.times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
const r = (x: number) => Number(x.toFixed(4));
const result = {
  queries: tally.n,
  top1: r(tally.top1 / tally.n),
  top3: r(tally.top3 / tally.n),
  resolveRate: r(tally.correct / tally.n),
  resolvePrecision: r(tally.answered ? tally.correct / tally.answered : 0),
  oodAbstain: ood.length ? r(1 - oodAnswered / ood.length) : null,
  p50Ms: r(q(0.5)),
  p99Ms: r(q(0.99)),
  thresholds,
};
process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
