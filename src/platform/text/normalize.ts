/**
 * The one text normaliser. Compliance matching and FAQ retrieval both read text through it, so a claim or a
 * question means the same thing however it was typed: full-width or half-width, upper or lower case,
 * traditional or simplified characters.
 */
import { ConverterBuilder, type ConverterFunction, type DictLike } from 'opencc-js/core';
import * as t2cn from 'opencc-js/preset/t2cn';

// OpenCC's generic traditional → simplified conversion (t2s: its phrase table, then its character table).
// Not 'tw' or 'hk': those first map regional variants to standard traditional, and Taiwan's variant table
// reads the simplified 么 as 幺, so mixed or simplified input (怎么) would come out wrong (怎幺).
const T2S = { from: 't', to: 'cn' } as const;

type DictPairs = (readonly [string, string])[];

/** A dictionary in either of OpenCC's forms, as `[source, replacement]` pairs (the first replacement wins). */
const pairsOf = (dict: DictLike): DictPairs =>
  typeof dict === 'string'
    ? dict.split('|').map((line) => {
        const [source = '', replacement = ''] = line.split(' ');
        return [source, replacement] as const;
      })
    : [...dict];

/**
 * Every character that OpenCC's t2s tables could change: a character of a source phrase that differs from
 * the replacement at the same position. Text with none of them converts to itself, so the conversion
 * (about 0.05 ms per 2 KB) is skipped for the usual, simplified, text. A source whose replacement differs
 * in length adds all its characters (none does in opencc-js 1.4.2; the rule keeps the shortcut sound).
 */
const CHANGEABLE: ReadonlySet<number> = (() => {
  const set = new Set<number>();
  const chain = t2cn.configs.t2s?.conversionChain ?? [];
  for (const group of chain) {
    for (const dict of group) {
      for (const [source, replacement] of pairsOf(dict)) {
        const s = [...source];
        const r = [...replacement];
        s.forEach((ch, i) => {
          if (s.length !== r.length || ch !== r[i]) set.add(ch.codePointAt(0) as number);
        });
      }
    }
  }
  return set;
})();

let converter: ConverterFunction | undefined;
// Building the tables takes ~10 ms and ~2 MB: once per process, on the first traditional character seen.
const t2s = (): ConverterFunction => {
  converter ??= ConverterBuilder(t2cn)(T2S);
  return converter;
};

const hasChangeable = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) as number;
    if (CHANGEABLE.has(c)) return true;
    if (c > 0xffff) i++;
  }
  return false;
};

/**
 * Traditional → simplified by OpenCC's phrase and character tables (乾淨 → 干净 but 乾隆 stays). Every code
 * point maps to exactly one code point, which is what lets callers keep offsets into the original.
 */
export function toSimplified(text: string): string {
  return hasChangeable(text) ? t2s()(text) : text;
}

// Characters that may be slipped inside a phrase to dodge a filter ("保 本", "零-风险", "稳·赚"): matching
// drops them. Sentence punctuation is dropped too, so a phrase split across it still matches.
const FILLER = /[\s\u200b-\u200d\u2060\ufeff\-_·.,，。、*~|/\\'"“”‘’!！?？:：;；()（）[\]【】<>《》…—#@^`]/u;

/** Text prepared for matching, with where each of its UTF-16 units came from in the original. */
export type MatchText = {
  text: string;
  /** `offsets[i]`: the UTF-16 offset in the original of the character that gave `text[i]`. */
  offsets: Int32Array;
  /** `ends[i]`: the offset just after that original character. */
  ends: Int32Array;
};

/**
 * Folds one code point: full-width forms to half-width and compatibility forms to plain ones (NFKC), then
 * lower case. ASCII and the common CJK block are already in normal form, so they skip `normalize`.
 */
const foldCodePoint = (ch: string, c: number): string => {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : ch;
  if (c >= 0x4e00 && c <= 0x9fff) return ch;
  // Full-width ASCII (U+FF01–U+FF5E) maps by a fixed offset; cheaper than NFKC and the same result.
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0).toLowerCase();
  return ch.normalize('NFKC').toLowerCase();
};

