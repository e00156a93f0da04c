// Characters that may be slipped inside a phrase to dodge a filter ("保 本", "零-风险", "稳·赚"): they are
// dropped before matching. Sentence punctuation is dropped too, so a phrase split across it still matches.
const IGNORED = /[\s\u200b-\u200d\u2060\ufeff\-_·.,，。、*~|/\\'"“”‘’!！?？:：;；()（）[\]【】<>《》…—#@^`]/u;

/** Text prepared for matching, with a map from each kept character back to its offset in the original. */
export type NormalizedText = { text: string; offsets: Int32Array };

/**
 * Normalises for matching: full-width forms to half-width (NFKC), lower case, filler characters dropped.
 * `offsets[i]` is the UTF-16 offset in the original of normalised character i.
 */
export function normalizeForMatching(original: string): NormalizedText {
  const offsets = new Int32Array(original.length);
  let text = '';
  for (let i = 0; i < original.length; i++) {
    const ch = original[i] as string;
    if (IGNORED.test(ch)) continue;
    const code = ch.charCodeAt(0);
    // Full-width ASCII (U+FF01–U+FF5E) maps to ASCII by a fixed offset; cheaper than NFKC on every char.
    const half = code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch;
    if (IGNORED.test(half)) continue;
    offsets[text.length] = i;
    text += half.toLowerCase();
  }
  return { text, offsets: offsets.subarray(0, text.length) };
}

/** Normalises a rule phrase the same way, so rules and text meet in one form. */
export const normalizePhrase = (p: string): string => normalizeForMatching(p).text;
