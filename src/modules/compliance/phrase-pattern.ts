/**
 * Phrase patterns in the rules file: a family of wordings written once. `(甲|乙)` is one of the
 * alternatives, and `?` after a character or a group makes it optional, so `(预期|预计)(年化)?收益率?` stands
 * for 预期收益, 预期收益率, 预计年化收益 … A phrase without these marks is itself.
 *
 * Patterns expand to plain phrases when the rules load, so matching stays one pass over one alternation and
 * every finding still names the exact wording it found. No nesting, no wildcards: a reviewer can read every
 * wording a pattern covers, and a pattern can never match more than its expansion.
 */

/** The most phrases one pattern may stand for; more means the pattern is too loose to review. */
export const MAX_EXPANSIONS = 200;

/** A pattern that cannot be expanded; the message says why. */
export class PhrasePatternError extends Error {}

// One position in the pattern: a set of alternatives, one of which (or, if optional, none) is taken.
type Slot = { options: string[]; optional: boolean };

function parse(pattern: string): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    if (c === '?') {
      const last = slots[slots.length - 1];
      if (!last || last.optional) throw new PhrasePatternError('"?" must follow a character or a group');
      last.optional = true;
      i++;
    } else if (c === '(') {
      const close = pattern.indexOf(')', i);
      if (close < 0) throw new PhrasePatternError('"(" is never closed');
      const inner = pattern.slice(i + 1, close);
      if (inner.includes('(')) throw new PhrasePatternError('groups cannot be nested');
      const options = inner.split('|');
      if (options.some((o) => o === '')) throw new PhrasePatternError('a group has an empty alternative');
      slots.push({ options, optional: false });
      i = close + 1;
    } else if (c === ')' || c === '|') {
      throw new PhrasePatternError(`"${c}" outside a group`);
    } else {
      // A surrogate pair is one character, so `?` after it applies to the whole of it.
      const ch = String.fromCodePoint(pattern.codePointAt(i) as number);
      slots.push({ options: [ch], optional: false });
      i += ch.length;
    }
  }
  return slots;
}

/** Every phrase a pattern stands for, in pattern order; throws `PhrasePatternError` for a malformed one. */
export function expandPhrasePattern(pattern: string): string[] {
  let out = [''];
  for (const slot of parse(pattern)) {
    const next: string[] = [];
    for (const prefix of out) {
      if (slot.optional) next.push(prefix);
      for (const option of slot.options) next.push(prefix + option);
    }
    if (next.length > MAX_EXPANSIONS) {
      throw new PhrasePatternError(`stands for more than ${MAX_EXPANSIONS} phrases`);
    }
    out = next;
  }
  const phrases = out.filter((p) => p !== '');
  if (phrases.length === 0) throw new PhrasePatternError('stands for no phrase');
  return phrases;
}
