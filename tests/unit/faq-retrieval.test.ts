import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RANK_FEATURES } from '../../src/modules/faq/retrieval/candidate-features.ts';
import { DEFAULT_DECISION_THRESHOLDS } from '../../src/modules/faq/retrieval/decision-defaults.ts';
import { createFaqIndex, type FaqEntryInput } from '../../src/modules/faq/retrieval/faq-index.ts';
import {
  buildLexicon,
  EMPTY_LEXICON,
  loadLexicon,
  synonymsFileSchema,
} from '../../src/modules/faq/retrieval/lexicon.loader.ts';
import { fitLogistic, fitRanker } from '../../src/modules/faq/retrieval/model-fitting.ts';
import {
  expandRankFeatures,
  PAIR_COUNT,
  rankerFromVector,
  rankScore,
} from '../../src/modules/faq/retrieval/ranking-model.ts';
import { normalizeForSearch } from '../../src/platform/text/normalize.ts';

const lexicon = loadLexicon(path.join(import.meta.dirname, '..', '..', 'content-library', 'faq'));

// A small FAQ written for these tests.
const ENTRIES: FaqEntryInput[] = [
  {
    id: 'credit-card-lost',
    question: '信用卡丢了怎么挂失',
    similar: ['信用卡找不到了怎么办', '信用卡被偷了要怎么处理'],
    answer: '请立即致电信用卡背面的客服热线或在手机银行办理挂失，挂失后原卡立即停用。',
  },
  {
    id: 'debit-card-lost',
    question: '借记卡丢失如何挂失',
    similar: ['储蓄卡不见了怎么办'],
    answer: '借记卡可在手机银行“卡片管理”中临时挂失，正式挂失请携带身份证到网点办理。',
  },
  {
    id: 'transfer-limit',
    question: '手机银行转账限额是多少',
    similar: ['一天最多能转多少钱', '转账额度怎么调高'],
    answer: '转账限额取决于您使用的安全工具，可在手机银行“安全中心”查看和调整。',
  },
  {
    id: 'transfer-arrival',
    question: '跨行转账多久到账',
    similar: ['转给别的银行的钱什么时候到'],
    answer: '实时到账一般几分钟内到账，普通到账在两小时内，次日到账在下一个工作日。',
  },
  {
    id: 'wealth-redeem',
    question: '理财产品赎回后资金多久到账',
    similar: ['理财赎回的钱什么时候能到卡上'],
    answer: '多数理财产品赎回资金在T+1个工作日内到账，具体以产品说明书为准。',
  },
  {
    id: 'wealth-risk',
    question: '理财产品的风险等级怎么看',
    similar: ['R2风险是什么意思'],
    answer: '产品风险等级分为R1至R5，请在购买前查看产品说明书并完成风险测评。',
  },
  {
    id: 'password-reset',
    question: '忘记银行卡密码怎么办',
    similar: ['密码忘了怎么重置'],
    answer: '可携带本人身份证和银行卡到任一网点办理密码重置。',
  },
  {
    id: 'annual-fee',
    question: '信用卡年费怎么收',
    similar: ['信用卡有年费吗', '年费可以减免吗'],
    answer: '年费以卡种标准为准，部分卡种刷卡达到一定次数可免次年年费。',
  },
  {
    id: 'points-redeem',
    question: '信用卡积分怎么兑换礼品',
    similar: ['积分在哪里换东西'],
    answer: '登录手机银行“积分商城”即可用积分兑换礼品。',
  },
  {
    id: 'card-activate',
    question: '新办的信用卡怎么激活',
    similar: ['收到新卡后如何开卡'],
    answer: '可通过手机银行或拨打客服热线激活新卡，激活时需设置交易密码。',
  },
];

const build = (lex = lexicon) => {
  const index = createFaqIndex({ lexicon: lex });
  for (const e of ENTRIES) index.upsert(e);
  return index;
};

