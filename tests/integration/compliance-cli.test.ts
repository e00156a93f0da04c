import { describe, expect, it } from 'vitest';
import { runHelixCli } from '../helpers/child-process.ts';

/** Runs `helix compliance check …` with `input` on stdin. */
const check = (args: string[], input: string | Buffer) =>
  runHelixCli(['compliance', 'check', ...args], { input });

describe('helix compliance check', () => {
  it('prints one JSON line for scripts', async () => {
    const r = await check(['--json', '--risk', 'R5'], '稳赚不赔的好产品，联系13912345678');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] ?? '');
    expect(Object.keys(result)).toEqual(['ok', 'findings', 'masked']);
    expect(result.ok).toBe(false);
    expect(result.findings.map((f: { kind: string }) => f.kind)).toEqual([
      'banned-claim',
      'pii',
      'missing-disclosure',
    ]);
    expect(Object.keys(result.findings[0])).toEqual(['rule', 'kind', 'span', 'severity', 'suggestion']);
    expect(result.masked).toBe('稳赚不赔的好产品，联系139****5678');
  });

  it('explains findings for people, exiting 1 when the text is blocked', async () => {
    const r = await check([], '零风险');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[block] banned-claim zero-risk at 0–3');
  });

  it('refuses input that is not UTF-8, or too large, with a clear error', async () => {
    const bad = await check(['--json'], Buffer.from([0xff, 0xfe, 0x00]));
    expect(bad).toMatchObject({ code: 1, stderr: 'helix: input is not UTF-8 text\n' });
    const big = await check(['--json'], Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(big.code).toBe(1);
    expect(big.stderr).toContain('input is over 1048576 bytes');
    const risk = await check(['--risk', 'R9'], 'x');
    expect(risk.stderr).toContain('--risk must be one of R1, R2, R3, R4, R5');
  });
});
