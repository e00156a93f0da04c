import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { loadTierPolicy } from '../../src/modules/communities/routing-policy.ts';
import { chooseGroup, type RoutingState, routeClient } from '../../src/modules/communities/tier-router.ts';

const shippedFile = path.join(loadConfig({}).contentLibraryDir, 'communities', 'tier-policy.yaml');
const policy = loadTierPolicy(shippedFile);
const NOW = new Date('2026-11-22T08:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 24 * 3600 * 1000);
const fresh: RoutingState = {
  tier: null,
  tierSince: null,
  pendingDowngradeTo: null,
  pendingDowngradeSince: null,
  groupKeys: [],
};
const profile = (aumBand: string | null, tags: string[] = [], engagementScore: number | null = null) => ({
  externalUserid: 'wm_1',
  aumBand,
  tags,
  engagementScore,
});
const stateAfter = (d: ReturnType<typeof routeClient>): RoutingState => ({
  tier: d.tier,
  tierSince: d.tierSince,
  pendingDowngradeTo: d.pendingDowngradeTo,
  pendingDowngradeSince: d.pendingDowngradeSince,
  groupKeys: [d.tier],
});

describe('tier routing', () => {
  it('places a new client by AUM band and explains why', () => {
    const d = routeClient(profile('500k-6m'), fresh, policy, NOW);
    expect(d).toMatchObject({ tier: 'premium', change: 'new', joins: ['premium'], leaves: [] });
    expect(d.explanations[0]?.text).toBe('premium because AUM band ≥ 500k-6m (500k-6m) since 2026-11-22');
    expect(routeClient(profile(null), fresh, policy, NOW).tier).toBe('basic');
    expect(routeClient(profile('lt50k', [], 85), fresh, policy, NOW)).toMatchObject({
      tier: 'intermediate',
      explanations: [{ code: 'tier.engagement' }],
    });
  });

  it('upgrades at once, leaving the old tier group', () => {
    const basic = routeClient(profile('lt50k'), fresh, policy, NOW);
    const up = routeClient(profile('500k-6m'), stateAfter(basic), policy, days(1));
    expect(up).toMatchObject({ tier: 'premium', change: 'up', joins: ['premium'], leaves: ['basic'] });
  });

  it('waits out the grace period before a downgrade, then applies it', () => {
    const premium = stateAfter(routeClient(profile('500k-6m'), fresh, policy, NOW));
    const dip = routeClient(profile('50k-500k'), premium, policy, days(1));
    expect(dip).toMatchObject({
      tier: 'premium',
      change: 'none',
      pendingDowngradeTo: 'intermediate',
      joins: [],
      leaves: [],
    });
    expect(dip.explanations.map((e) => e.text)).toEqual([
      'stays premium: downgrade to intermediate pending until 2026-12-23 (grace 30 days)',
    ]);
    const still = routeClient(profile('50k-500k'), stateAfter(dip), policy, days(30));
    expect(still.tier).toBe('premium');
    const down = routeClient(profile('50k-500k'), stateAfter(still), policy, days(31));
    expect(down).toMatchObject({
      tier: 'intermediate',
      change: 'down',
      joins: ['intermediate'],
      leaves: ['premium'],
    });
    expect(down.explanations[1]?.code).toBe('downgrade.applied');
  });

  it('never flaps: a profile that dips and recovers within the grace period keeps its tier', () => {
    let state = stateAfter(routeClient(profile('500k-6m'), fresh, policy, NOW));
    const bands = ['50k-500k', '500k-6m', '50k-500k', '500k-6m', '50k-500k', '500k-6m'];
    bands.forEach((band, i) => {
      const d = routeClient(profile(band), state, policy, days(i * 20));
      expect(d.tier).toBe('premium');
      state = stateAfter(d);
    });
    expect(state.pendingDowngradeTo).toBeNull();
  });

  it('adds interest groups by tag, and circles only by invitation', () => {
    const d = routeClient(
      {
        ...profile('lt50k', ['基金', '定投', '信用卡', '无关标签']),
        invitedCircles: ['koc-circle', 'not-a-circle'],
      },
      fresh,
      policy,
      NOW,
    );
    expect(d.joins).toEqual(['basic', 'jimin', 'kaquan', 'koc-circle']);
    expect(d.explanations.map((e) => e.text)).toContain('joins jimin because tag 基金');
    expect(routeClient(profile('ge6m', ['KOC']), fresh, policy, NOW).joins).not.toContain('koc-circle');
  });

  it('fills the oldest group with room and overflows when every group is full', () => {
    const g = (chatId: string, memberCount: number, day: number) => ({
      chatId,
      groupKey: 'basic',
      memberCount,
      capacity: 500,
      status: 'active',
      createdAt: days(day),
    });
    expect(chooseGroup('basic', [g('b2', 10, 2), g('b1', 495, 1)], policy)).toEqual({
      kind: 'group',
      chatId: 'b2',
    });
    expect(chooseGroup('basic', [g('b1', 100, 1), g('b2', 10, 2)], policy)).toEqual({
      kind: 'group',
      chatId: 'b1',
    });
    expect(chooseGroup('basic', [g('b1', 495, 1)], policy)).toMatchObject({ kind: 'overflow' });
    expect(chooseGroup('premium', [], policy)).toMatchObject({
      kind: 'overflow',
      reason: expect.stringContaining('no active'),
    });
  });
});

describe('tier policy file', () => {
  const broken = (edit: (text: string) => string) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'helix-policy-')), 'tier-policy.yaml');
    writeFileSync(file, edit(readFileSync(shippedFile, 'utf8')));
    return () => loadTierPolicy(file);
  };

  it('refuses an unknown band, naming the file, the field and the reason', () => {
    const load = broken((t) => t.replace('minAumBand: 500k-6m', 'minAumBand: 1m-plus'));
    expect(load).toThrow(/tier-policy\.yaml: tiers\.2\.minAumBand: unknown AUM band "1m-plus"/);
  });

  it('refuses overlapping or gapped AUM ranges', () => {
    expect(
      broken((t) =>
        t.replace(
          'id: 500k-6m, name: 50万–600万, minCny: 500000',
          'id: 500k-6m, name: 50万–600万, minCny: 400000',
        ),
      ),
    ).toThrow(/aumBands\.2\.minCny: must equal the previous band's maxCny/);
  });

  it('refuses a missing field and a duplicate id', () => {
    expect(broken((t) => t.replace('downgradeGraceDays: 30', ''))).toThrow(/downgradeGraceDays: /);
    expect(broken((t) => t.replace('id: kaquan', 'id: jimin'))).toThrow(/duplicate id "jimin"/);
  });
});