describe('FAQ retrieval core', () => {
  it('answers standard questions and paraphrases with the right entry', () => {
    const index = build();
    for (const [query, id] of [
      ['信用卡丢了怎么挂失', 'credit-card-lost'],
      ['信用卡丢了要怎么挂失呢？', 'credit-card-lost'],
      ['理财赎回后多久能到账', 'wealth-redeem'],
      ['转账限额', 'transfer-limit'],
      ['积分换礼品', 'points-redeem'],
      ['新卡怎么开卡', 'card-activate'],
    ] as const) {
      expect(index.decide(query), query).toMatchObject({ outcome: 'answer', entryId: id });
      expect(index.search(query, 3)[0]?.id, query).toBe(id);
    }
    expect(index.search('信用卡丢了怎么挂失', 1)[0]?.matchedQuestion).toBe('信用卡丢了怎么挂失');
  });

  it('reads full-width, traditional and punctuated input like plain text', () => {
    expect(normalizeForSearch('ＡＴＭ機  轉賬！！')).toBe('atm机 转账');
    const index = build();
    expect(index.decide('信用卡丟了怎麼掛失？？')).toMatchObject({ entryId: 'credit-card-lost' });
    // A client typing in 繁體 gets exactly the answer, and the confidence, of one typing in 简体.
    const traditional = index.decide('轉給別的銀行的錢什麼時候到帳');
    expect(traditional).toEqual(index.decide('转给别的银行的钱什么时候到账'));
    expect(traditional).toMatchObject({ entryId: 'transfer-arrival' });
  });

  it('uses the banking synonyms: 贷记卡 is 信用卡 and 遗失 is 丢了', () => {
    const query = '我的贷记卡遗失了怎么办';
    const withSynonyms = build().decide(query);
    expect(withSynonyms).toMatchObject({ outcome: 'answer', entryId: 'credit-card-lost' });
    const withoutSynonyms = build(EMPTY_LEXICON).decide(query);
    expect(withoutSynonyms.outcome).not.toBe('answer');
    expect(withSynonyms.confidence).toBeGreaterThan(withoutSynonyms.confidence);
  });

  it('hands off questions the FAQ does not cover', () => {
    const index = build();
    for (const q of ['今天天气怎么样', '附近有什么好吃的火锅店', '帮我写一首关于春天的诗']) {
      const d = index.decide(q);
      expect(d.outcome, q).toBe('handoff');
      expect(d.confidence, q).toBeLessThan(0.5);
    }
  });

  it('asks which one was meant when a question fits several entries', () => {
    const index = build();
    const lost = index.decide('卡丢了');
    expect(lost.outcome).toBe('clarify');
    expect(lost.candidates.map((c) => c.id).sort()).toEqual(['credit-card-lost', 'debit-card-lost']);
    const transfer = index.decide('转账');
    expect(transfer.outcome).toBe('clarify');
    expect(transfer.candidates.length).toBeGreaterThanOrEqual(2);
    expect(transfer.candidates.length).toBeLessThanOrEqual(3);
    expect(transfer.candidates.map((c) => c.id)).toEqual(
      expect.arrayContaining(['transfer-limit', 'transfer-arrival']),
    );
  });

  it('never throws on empty, emoji-only, symbol-only or huge input, and hands it off', () => {
    const index = build();
    expect(index.decide('')).toMatchObject({ outcome: 'handoff', reason: 'empty', candidates: [] });
    expect(index.decide('   \n\t')).toMatchObject({ outcome: 'handoff', reason: 'empty' });
    expect(index.decide('😀😀🎉👍🏻')).toMatchObject({ outcome: 'handoff', reason: 'empty' });
    expect(index.decide('？？！！……——')).toMatchObject({ outcome: 'handoff', reason: 'empty' });
    expect(index.decide('信用卡'.repeat(5000))).toMatchObject({ outcome: 'handoff', reason: 'too_long' });
    expect(index.search('', 5)).toEqual([]);
    expect(index.search('信用卡'.repeat(5000), 3).length).toBeLessThanOrEqual(3);
    expect(index.search('\u0000\uffff\ud800', 3)).toEqual([]);
    expect(createFaqIndex().decide('信用卡丢了')).toMatchObject({ outcome: 'handoff', reason: 'no_match' });
  });

  it('follows the KB as entries are added, changed and removed', () => {
    const index = build();
    expect(index.size()).toEqual({ entries: 10, questions: 23 });
    expect(index.decide('境外刷卡有手续费吗').outcome).not.toBe('answer');
    index.upsert({
      id: 'overseas-fee',
      question: '境外刷卡收手续费吗',
      similar: ['在国外用卡要付手续费吗'],
      answer: '境外刷卡免收货币转换费，取现按笔收取手续费。',
    });
    expect(index.decide('境外刷卡有手续费吗')).toMatchObject({ outcome: 'answer', entryId: 'overseas-fee' });
    index.upsert({ id: 'overseas-fee', question: '信用卡境外取现', similar: [] });
    expect(index.search('信用卡境外取现', 1)[0]).toMatchObject({
      id: 'overseas-fee',
      matchedQuestion: '信用卡境外取现',
    });
    expect(index.search('在国外用卡要付手续费吗', 10).map((h) => h.matchedQuestion)).not.toContain(
      '在国外用卡要付手续费吗',
    );
    expect(index.remove('overseas-fee')).toBe(true);
    expect(index.remove('overseas-fee')).toBe(false);
    expect(index.search('境外刷卡有手续费吗', 10).map((h) => h.id)).not.toContain('overseas-fee');
    expect(index.size()).toEqual({ entries: 10, questions: 23 });
    index.remove('credit-card-lost');
    expect(index.decide('信用卡丢了怎么挂失')).not.toMatchObject({ entryId: 'credit-card-lost' });
  });

  it('is deterministic, whatever was asked before', () => {
    const queries = ['卡丢了', '转账', '理财赎回后多久能到账', '今天天气怎么样', '信用卡年费和积分'];
    const fresh = (q: string) => JSON.stringify(build().decide(q));
    const warm = build();
    for (const q of [...queries].reverse()) warm.decide(q);
    for (const q of queries) {
      expect(JSON.stringify(warm.decide(q)), q).toBe(fresh(q));
      expect(JSON.stringify(warm.search(q, 5))).toBe(JSON.stringify(build().search(q, 5)));
    }
  });

  it('takes thresholds as parameters', () => {
    const index = build();
    const strict = { ...DEFAULT_DECISION_THRESHOLDS, answerThreshold: 1.01, clarifyThreshold: 1.01 };
    expect(index.decide('信用卡丢了怎么挂失', strict)).toMatchObject({
      outcome: 'handoff',
      reason: 'low_confidence',
    });
    const lax = { ...DEFAULT_DECISION_THRESHOLDS, answerThreshold: 0 };
    expect(index.decide('转账', lax).outcome).toBe('answer');
  });

  it('validates the synonym list and rejects a word in two groups', () => {
    expect(lexicon.synonyms.get('贷记卡')).toBe('信用卡');
    expect(lexicon.stopWords.has('的')).toBe(true);
    const bad = synonymsFileSchema.safeParse({
      groups: [
        ['信用卡', '贷记卡'],
        ['贷记卡', '准贷记卡'],
      ],
    });
    expect(bad.success).toBe(false);
    const ok = synonymsFileSchema.parse({ groups: [['ＡＴＭ', '取款机']] });
    expect(buildLexicon(ok, { words: [] }).synonyms.get('取款机')).toBe('atm');
  });

  it('fits ranker and calibrator weights that separate what they were given', () => {
    const ranker = fitRanker(
      [
        {
          features: [
            [1, 0],
            [0, 1],
          ],
          gold: [true, false],
        },
        {
          features: [
            [0.8, 0.5],
            [0.2, 0.9],
          ],
          gold: [true, false],
        },
      ],
      { l2: 0.1, iterations: 20 },
    );
    expect(ranker[0]).toBeGreaterThan(ranker[1] as number);
    const [bias, w] = fitLogistic([[0], [0.2], [0.8], [1]], [false, false, true, true], {
      l2: 0.1,
      iterations: 20,
    });
    expect(w).toBeGreaterThan(0);
    expect(bias).toBeLessThan(0);
  });

  it('scores a candidate exactly as the fitter saw it: features, squares and paired products', () => {
    const x = RANK_FEATURES.map((_, i) => (i % 5) / 4 - 0.3);
    const expanded = expandRankFeatures(x);
    expect(expanded).toHaveLength(2 * RANK_FEATURES.length + PAIR_COUNT);
    const w = expanded.map((_, i) => Math.sin(i + 1));
    const dot = expanded.reduce((s, v, i) => s + v * (w[i] as number), 0);
    expect(rankScore(x, rankerFromVector(w))).toBeCloseTo(dot, 10);
  });
});
