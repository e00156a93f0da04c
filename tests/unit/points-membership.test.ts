import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asksForPoints } from '../../bots/points-query.ts';
import { loadConfig } from '../../src/config.ts';
import { loadTierPolicy } from '../../src/modules/communities/routing-policy.ts';
import { loadMembership, MembershipFileError } from '../../src/modules/points/membership.ts';
import { expiryOf } from '../../src/modules/points/points-expiry.ts';

const library = loadConfig({}).contentLibraryDir;
const tiers = loadTierPolicy(path.join(library, 'communities', 'tier-policy.yaml')).policy.tiers.map(
  (t) => t.id,
);
const shipped = loadMembership(path.join(library, 'points', 'membership.yaml'), tiers);

const fileWith = (yaml: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'helix-membership-')), 'membership.yaml');
  writeFileSync(file, yaml);
  return file;
};

describe('membership levels', () => {
  it('derive from the balance, or from the tier where a level names one', () => {
    expect(shipped.membershipOf(0, null).name).toBe('普卡');
    expect(shipped.membershipOf(999, 'basic').name).toBe('普卡');
    expect(shipped.membershipOf(1000, 'basic').name).toBe('银卡');
    expect(shipped.membershipOf(5000, null).name).toBe('金卡');
    expect(shipped.membershipOf(0, 'intermediate').name).toBe('金卡');
    expect(shipped.membershipOf(0, 'premium').name).toBe('钻石卡');
    expect(shipped.membershipOf(20_000, 'basic').name).toBe('钻石卡');
    expect(shipped.membershipOf(0, 'unknown-tier').name).toBe('普卡');
  });

  it('refuse a bad file at load with the file, the field and the reason', () => {
    const bad = fileWith(`levels:
  - { id: standard, name: 普卡, minPoints: 10, benefits: [] }
  - { id: silver, name: 银卡, minPoints: 5, benefits: [], extra: 1 }
`);
    expect(() => loadMembership(bad, tiers)).toThrow(MembershipFileError);
    expect(() => loadMembership(bad, tiers)).toThrow(
      /levels\.0\.minPoints: the lowest level must start at 0/,
    );
    expect(() => loadMembership(bad, tiers)).toThrow(/levels\.1.*extra/);
    const unknownTier = fileWith(`levels:
  - { id: standard, name: 普卡, minPoints: 0, minTier: platinum, benefits: [] }
`);
    expect(() => loadMembership(unknownTier, tiers)).toThrow(/levels\.0\.minTier: unknown tier "platinum"/);
    expect(() => loadMembership(fileWith('levels: [oops'), tiers)).toThrow(/not readable YAML/);
  });
});

describe('points expiry', () => {
  it('falls at the end of the year after the grant, in Shanghai time', () => {
    expect(expiryOf(new Date('2026-03-05T00:00:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2027-12-31T16:00:00.000Z',
    );
    // 2027-01-01 01:00 in Shanghai is already 2027 there, though still 2026 in UTC.
    expect(expiryOf(new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2028-12-31T16:00:00.000Z',
    );
  });
});

describe('the 积分查询 command', () => {
  it('is the whole message, after any @-mention', () => {
    for (const t of ['积分查询', '@智能助手 查积分', '我的积分？', ' 查询积分 '])
      expect(asksForPoints(t)).toBe(true);
    for (const t of ['积分查询怎么用', '我想问一下积分能换什么', '积分'])
      expect(asksForPoints(t)).toBe(false);
  });
});
