/**
 * `npm run bench:compliance -- [--docs 20000] [--json]`
 *
 * Checks a generated corpus of ~2 KB Chinese messages (clean marketing copy, banned claims, negated claims,
 * quoted regulations, disguised phrases, ID numbers, cards, phones, e-mails) with the shipped rules, one
 * message at a time, as senders do. Prints {docs, mbPerSec, p99Ms, p50Ms, baselineMbPerSec, ratio}: the
 * baseline is one precompiled regular expression of the same banned phrases run over the same messages in
 * the same process (no normalisation, context, disclosures or PII); ratio = mbPerSec / baselineMbPerSec.
 * Goal: a 2 KB message checked in under 1 ms at p99.
 */
import { parseArgs } from 'node:util';
import { complianceRulesPath } from '../../src/app/compliance-wiring.ts';
import { loadConfig } from '../../src/config.ts';
import { loadComplianceRules } from '../../src/modules/compliance/compliance.rules.ts';
import { createComplianceChecker } from '../../src/modules/compliance/compliance.service.ts';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, docs: { type: 'string', default: '20000' } },
});
const n = Number(args.docs);
const rules = loadComplianceRules(complianceRulesPath(loadConfig({})));
const checker = createComplianceChecker(rules);

let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const FILLER = [
  '今天早盘沪深300指数小幅高开，科技板块表现活跃，债市整体平稳。',
  '周三福利日，行内积分可兑换咖啡券和视频会员，欢迎大家来参加。',
  '本周五晚八点夜校直播，主题是家庭资产配置的基本思路，记得预约。',
  '近期汇率波动较大，有留学换汇需求的家长可以提前规划，分批购汇。',
  '信用卡账单日和还款日不一样，按时还款可以避免产生利息和影响征信。',
];
const SPICE = [
  '这款产品保本，稳赚不赔！',
  '根据《资管新规》，理财产品不得承诺保本保收益。',
  '本产品不保本，理财非存款，产品有风险，投资须谨慎。',
  '零 - 风 险，收益最高！',
  '客户身份证11010519491231002X请勿外传。',
  '到账卡号6222 0212 3456 7890 128。',
  '有问题请联系13912345678或zhang.san@example.com。',
];
const docs = Array.from({ length: n }, () => {
  let d = '';
  while (Buffer.byteLength(d) < 2000) d += rand() < 0.15 ? pick(SPICE) : pick(FILLER);
  return d;
});
const bytes = docs.reduce((s, d) => s + Buffer.byteLength(d), 0);

const baseline = new RegExp(rules.bannedClaims.flatMap((c) => c.phrases).join('|'), 'g');
const run = (fn: (d: string) => unknown) => {
  const times = new Float64Array(docs.length);
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i++) {
    const s = performance.now();
    fn(docs[i] as string);
    times[i] = performance.now() - s;
  }
  const total = (performance.now() - t0) / 1000;
  times.sort();
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] as number;
  return { mbPerSec: bytes / 1e6 / total, p50: q(0.5), p99: q(0.99) };
};
// Warm both paths up before measuring.
for (const d of docs.slice(0, 2000)) {
  checker.check(d);
  d.match(baseline);
}
const base = run((d) => d.match(baseline));
const ours = run((d) => checker.check(d, { productRiskLevel: 'R3' }));
const result = {
  docs: n,
  avgDocBytes: Math.round(bytes / n),
  mbPerSec: Number(ours.mbPerSec.toFixed(2)),
  p99Ms: Number(ours.p99.toFixed(3)),
  p50Ms: Number(ours.p50.toFixed(3)),
  baselineMbPerSec: Number(base.mbPerSec.toFixed(2)),
  ratio: Number((ours.mbPerSec / base.mbPerSec).toFixed(3)),
};
process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
