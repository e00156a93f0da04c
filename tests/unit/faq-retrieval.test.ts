import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { decide } from '../../src/modules/smart-service/faq-decision.ts';
import { createFaqIndex } from '../../src/modules/smart-service/faq-index.ts';
import { loadSynonyms } from '../../src/modules/smart-service/faq-synonyms.ts';

const config = loadConfig({});
const synonyms = loadSynonyms(path.join(config.contentLibraryDir, 'faq', 'synonyms.yaml'));
const t = config.faq.thresholds;

// A small FAQ written for these tests.
const ENTRIES = [
  { id: 'card-lost', question: '信用卡丢了怎么挂失', similar: ['信用卡不见了怎么办', '卡片遗失如何冻结'] },
  { id: 'transfer-limit', question: '手机银行转账限额是多少', similar: ['网银转账一天最多能转多少钱'] },
  { id: 'wealth-redeem', question: '理财产品赎回后多久到账', similar: ['理财赎回资金什么时候到账'] },
  { id: 'debit-open', question: '借记卡怎么开户', similar: ['办一张储蓄卡需要带什么材料'] },
  { id: 'fx-overseas', question: '境外刷卡有手续费吗', similar: ['出国用卡收不收手续费'] },
  { id: 'card-annual-fee', question: '信用卡年费怎么收取', similar: ['信用卡年费可以免吗'] },
  { id: 'card-points', question: '信用卡积分怎么兑换礼品', similar: ['积分兑换在哪里操作'] },
];
const build = () => {
  const index = createFaqIndex({ synonyms });
  for (const e of ENTRIES) index.upsert(e);
  return index;
};

describe('FAQ retrieval and decision', () => {
  it('answers a paraphrase with the right entry, helped by banking synonyms', () => {
    const index = build();
    expect(decide(index, '信用卡丢了要怎么挂失呢？', t)).toMatchObject({
      outcome: 'answer',
      entryId: 'card-lost',
    });
    expect(decide(index, '理财赎回后多久能到账', t)).toMatchObject({
      outcome: 'answer',
      entryId: 'wealth-redeem',
    });
    // 贷记卡 is 信用卡 and 遗失 is 丢了 in the synonym list: the right entry comes first, offered to confirm.
    const viaSynonyms = decide(index, '贷记卡遗失怎么挂失', t);
    expect(viaSynonyms.outcome).not.toBe('handoff');
    expect(viaSynonyms.candidates[0]?.id).toBe('card-lost');
  });

  it('hands off what the FAQ does not cover, and never throws on odd input', () => {
    const index = build();
    expect(decide(index, '今天天气怎么样，适合去爬山吗', t)).toMatchObject({ outcome: 'handoff' });
    expect(decide(index, '', t)).toMatchObject({ outcome: 'handoff', reason: 'empty' });
    expect(decide(index, '😀😀🎉', t)).toMatchObject({ outcome: 'handoff', reason: 'empty' });
    expect(decide(index, '信用卡'.repeat(400), t)).toMatchObject({ outcome: 'handoff', reason: 'too_long' });
  });

  it('offers the top candidates when a question fits several entries', () => {
    const d = decide(build(), '信用卡怎么收', t);
    expect(d.outcome).toBe('clarify');
    expect(d.candidates.map((c) => c.id)).toContain('card-annual-fee');
    expect(d.candidates.length).toBeGreaterThanOrEqual(2);
  });

  it('follows the KB as it changes, and is deterministic', () => {
    const index = build();
    const before = decide(index, '境外刷卡有手续费吗', t);
    expect(before).toMatchObject({ outcome: 'answer', entryId: 'fx-overseas' });
    index.remove('fx-overseas');
    expect(decide(index, '境外刷卡有手续费吗', t).outcome).not.toBe('answer');
    index.upsert({ id: 'fx-overseas-2', question: '在国外刷卡收手续费吗', similar: [] });
    expect(decide(index, '境外刷卡有手续费吗', t)).toMatchObject({
      outcome: 'answer',
      entryId: 'fx-overseas-2',
    });
    expect(JSON.stringify(decide(build(), '积分怎么换礼品', t))).toBe(
      JSON.stringify(decide(build(), '积分怎么换礼品', t)),
    );
  });
});
