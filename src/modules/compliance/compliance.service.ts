import { applyMasks, detectPii, type PiiMatch } from '../../platform/pii/pii-detector.ts';
import type { ComplianceRules, RiskLevel } from './compliance.rules.ts';
import { normalizeForMatching, normalizePhrase } from './text-normalizer.ts';

/** One explainable finding: which rule, what kind, where in the original text, how bad, what to do. */
export type Finding = {
  rule: string;
  kind: 'banned-claim' | 'missing-disclosure' | 'pii';
  span: [number, number];
  severity: 'block' | 'warn';
  suggestion: string;
};

/** The verdict on one text: `ok` unless a finding blocks it; `masked` is the text with PII masked. */
export type ComplianceResult = { ok: boolean; findings: Finding[]; masked: string };

/** Checks texts against the rules. */
export type ComplianceChecker = ReturnType<typeof createComplianceChecker>;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CLAUSE_END = /[，,。！？!?；;\n]/;
const SENTENCE_END = /[。！？!?；;\n]/;

// Personal data an RM must never send on (IDs, cards) blocks; a phone number or e-mail is often the RM's
// own and only warns. All of it is masked in `masked` either way.
const PII_RULES: Record<PiiMatch['type'], { severity: Finding['severity']; suggestion: string }> = {
  'id-number': { severity: 'block', suggestion: '请勿发送完整身份证号，已为您遮盖。' },
  'bank-card': { severity: 'block', suggestion: '请勿发送完整银行卡号，已为您遮盖。' },
  mobile: { severity: 'warn', suggestion: '含手机号：若非您本人的工作号码，请删除或遮盖。' },
  email: { severity: 'warn', suggestion: '含电子邮箱：若非您本人的工作邮箱，请删除或遮盖。' },
};

/**
 * Compiles the rules once (one alternation of every banned phrase, longest first) and returns a checker.
 * A banned phrase is excused when a negation appears before it in the same clause, or a citation of a rule
 * in the same sentence, within `context.windowChars` characters.
 */
export function createComplianceChecker(rules: ComplianceRules) {
  const ruleOf = new Map<string, ComplianceRules['bannedClaims'][number]>();
  for (const c of rules.bannedClaims) for (const p of c.phrases) ruleOf.set(normalizePhrase(p), c);
  const alternation = [...ruleOf.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const banned = new RegExp(alternation, 'g');
  const negations = rules.context.negations.map(normalizePhrase);
  const notNegations = rules.context.notNegations.map(normalizePhrase);
  const citations = rules.context.citations;
  const windowChars = rules.context.windowChars;

  /** The text before `start` back to a boundary, at most `limit` characters. */
  const before = (text: string, start: number, boundary: RegExp, limit: number) => {
    let from = start;
    while (from > 0 && start - from < limit && !boundary.test(text[from - 1] as string)) from--;
    return text.slice(from, start);
  };

  const excused = (original: string, start: number): boolean => {
    let clause = normalizePhrase(before(original, start, CLAUSE_END, windowChars));
    for (const nn of notNegations) clause = clause.split(nn).join('');
    if (negations.some((n) => clause.includes(n))) return true;
    const sentence = before(original, start, SENTENCE_END, windowChars * 2);
    return citations.some((c) => sentence.includes(c));
  };

  return {
    /**
     * Checks a text. `strict` gives no benefit of the doubt: no negation or citation excuses a banned phrase
     * (for machine-written text, where a cue word proves nothing about intent).
     */
    check(text: string, opts: { productRiskLevel?: RiskLevel; strict?: boolean } = {}): ComplianceResult {
      const findings: Finding[] = [];
      const norm = normalizeForMatching(text);
      for (const m of norm.text.matchAll(banned)) {
        const rule = ruleOf.get(m[0]);
        if (!rule) continue;
        const start = norm.offsets[m.index] as number;
        const end = (norm.offsets[m.index + m[0].length - 1] as number) + 1;
        if (!opts.strict && excused(text, start)) continue;
        findings.push({
          rule: rule.id,
          kind: 'banned-claim',
          span: [start, end],
          severity: rule.severity,
          suggestion: rule.suggestion,
        });
      }
      if (opts.productRiskLevel) {
        const required = [
          ...rules.disclosures.base,
          ...(rules.disclosures.byLevel[opts.productRiskLevel] ?? []),
        ];
        const missing = required.filter((p) => !norm.text.includes(normalizePhrase(p)));
        if (missing.length > 0) {
          findings.push({
            rule: `disclosure-${opts.productRiskLevel.toLowerCase()}`,
            kind: 'missing-disclosure',
            span: [text.length, text.length],
            severity: 'block',
            suggestion: `${opts.productRiskLevel} 产品内容须包含风险提示，请在文末补充：${missing.join('，')}。`,
          });
        }
      }
      const pii = detectPii(text);
      for (const p of pii) {
        findings.push({ rule: `pii-${p.type}`, kind: 'pii', span: [p.start, p.end], ...PII_RULES[p.type] });
      }
      findings.sort((a, b) => a.span[0] - b.span[0]);
      return { ok: !findings.some((f) => f.severity === 'block'), findings, masked: applyMasks(text, pii) };
    },
  };
}
