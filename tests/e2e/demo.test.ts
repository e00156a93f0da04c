import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The README sends new users to `npm run demo`; it must keep working on a machine with nothing configured.
describe('npm run demo', () => {
  it('plays the scripted story on embedded defaults and exits 0 with a readable summary', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { PATH: process.env.PATH },
      timeout: 110_000,
    });
    // Welcomed through the RM's persona, routed by the profile feed, joined, and upgraded.
    expect(stdout).toContain('王先生 ← “你好呀～我是张敏，以后就是你的客户经理啦');
    expect(stdout).toContain('王先生: premium because AUM band ≥ 500k-6m (500k-6m) since');
    expect(stdout).toContain('王先生  metro-2611  premium  in: 基民交流1群、金葵花贵宾1群  tasks: -');
    expect(stdout).toContain(
      '陈女士  metro-2611  premium  in: 进阶理财1群、金葵花贵宾1群  tasks: leave intermediate',
    );
    expect(stdout).toContain('孙总  salon-1122  premium  in: -  tasks: premium');
    // Maker–checker: the banned claim is rejected with findings, the corrected draft approved and rendered.
    expect(stdout).toContain('compliance banned-claim guaranteed-principal at "保本"');
    expect(stdout).toContain('v1 rejected');
    expect(stdout).toContain('v2: 0 findings → approved by 合规老王');
    expect(stdout).toContain('yinghe-shuju: 先看三组数据。周三存款日');
    // The FAQ bot answers, clarifies, hands off to the client's RM, and the RM takes over.
    expect(stdout).toContain('→ 请立即拨打信用卡背面的客服电话');
    expect(stdout).toContain('→ 您想问的是下面哪一个？');
    expect(stdout).toContain('rm_zhangmin taps 接手: the conversation is now human-owned');
    // The activity spiral: the waitlist promotes, attendance pays, the sale sells out exactly with a reply
    // for every kind of claimant, a referral pays after activation, and a KOC joins the circle.
    expect(stdout).toContain('已为您登记候补，当前排第 1 位');
    expect(stdout).toContain('seated: 王先生、陈女士 (陈女士 promoted from the waitlist');
    expect(stdout).toContain('您当前的积分余额为 50 分');
    expect(stdout).toContain('sold out exactly: 2 of 2 taken, 0 left in Redis');
    for (const reply of ['恭喜您抢到', '已全部抢完', '暂不符合', '每位客户限领一次', '还未开始', '已经结束'])
      expect(stdout).toContain(reply);
    expect(stdout).toContain('referral pending, 王先生 has 50 points');
    expect(stdout).toContain('(activation): 王先生 now has 250 points');
    expect(stdout).toMatch(/王先生 is invited to KOC核心圈 \(.+\) and joins it/);
    // Growth analytics: the week's RM ranking with one score explained, the funnel and AAC/LROI per channel.
    expect(stdout).toContain('RM engagement, week of 2026-09-28 (rank within branch):');
    expect(stdout).toContain('名次  客户经理  分行      活跃度得分');
    expect(stdout).toMatch(/ {5}客户覆盖 {2}\d+% +× weight 15 {2}→ \d+\.\d\d points/);
    expect(stdout).toMatch(/the points sum to (\d+\.\d) = the score \1\b/);
    expect(stdout).toContain('地铁灯箱广告: 曝光 12 → 获客 3 (25%) → 激活 2 (66.7%)');
    expect(stdout).toContain('地铁灯箱广告: cost ¥12,000, 3 new, 2 activated, AAC ¥6,000, revenue ¥5,085.7');
    expect(stdout).toContain('周末理财沙龙: cost ¥3,500, 2 new, 0 activated, AAC 暂无激活');
    expect(stdout).toContain('Demo finished: every step did what it should.');
  }, 140_000);
});
