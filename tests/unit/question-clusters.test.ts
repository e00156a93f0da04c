import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChoice } from '../../src/modules/faq/client-message.ts';
import { clusterQuestions } from '../../src/modules/faq/question-clusters.ts';
import { loadLexicon } from '../../src/modules/faq/retrieval/lexicon.loader.ts';
import { createTokenizer } from '../../src/modules/faq/retrieval/tokenizer.ts';

const tokenize = createTokenizer(
  loadLexicon(path.join(import.meta.dirname, '..', '..', 'content-library', 'faq')),
);

describe('clustering unanswered questions for review', () => {
  it('groups paraphrases of one question apart from other questions, biggest group first', () => {
    const q = (id: number, text: string, candidates: string[] = []) => ({ id, text, candidates });
    const clusters = clusterQuestions(
      [
        q(1, '房贷提前还款的违约金怎么算', ['card-repay']),
        q(2, '外汇期权怎么定价'),
        q(3, '房贷提前还款违约金怎么算', ['card-repay']),
        q(4, '提前还房贷的违约金怎么算', ['transfer-limit']),
        q(5, '外汇期权的定价模型是什么'),
        q(6, '保险箱怎么租'),
      ],
      tokenize,
    );
    expect(clusters.map((c) => c.questionIds)).toEqual([[1, 3, 4], [2, 5], [6]]);
    expect(clusters[0]?.likelyEntries[0]).toEqual({ entryId: 'card-repay', count: 2 });
    // The one sharing most with both others.
    expect(clusters[0]?.representative).toBe('房贷提前还款的违约金怎么算');
  });

  it('is empty for no questions', () => {
    expect(clusterQuestions([], tokenize)).toEqual([]);
  });
});

describe('a reply to a clarification', () => {
  it('reads a number, 第N个 or a Chinese numeral as a choice, and anything else as a question', () => {
    expect(['2', ' 3 ', '第2个', '第二个', '一', '1。'].map(parseChoice)).toEqual([2, 3, 2, 2, 1, 1]);
    expect(['12', '2个信用卡', '信用卡', '', '0'].map(parseChoice)).toEqual([null, null, null, null, null]);
  });
});
