import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { complianceRulesPath } from '../../src/app/compliance-wiring.ts';
import { loadConfig } from '../../src/config.ts';
import { loadComplianceRules } from '../../src/modules/compliance/compliance.rules.ts';
import { createComplianceChecker } from '../../src/modules/compliance/compliance.service.ts';
import { detectPii, isValidIdNumber, passesLuhn } from '../../src/platform/pii/pii-detector.ts';

const rulesFile = complianceRulesPath(loadConfig({}));
const checker = createComplianceChecker(loadComplianceRules(rulesFile));
const rulesOf = (text: string) => checker.check(text).findings.map((f) => f.rule);

// A valid ID (GB 11643 sample) and a valid UnionPay-style card, both checksum-correct; and broken twins.
const ID = '11010519491231002X';
const FAKE_ID = '110105194912310021';
const CARD = '6222021234567890128';

describe('banned claims', () => {
  it('flags promises with the rule, the span in the original text and a suggestion', () => {
    const text = '这款产品保本，稳赚不赔！';
    const r = checker.check(text);
    expect(r.ok).toBe(false);
    expect(r.findings.map((f) => [f.rule, text.slice(...f.span)])).toEqual([
      ['guaranteed-principal', '保本'],
      ['sure-profit', '稳赚不赔'],
    ]);
    expect(r.findings[0]).toMatchObject({
      kind: 'banned-claim',
      severity: 'block',
      suggestion: expect.stringContaining('理财非存款'),
    });
  });

  it('sees through spaces, punctuation and full-width forms inside a phrase', () => {
    const text = '绝对零 - 风　险，１００％收益';
    const r = checker.check(text);
    expect(r.findings.map((f) => [f.rule, text.slice(...f.span)])).toEqual([
      ['zero-risk', '零 - 风　险'],
      ['guaranteed-return', '１００％收益'],
    ]);
  });

  it('does not flag a negation or a quoted regulation', () => {
    expect(rulesOf('本产品不保本，理财非存款，产品有风险，投资须谨慎。')).toEqual([]);
    expect(rulesOf('根据《资管新规》，理财产品不得承诺保本保收益，打破刚性兑付。')).toEqual([]);
    expect(rulesOf('我们不保证收益，过往业绩不代表未来表现。')).toEqual([]);
  });

  it('still flags a promise after a cue that only looks like a negation, or a negation in another clause', () => {
    expect(rulesOf('这款产品不但保本，还能稳赚')).toEqual(['guaranteed-principal', 'sure-profit']);
    expect(rulesOf('我们不收手续费，这款产品保本')).toEqual(['guaranteed-principal']);
  });

  it('warns (without blocking) on pressure selling', () => {
    const r = checker.check('错过再等一年！');
    expect(r).toMatchObject({ ok: true, findings: [{ rule: 'pressure-selling', severity: 'warn' }] });
  });
});

describe('banned claims as families, not fixed phrases', () => {
  const found = (text: string) => checker.check(text).findings.map((f) => [f.rule, text.slice(...f.span)]);

  it('blocks a claim written in traditional characters, pointing at what was typed', () => {
    expect(found('這檔理財穩賺，絕對零風險')).toEqual([
      ['sure-profit', '穩賺'],
      ['zero-risk', '零風險'],
    ]);
    // The negation and the citation excuse in traditional characters as they do in simplified ones.
    expect(rulesOf('本產品不保本，過往業績不代表未來表現。')).toEqual([]);
    expect(rulesOf('依據資管新規，銀行理財不得承諾保本。')).toEqual([]);
  });

  it('blocks "expected return" wording for wealth products in its variants', () => {
    for (const [text, wording] of [
      ['这只理财的预期收益率是3.8%', '预期收益率'],
      ['预期年化收益率4%左右', '预期年化收益率'],
      ['預計收益下月初到賬', '預計收益'],
      ['预估年化回报挺可观', '预估年化回报'],
    ]) {
      expect(found(text as string), text).toEqual([['expected-return', wording]]);
    }
    expect(rulesOf('新规实施后理财产品不再公布预期收益率，改用业绩比较基准。')).toEqual([]);
    expect(rulesOf('三季度业绩好于预期，收益表现平稳')).toEqual([]);
  });

  it('blocks a guarantee of return in either word order within one clause', () => {
    for (const [text, wording] of [
      ['放心买，收益保证到位', '收益保证'],
      ['跟着我投保证年年有收益', '保证年年有收益'],
      ['这只基金收益稳定有保障', '收益稳定有保障'],
      ['我们会确保您的回报', '确保您的回报'],
    ]) {
      expect(found(text as string), text).toEqual([['guaranteed-return', wording]]);
    }
    // Negated inside or before the pair, split over two clauses, or margin money (保证金): no claim.
    expect(rulesOf('理财产品的收益并不保证，请理性投资')).toEqual([]);
    expect(rulesOf('收益没有保障，请量力而行')).toEqual([]);
    expect(rulesOf('我们保证服务及时，收益以实际到账为准')).toEqual([]);
    expect(rulesOf('保证金账户的收益按日计算')).toEqual([]);
    // A guarantee word far from the return word in a long clause is a different promise.
    expect(rulesOf('我们保证在三个工作日内把收益明细寄给您')).toEqual([]);
  });

  it('blocks promises of no loss, but not a question about loss or a negated promise', () => {
    for (const [text, wording] of [
      ['这款放心买，不会亏的', '不会亏'],
      ['放一年肯定不亏本', '肯定不亏本'],
      ['这只产品亏不了', '亏不了'],
      ['拿住了绝不会亏损', '绝不会亏损'],
      ['長期持有不會虧錢', '不會虧錢'],
    ]) {
      expect(found(text as string), text).toEqual([['no-loss', wording]]);
    }
    expect(found('稳赚不赔的好机会')).toEqual([['sure-profit', '稳赚不赔']]);
    expect(rulesOf('您问这只基金会不会亏，要看市场走势')).toEqual([]);
    expect(rulesOf('亏不亏本谁也说不准')).toEqual([]);
    expect(rulesOf('我们不会亏待老客户')).toEqual([]);
    expect(rulesOf('没有人能保证投资不会亏损')).toEqual([]);
  });

  it('gives machine-written text no benefit of the doubt, but still tells a question from a claim', () => {
    expect(checker.check('收益不保证', { strict: true }).ok).toBe(false);
    expect(checker.check('会不会亏要看市场', { strict: true }).ok).toBe(true);
  });
});

