import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The README sends new users to `npm run demo`; it must keep working on a machine with nothing configured.
describe('npm run demo', () => {
  it('plays the scripted story on embedded defaults and exits 0 with a readable summary', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { PATH: process.env.PATH },
      timeout: 90_000,
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
    expect(stdout).toContain('Demo finished: every step did what it should.');
  }, 120_000);
});
