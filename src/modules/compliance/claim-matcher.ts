import { type MatchText, normalizePhrase } from '../../platform/text/normalize.ts';
import type { ComplianceRules } from './compliance.rules.ts';
import { expandPhrasePattern } from './phrase-pattern.ts';

type Claim = ComplianceRules['bannedClaims'][number];

/**
 * One wording of a banned claim in normalised text. `together` marks two words found apart: a negation
 * anywhere inside such a match takes the claim back (收益不保证, 收益没有保障), while a phrase may contain
 * one itself (不会亏).
 */
export type ClaimMatch = { claim: Claim; index: number; length: number; together?: boolean };

/** Ends a clause in the original text: a comma, a full stop, a question or exclamation mark, a line. */
export const CLAUSE_END = /[，,。！？!?；;\n]/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One alternation of the words, longest first, so 稳赚不赔 wins over 稳赚 at the same place. */
const alternation = (words: Iterable<string>): RegExp =>
  new RegExp(
    [...words]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );

/** Normalised form of every phrase a list of phrase patterns stands for. */
const wordingsOf = (patterns: readonly string[]): string[] =>
  patterns.flatMap((p) => expandPhrasePattern(p).map(normalizePhrase)).filter((w) => w !== '');

/**
 * Compiles the banned claims once: their phrases (patterns expanded) into one alternation, their `except`
 * wordings into another, and each `together` pair into its own. Returns a function that lists every claim
 * wording in a text, in text order, before any context is taken into account.
 */
export function compileClaimMatcher(claims: readonly Claim[]) {
  const claimOf = new Map<string, Claim>();
  const exceptOf = new Map<string, Set<Claim>>();
  for (const c of claims) {
    for (const w of wordingsOf(c.phrases)) claimOf.set(w, c);
    for (const w of wordingsOf(c.except)) exceptOf.set(w, (exceptOf.get(w) ?? new Set()).add(c));
  }
  const phrases = alternation(claimOf.keys());
  const excepts = exceptOf.size > 0 ? alternation(exceptOf.keys()) : null;
  const pairs = claims.flatMap((claim) => {
    if (!claim.together) return [];
    const groupOf = new Map<string, number>();
    claim.together.words.forEach((list, g) => {
      for (const w of list) groupOf.set(normalizePhrase(w), g);
    });
    return [{ claim, groupOf, within: claim.together.within, words: alternation(groupOf.keys()) }];
  });

  return (norm: MatchText, original: string): ClaimMatch[] => {
    const text = norm.text;
    const excepted: { start: number; end: number; claims: Set<Claim> }[] = [];
    if (excepts) {
      for (const m of text.matchAll(excepts)) {
        excepted.push({
          start: m.index,
          end: m.index + m[0].length,
          claims: exceptOf.get(m[0]) as Set<Claim>,
        });
      }
    }
    const isExcepted = (claim: Claim, start: number, end: number) =>
      excepted.some((e) => e.start < end && start < e.end && e.claims.has(claim));

    const found: ClaimMatch[] = [];
    for (const m of text.matchAll(phrases)) {
      const claim = claimOf.get(m[0]) as Claim;
      if (!isExcepted(claim, m.index, m.index + m[0].length)) {
        found.push({ claim, index: m.index, length: m[0].length });
      }
    }

    for (const { claim, groupOf, within, words } of pairs) {
      // The nearest earlier word not yet paired; a word of the other list close enough, in the same clause,
      // completes the claim in either order (收益有保障, 保证有收益).
      let open: { group: number; index: number; end: number } | undefined;
      for (const m of text.matchAll(words)) {
        const start = m.index;
        const end = start + m[0].length;
        if (isExcepted(claim, start, end)) continue;
        const group = groupOf.get(m[0]) as number;
        if (
          open &&
          open.group !== group &&
          start - open.end <= within &&
          !CLAUSE_END.test(original.slice(norm.ends[open.end - 1], norm.offsets[start]))
        ) {
          // A phrase of the same claim inside it (保收益 in 确保收益) is the same finding: keep the whole.
          let from = open.index;
          let to = end;
          const overlapping = found.filter((f) => f.index < to && from < f.index + f.length);
          if (overlapping.every((f) => f.claim === claim)) {
            for (const f of overlapping) {
              from = Math.min(from, f.index);
              to = Math.max(to, f.index + f.length);
              found.splice(found.indexOf(f), 1);
            }
            found.push({ claim, index: from, length: to - from, together: true });
          }
          open = undefined;
        } else {
          open = { group, index: start, end };
        }
      }
    }
    return found.sort((a, b) => a.index - b.index);
  };
}