/**
 * Folds text code point by code point (NFKC, lower case, traditional → simplified), keeping each unit's
 * origin. With `dropFillers`, spaces, punctuation and invisible characters are left out.
 *
 * One variant is folded on top of OpenCC: 帐 → 账. OpenCC turns 帳 into 帐 (a standard simplified character
 * too), but banking text writes accounts with 账 (账户, 转账, 对账单), and clients type both; in a bank's
 * messages 帐 never means a tent.
 */
function fold(original: string, dropFillers: boolean): MatchText {
  // NFKC can grow a character (㈱ → (株)), so the maps grow on demand rather than being sized up front.
  let offsets: Int32Array = new Int32Array(original.length + 8);
  let ends: Int32Array = new Int32Array(original.length + 8);
  let text = '';
  for (let i = 0; i < original.length; ) {
    const c = original.codePointAt(i) as number;
    const width = c > 0xffff ? 2 : 1;
    const ch = width === 1 ? (original[i] as string) : original.slice(i, i + 2);
    if (!(dropFillers && FILLER.test(ch))) {
      const folded = foldCodePoint(ch, c);
      for (let k = 0; k < folded.length; k++) {
        const unit = folded[k] as string;
        if (dropFillers && FILLER.test(unit)) continue;
        if (text.length === offsets.length) {
          offsets = grow(offsets);
          ends = grow(ends);
        }
        offsets[text.length] = i;
        ends[text.length] = i + width;
        text += unit;
      }
    }
    i += width;
  }
  const simplified = toSimplified(text).replaceAll('帐', '账');
  if (simplified === text) {
    return { text, offsets: offsets.subarray(0, text.length), ends: ends.subarray(0, text.length) };
  }
  return realign(text, simplified, offsets, ends);
}

const grow = (a: Int32Array): Int32Array => {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
};

/**
 * Carries the origin map over a conversion that keeps the number of code points but may change one's
 * UTF-16 width (a supplementary-plane variant to a BMP character).
 */
function realign(before: string, after: string, offsets: Int32Array, ends: Int32Array): MatchText {
  const o = new Int32Array(after.length);
  const e = new Int32Array(after.length);
  let i = 0;
  let j = 0;
  while (j < after.length) {
    const w = (after.codePointAt(j) as number) > 0xffff ? 2 : 1;
    // If a future table broke the one-to-one rule, the rest maps to the last known origin: spans widen,
    // they never point outside the text.
    const src = Math.min(i, before.length - 1);
    for (let k = 0; k < w; k++) {
      o[j + k] = offsets[src] as number;
      e[j + k] = ends[src] as number;
    }
    i += (before.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    j += w;
  }
  return { text: after, offsets: o, ends: e };
}

/**
 * For matching claims: folded, with every filler character dropped, and mapped back to the original so a
 * finding can point at what the writer typed.
 */
export const normalizeForMatching = (original: string): MatchText => fold(original, true);

/** A rule phrase in the form `normalizeForMatching` gives text, so rules and text meet in one form. */
export const normalizePhrase = (phrase: string): string => fold(phrase, true).text;

/** The span in the original text of `length` normalised units starting at normalised index `index`. */
export function originalSpan(norm: MatchText, index: number, length: number): [number, number] {
  return [norm.offsets[index] as number, norm.ends[index + length - 1] as number];
}

/**
 * For search: folded, separators inside numbers dropped (1,000.50 → 100050, the same number however it
 * was typed), and every run of punctuation, symbols and emoji turned into one space.
 */
export function normalizeForSearch(text: string): string {
  return fold(text, false)
    .text.replace(/(\d)[.,](?=\d)/gu, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
