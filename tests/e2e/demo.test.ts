import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The README sends new users to `npm run demo`; it must keep working on a machine with nothing configured.
describe('npm run demo', () => {
  it('plays the scripted scenario on embedded defaults and exits 0 with a readable summary', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { PATH: process.env.PATH },
      timeout: 90_000,
    });
    expect(stdout).toContain('地铁灯箱广告: 3 clients: 王先生、陈女士、赵同学');
    expect(stdout).toContain('周末理财沙龙: 2 clients: 刘阿姨、孙总');
    expect(stdout).toMatch(/5 × event:change_external_contact:add_external_contact {2}processed/);
    expect(stdout).toContain('Demo finished: every step did what it should.');
  }, 120_000);
});
