import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { runStream } from '../bench/faq-stream.ts';
import { testEnv } from '../helpers/infra.ts';

// A tiny KB: four entries, one of whose answers makes a banned promise (compliance refuses it).
const KB = [
  { id: 'card-lost', question: '信用卡丢了怎么挂失', answer: '请立即拨打卡背面的客服电话办理临时挂失。' },
  { id: 'annual-fee', question: '信用卡年费怎么收取', answer: '年费以卡种标准为准，刷卡满一定次数可减免。' },
  {
    id: 'transfer-limit',
    question: '手机银行转账限额是多少',
    answer: '单笔和日累计限额可在手机银行安全中心查看和调整。',
  },
  { id: 'wealth-promise', question: '这款理财安全吗', answer: '这款理财保本保息，亏了算我的。' },
];
// Clients' wordings, each asked several times in the stream: the first ones are handed off or clarified,
// reviewed, and the later ones are answered from what the review added.
const WORDINGS = [
  { q: '我的卡找不到了咋办', id: 'card-lost' },
  { q: '卡片丢失了要怎么处理', id: 'card-lost' },
  { q: '年费能不能免掉', id: 'annual-fee' },
  { q: '每年要交多少钱的年费', id: 'annual-fee' },
  { q: '一天最多能转多少钱', id: 'transfer-limit' },
  { q: '转账额度在哪里调高', id: 'transfer-limit' },
  { q: '理财会不会亏本', id: 'wealth-promise' },
];
const STREAM = Array.from({ length: 6 }, () => WORDINGS).flat();

describe('bench:faq --stream', () => {
  it('reviews through the review queue: attached by ops, approved by compliance, the index updated', async () => {
    let recorded: { action: string; actor: string }[] = [];
    let reviewed: { reviewStatus: string; n: number }[] = [];
    const result = await runStream({
      config: loadConfig(testEnv()),
      kb: KB,
      stream: STREAM,
      reviewEvery: WORDINGS.length,
      seed: 1,
      refitEvery: 0,
      ood: [],
      judge: (got, gold) => got === gold,
      say: () => {},
      onFinish: async (db) => {
        recorded = await queryRows(
          db,
          sql`SELECT action, actor FROM audit_log WHERE action LIKE 'faq.%' GROUP BY action, actor ORDER BY action, actor`,
        );
        reviewed = await queryRows(
          db,
          sql`SELECT review_status AS "reviewStatus", count(*)::int AS n FROM faq_questions GROUP BY 1 ORDER BY 1`,
        );
      },
    });
    expect(result.questions).toBe(STREAM.length);
    // Ops attach, a different user (compliance) approves; nobody approves their own draft.
    expect(recorded).toEqual(
      expect.arrayContaining([
        { action: 'faq.review.attach', actor: 'ops-reviewer' },
        { action: 'faq.approve', actor: 'compliance-reviewer' },
      ]),
    );
    expect(recorded.filter((r) => r.action === 'faq.approve').map((r) => r.actor)).toEqual([
      'compliance-reviewer',
    ]);
    // The entry promising 保本 is never approved: not at import, not with attached questions.
    expect(result.refusedDrafts).toBeGreaterThan(0);
    expect(result.attached).toBeGreaterThan(0);
    expect(reviewed.find((r) => r.reviewStatus === 'attached')?.n).toBe(result.attached);
    // What the review added is served: the first block resolves less than the last.
    expect(result.curve.length).toBe(6);
    expect(result.curve.at(-1)).toBeGreaterThan(result.curve[0] ?? 1);
    expect(result.answered).toBeGreaterThan(0);
    expect(result.answeredPrecision).toBe(1);
  }, 60_000);
});
