import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { normalizeForSearch } from '../../../platform/text/normalize.ts';
import type { Lexicon } from './lexicon.loader.ts';

let jieba: Jieba | undefined;
// Loading the dictionary takes a few hundred milliseconds and ~5 MB: once per process, on first use.
const segmenter = (): Jieba => {
  jieba ??= Jieba.withDict(dict);
  return jieba;
};

/** The feature spaces (fields) of a question: each is scored by BM25 on its own and weighted. */
export const FIELDS = ['w', 'u', 'b', 't', 's'] as const;
/** One feature space: `w` jieba words, `u` character unigrams, `b` bigrams, `t` trigrams, `s` synonym groups. */
export type Field = (typeof FIELDS)[number];
/** The position of each field in per-field arrays. */
export const FIELD_INDEX: Readonly<Record<Field, number>> = { w: 0, u: 1, b: 2, t: 3, s: 4 };

/** Term → count; a term is its field letter followed by the term itself (`w信用卡`, `b挂失`). */
export type TermBag = Map<string, number>;

/** How text becomes terms. */
export type TokenizerOptions = {
  /** `search` adds the shorter words jieba finds inside long ones (银行卡 → 银行, 银行卡). */
  jiebaMode: 'cut' | 'search';
  /** Character trigrams on top of unigrams and bigrams. */
  trigrams: boolean;
  /** `rewrite` replaces every synonym by its group's first word before segmentation; `feature` only adds a group term. */
  synonymMode: 'feature' | 'rewrite' | 'both';
};

/** Defaults chosen by cross-validation (docs/faq-retrieval.md). */
export const DEFAULT_TOKENIZER_OPTIONS: TokenizerOptions = {
  jiebaMode: 'search',
  trigrams: false,
  synonymMode: 'both',
};

/** Placeholder unit for a short number (an amount, a time, a count). */
export const NUMBER_UNIT = '#n';
/** Placeholder unit for a long digit run (a card, account or phone number). */
export const LONG_NUMBER_UNIT = '#l';

/** Digit runs this long or longer are identifiers rather than quantities. */
const LONG_DIGITS = 7;

/** The most characters of one text the index ever looks at; longer input is cut (never an error). */
export const MAX_TEXT_CHARS = 1000;

const UNIT_PATTERN = /[a-z]+|\d+|\p{Script=Han}|[\p{L}\p{N}]/gu;

/**
 * Splits normalised text into units: one Han character, one Latin word, or one number placeholder each.
 * Character n-grams are built over units, so `pay` or a card number counts as one "character".
 */
export function textUnits(normalized: string): string[][] {
  const runs: string[][] = [];
  for (const run of normalized.split(' ')) {
    if (!run) continue;
    const units: string[] = [];
    for (const m of run.matchAll(UNIT_PATTERN)) {
      const u = m[0];
      const c = u.charCodeAt(0);
      units.push(c >= 48 && c <= 57 ? (u.length >= LONG_DIGITS ? LONG_NUMBER_UNIT : NUMBER_UNIT) : u);
    }
    if (units.length > 0) runs.push(units);
  }
  return runs;
}

/** The class placeholder of a digit-only word (`#n` or `#l`), or undefined for any other word. */
export function numberClass(word: string): string | undefined {
  const c = word.charCodeAt(0);
  if (c < 48 || c > 57 || !/^\d+$/u.test(word)) return undefined;
  return word.length >= LONG_DIGITS ? LONG_NUMBER_UNIT : NUMBER_UNIT;
}

/** Field of a term. */
export const fieldOf = (term: string): Field => term[0] as Field;

/** Text as terms, plus its units in order (after synonym rewriting) for sequence similarity. */
export type Tokenized = { bag: TermBag; units: string[] };

/** Turns text into terms. Pure and deterministic; never throws. */
export type Tokenizer = (text: string) => Tokenized;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** Builds the tokenizer for one lexicon (synonym groups and stop words). */
export function createTokenizer(lexicon: Lexicon, options: Partial<TokenizerOptions> = {}): Tokenizer {
  const opts = { ...DEFAULT_TOKENIZER_OPTIONS, ...options };
  const phrases = [...lexicon.synonyms.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // One alternation, longest phrase first, so 信用卡还款 is not eaten by a shorter synonym inside it.
  const phrasePattern = phrases.length > 0 ? new RegExp(phrases.map(escapeRegExp).join('|'), 'gu') : null;
  const rewrite = opts.synonymMode !== 'feature';
  const groupFeature = opts.synonymMode !== 'rewrite';

  return (text: string): Tokenized => {
    const bag: TermBag = new Map();
    const all: string[] = [];
    const add = (term: string) => bag.set(term, (bag.get(term) ?? 0) + 1);
    let norm = normalizeForSearch(text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text);
    if (!norm) return { bag, units: all };
    if (phrasePattern) {
      const groups = new Set<string>();
      for (const m of norm.matchAll(phrasePattern)) groups.add(lexicon.synonyms.get(m[0]) as string);
      if (groupFeature) for (const g of groups) add(`s${g}`);
      if (rewrite) norm = norm.replace(phrasePattern, (m) => lexicon.synonyms.get(m) as string);
    }
    const words =
      opts.jiebaMode === 'search' ? segmenter().cutForSearch(norm, true) : segmenter().cut(norm, true);
    for (const raw of words) {
      const w = raw.trim();
      if (!w || lexicon.stopWords.has(w)) continue;
      // Codes (报错1000075) must match literally; amounts and card numbers match as a class.
      add(`w${w}`);
      const cls = numberClass(w);
      if (cls) add(`w${cls}`);
    }
    for (const units of textUnits(norm)) {
      for (let i = 0; i < units.length; i++) {
        const u = units[i] as string;
        all.push(u);
        if (!lexicon.stopWords.has(u)) add(`u${u}`);
        if (i + 1 < units.length) add(`b${u}${units[i + 1]}`);
        if (opts.trigrams && i + 2 < units.length) add(`t${u}${units[i + 1]}${units[i + 2]}`);
      }
    }
    return { bag, units: all };
  };
}
