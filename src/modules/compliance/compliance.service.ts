import { applyMasks, detectPii, type PiiMatch } from '../../platform/pii/pii-detector.ts';
import { normalizeForMatching, normalizePhrase, originalSpan } from '../../platform/text/normalize.ts';
import { CLAUSE_END, compileClaimMatcher } from './claim-matcher.ts';
import type { ComplianceRules, RiskLevel } from './compliance.rules.ts';

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
 * Compiles the rules once (claim-matcher.ts) and returns a checker. A banned wording is excused when a
 * negation appears before it in the same clause (or, for two words found together, between them), or a
 * citation of a rule in the same sentence, within `context.windowChars` characters.
 */
export function createComplianceChecker(rules: ComplianceRules) {
  const findClaims = compileClaimMatcher(rules.bannedClaims);
  const negations = rules.context.negations.map(normalizePhrase);
  const notNegations = rules.context.notNegations.map(normalizePhrase);
  // A citation is looked for as written (《 is punctuation, which normalising drops) and normalised (根據).
  const citations = rules.context.citations.map((c) => ({ raw: c, norm: normalizePhrase(c) }));
  const windowChars = rules.context.windowChars;

  /** The text before `start` back to a boundary, at most `limit` characters. */
  const before = (text: string, start: number, boundary: RegExp, limit: number) => {
    let from = start;
    while (from > 0 && start - from < limit && !boundary.test(text[from - 1] as string)) from--;
    return text.slice(from, start);
  };

  const negated = (normalized: string): boolean => {
    let clause = normalized;
    for (const nn of notNegations) clause = clause.split(nn).join('');
    return negations.some((n) => clause.includes(n));
  };

  const excused = (original: string, start: number, inside: string): boolean => {
    const clause = before(original, start, CLAUSE_END, windowChars);
    if (negated(normalizePhrase(clause)) || negated(inside)) return true;
    const sentence = before(original, start, SENTENCE_END, windowChars * 2);
    if (citations.some((c) => sentence.includes(c.raw))) return true;
    const normSentence = normalizePhrase(sentence);
    return citations.some((c) => c.norm !== '' && normSentence.includes(c.norm));
  };

  return {
    /**
     * Checks a text. `strict` gives no benefit of the doubt: no negation or citation excuses a banned phrase
     * (for machine-written text, where a cue word proves nothing about intent).
     */
    check(text: string, opts: { productRiskLevel?: RiskLevel; strict?: boolean } = {}): ComplianceResult {
      const findings: Finding[] = [];
      const norm = normalizeForMatching(text);
      for (const m of findClaims(norm, text)) {
        const span = originalSpan(norm, m.index, m.length);
        const inside = m.together ? norm.text.slice(m.index, m.index + m.length) : '';
        if (!opts.strict && excused(text, span[0], inside)) continue;
        findings.push({
          rule: m.claim.id,
          kind: 'banned-claim',
          span,
          severity: m.claim.severity,
          suggestion: m.claim.suggestion,
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
