import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;
// The dictionary is ~5 MB: load it once, on first use.
const segmenter = () => {
  jieba ??= Jieba.withDict(dict);
  return jieba;
};

// Question words and particles that say nothing about what is asked.
const STOP = new Set(
  '的 了 吗 呢 啊 呀 吧 么 嘛 哦 是 我 你 他 她 在 有 和 与 及 就 都 也 还 请问 请 问 一下 这个 那个 这 那 要 想 能 可以 会 怎么 怎样 如何 什么 为什么 哪 哪里 哪些 多少 一 个 吗? 呗 哈 嗯 亲'.split(
    ' ',
  ),
);

/** Full-width to half-width, lower case, and everything but letters, digits and CJK turned into spaces. */
export function normalizeQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A question as weighted features: jieba words, character bigrams and unigrams, each in its own space. */
export type Features = Map<string, number>;

/** The feature spaces a question is split into; the index weighs each (words carry meaning, characters catch variants). */
export type FeatureSpace = 'word' | 'bigram' | 'unigram' | 'synonym';

/**
 * Turns a question into term counts: `w:` jieba words (stop words dropped), `b:` character bigrams and
 * `c:` unigrams of CJK runs, plus `s:` synonym-group ids for words in the banking synonym list.
 */
export function questionFeatures(text: string, synonyms: ReadonlyMap<string, string>): Features {
  const out: Features = new Map();
  const add = (k: string) => out.set(k, (out.get(k) ?? 0) + 1);
  const norm = normalizeQuestion(text);
  if (!norm) return out;
  for (const w of segmenter().cut(norm, true)) {
    const word = w.trim();
    if (!word || STOP.has(word)) continue;
    add(`w:${word}`);
    const group = synonyms.get(word);
    if (group) add(`s:${group}`);
  }
  // Synonyms jieba splits differently ("还信用卡") are still found as substrings.
  for (const [phrase, group] of synonyms)
    if (phrase.length > 1 && norm.includes(phrase)) out.set(`s:${group}`, 1);
  for (const run of norm.split(' ')) {
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      if (!STOP.has(chars[i] as string)) add(`c:${chars[i]}`);
      if (i + 1 < chars.length) add(`b:${chars[i]}${chars[i + 1]}`);
    }
  }
  return out;
}

/** The feature space of a term, for its weight. */
export const spaceOf = (term: string): FeatureSpace =>
  term[0] === 'w' ? 'word' : term[0] === 'b' ? 'bigram' : term[0] === 's' ? 'synonym' : 'unigram';