describe('required disclosures', () => {
  it('requires the base disclosure for every product and stronger wording for high risk', () => {
    const base = '理财非存款，产品有风险，投资须谨慎。';
    expect(checker.check(`稳健型产品。${base}`, { productRiskLevel: 'R2' }).ok).toBe(true);
    const r4 = checker.check(`权益类产品。${base}`, { productRiskLevel: 'R4' });
    expect(r4.ok).toBe(false);
    expect(r4.findings[0]).toMatchObject({ kind: 'missing-disclosure', rule: 'disclosure-r4' });
    expect(r4.findings[0]?.suggestion).toContain('本产品风险较高');
    expect(r4.findings[0]?.suggestion).not.toContain('理财非存款');
    // Punctuation differences do not matter.
    expect(checker.check('理财非存款 产品有风险 投资须谨慎', { productRiskLevel: 'R1' }).ok).toBe(true);
    expect(checker.check('没有提示').ok).toBe(true);
  });
});

describe('personal data', () => {
  it('checks ID numbers and cards by their checksums', () => {
    expect(isValidIdNumber(ID)).toBe(true);
    expect(isValidIdNumber(FAKE_ID)).toBe(false);
    expect(isValidIdNumber('110105194902301234')).toBe(false); // 30 February
    expect(passesLuhn(CARD)).toBe(true);
    expect(passesLuhn('6222021234567890127')).toBe(false);
  });

  it('always masks a valid ID, and never masks a fake one as an ID', () => {
    expect(checker.check(`身份证${ID}`).masked).toBe('身份证110105********002X');
    const fake = checker.check(`身份证${FAKE_ID}`);
    expect(fake.masked).toBe(`身份证${FAKE_ID}`);
    expect(fake.findings).toEqual([]);
  });

  it('masks cards (with or without spaces), mobiles and e-mails, and leaves other numbers alone', () => {
    const text = `卡号6222 0212 3456 7890 128，电话+86 138-0013-8000，邮箱zhang.san@example.com，订单号20261122123456`;
    const r = checker.check(text);
    expect(r.masked).toBe(
      '卡号6222***********0128，电话138****8000，邮箱z***@example.com，订单号20261122123456',
    );
    expect(r.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['pii-bank-card', 'block'],
      ['pii-mobile', 'warn'],
      ['pii-email', 'warn'],
    ]);
    expect(detectPii('6222021234567890127')).toEqual([]);
    expect(detectPii(`x${ID}9`)).toEqual([]); // digits inside a longer run are not an ID
  });

  it('masks PII in user content such as a shared 收益图 caption', () => {
    const r = checker.check(`晒晒我的收益图～尾号到账卡${CARD}，有问题打我电话13912345678`);
    expect(r.masked).toBe('晒晒我的收益图～尾号到账卡6222***********0128，有问题打我电话139****5678');
  });
});

describe('rules file', () => {
  it('refuses a bad file, naming the file, the field and the reason', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'helix-rules-'));
    const file = path.join(dir, 'rules.yaml');
    writeFileSync(file, readFileSync(rulesFile, 'utf8').replace('severity: block', 'severity: severe'));
    expect(() => loadComplianceRules(file)).toThrow(new RegExp(`${file}: bannedClaims\\.0\\.severity: `));
    writeFileSync(file, readFileSync(rulesFile, 'utf8').replace('phrases: [稳赚,', 'phrases: [保本, 稳赚,'));
    expect(() => loadComplianceRules(file)).toThrow(
      /"保本" is already a phrase of rule "guaranteed-principal"/,
    );
    // Patterns are expanded and phrases normalised before the check, so a family cannot hide a duplicate.
    writeFileSync(
      file,
      readFileSync(rulesFile, 'utf8').replace('phrases: [稳赚,', 'phrases: ["(保|穩)本", 稳赚,'),
    );
    expect(() => loadComplianceRules(file)).toThrow(
      /"保本" is already a phrase of rule "guaranteed-principal"/,
    );
    writeFileSync(
      file,
      readFileSync(rulesFile, 'utf8').replace('phrases: [稳赚,', 'phrases: ["(稳|准赚", 稳赚,'),
    );
    expect(() => loadComplianceRules(file)).toThrow(
      /bannedClaims\.1\.phrases\.0: "\(稳\|准赚" "\(" is never closed/,
    );
  });
});
