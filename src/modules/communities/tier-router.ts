import type { CompiledPolicy } from './routing-policy.ts';

/** What routing reads about a client: the bank's profile, plus the circles they were invited to. */
export type RoutingProfile = {
  externalUserid: string;
  aumBand: string | null;
  engagementScore: number | null;
  tags: readonly string[];
  invitedCircles?: readonly string[];
};

/** Where the client stands now: tier, a pending downgrade, and the group keys they are in or invited to. */
export type RoutingState = {
  tier: string | null;
  tierSince: Date | null;
  pendingDowngradeTo: string | null;
  pendingDowngradeSince: Date | null;
  groupKeys: readonly string[];
};

/** One reason behind a decision, as data (to test and to show) and as an English sentence. */
export type Explanation = { code: string; text: string };

/** A routing decision: the tier to hold, the groups to join and leave, and why. */
export type RoutingDecision = {
  externalUserid: string;
  tier: string;
  tierSince: Date;
  change: 'new' | 'up' | 'down' | 'none';
  pendingDowngradeTo: string | null;
  pendingDowngradeSince: Date | null;
  joins: string[];
  leaves: string[];
  explanations: Explanation[];
};

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The highest tier the profile qualifies for, and the rule that put it there. */
function qualifiedTier(p: RoutingProfile, c: CompiledPolicy): { tier: string; why: Explanation } {
  const tiers = c.policy.tiers;
  const band = p.aumBand ? c.bandRank.get(p.aumBand) : undefined;
  for (let i = tiers.length - 1; i > 0; i--) {
    const t = tiers[i]!;
    const minBand = t.minAumBand ? c.bandRank.get(t.minAumBand) : undefined;
    if (band !== undefined && minBand !== undefined && band >= minBand) {
      return {
        tier: t.id,
        why: { code: 'tier.aum', text: `${t.id} because AUM band ≥ ${t.minAumBand} (${p.aumBand})` },
      };
    }
    if (t.minEngagement !== undefined && (p.engagementScore ?? -1) >= t.minEngagement) {
      return {
        tier: t.id,
        why: {
          code: 'tier.engagement',
          text: `${t.id} because engagement ${p.engagementScore} ≥ ${t.minEngagement}`,
        },
      };
    }
  }
  const lowest = tiers[0]!.id;
  return { tier: lowest, why: { code: 'tier.default', text: `${lowest}: meets no higher tier's rule` } };
}

/**
 * Routes one client (pure: no I/O; `now` is passed in). Upgrades apply at once. A client who qualifies
 * only for a lower tier keeps their tier for the policy's grace period first, and a client who qualifies
 * again in the meantime keeps it for good, so nobody flaps. Interest groups follow tags; circles are
 * joined only by invitation. Existing interest and circle memberships are never removed by routing.
 */
export function routeClient(
  p: RoutingProfile,
  s: RoutingState,
  c: CompiledPolicy,
  now: Date,
): RoutingDecision {
  const explanations: Explanation[] = [];
  const q = qualifiedTier(p, c);
  let tier = q.tier;
  let tierSince = now;
  let change: RoutingDecision['change'] = 'new';
  let pendingTo: string | null = null;
  let pendingSince: Date | null = null;
  const current = s.tier && c.tierRank.has(s.tier) ? s.tier : null;

  if (current) {
    const diff = c.tierRank.get(q.tier)! - c.tierRank.get(current)!;
    if (diff > 0) {
      change = 'up';
      explanations.push({ code: q.why.code, text: `${q.why.text} since ${day(now)}` });
    } else if (diff === 0) {
      change = 'none';
      tierSince = s.tierSince ?? now;
      explanations.push({ code: q.why.code, text: `${q.why.text} since ${day(tierSince)}` });
      if (s.pendingDowngradeTo) {
        explanations.push({
          code: 'downgrade.cancelled',
          text: `downgrade to ${s.pendingDowngradeTo} cancelled: qualifies for ${current} again`,
        });
      }
    } else {
      // Below the current tier: wait out the grace period, counted from when the client first fell below.
      const since = s.pendingDowngradeSince ?? now;
      const due = new Date(since.getTime() + c.graceMs);
      if (now.getTime() >= due.getTime()) {
        change = 'down';
        explanations.push({ code: q.why.code, text: `${q.why.text} since ${day(now)}` });
        explanations.push({
          code: 'downgrade.applied',
          text: `down from ${current}: below it since ${day(since)}, grace of ${c.policy.downgradeGraceDays} days over`,
        });
      } else {
        change = 'none';
        tier = current;
        tierSince = s.tierSince ?? now;
        pendingTo = q.tier;
        pendingSince = since;
        explanations.push({
          code: 'downgrade.pending',
          text: `stays ${current}: downgrade to ${q.tier} pending until ${day(due)} (grace ${c.policy.downgradeGraceDays} days)`,
        });
      }
    }
  } else {
    explanations.push({ code: q.why.code, text: `${q.why.text} since ${day(now)}` });
  }

  const targets = [tier];
  for (const tag of p.tags) {
    for (const g of c.interestByTag.get(tag) ?? []) {
      if (targets.includes(g)) continue;
      targets.push(g);
      explanations.push({ code: 'interest.tag', text: `joins ${g} because tag ${tag}` });
    }
  }
  for (const circle of p.invitedCircles ?? []) {
    if (!c.circleIds.has(circle) || targets.includes(circle)) continue;
    targets.push(circle);
    explanations.push({ code: 'circle.invited', text: `joins ${circle} by invitation` });
  }
  const joins = targets.filter((g) => !s.groupKeys.includes(g));
  const leaves = s.groupKeys.filter((g) => c.tierRank.has(g) && g !== tier);
  for (const g of leaves) explanations.push({ code: 'tier.leave', text: `leaves ${g}: now ${tier}` });
  return {
    externalUserid: p.externalUserid,
    tier,
    tierSince,
    change,
    pendingDowngradeTo: pendingTo,
    pendingDowngradeSince: pendingSince,
    joins,
    leaves,
    explanations,
  };
}

/** A group to place a joining client in, or `overflow` when every group of the key is full. */
export type GroupChoice = { kind: 'group'; chatId: string } | { kind: 'overflow'; reason: string };

/**
 * Picks the oldest active group of `groupKey` with room (capacity minus the policy's reserve). When all are
 * full the caller relies on the key's join way, which creates the next group (auto_create_room).
 */
export function chooseGroup(
  groupKey: string,
  groups: readonly {
    chatId: string;
    groupKey: string | null;
    memberCount: number;
    capacity: number;
    status: string;
    createdAt: Date;
  }[],
  c: CompiledPolicy,
): GroupChoice {
  const candidates = groups
    .filter((g) => g.groupKey === groupKey && g.status === 'active')
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.chatId.localeCompare(b.chatId));
  const open = candidates.find((g) => g.memberCount < g.capacity - c.policy.groupReserve);
  if (open) return { kind: 'group', chatId: open.chatId };
  return {
    kind: 'overflow',
    reason:
      candidates.length === 0
        ? `no active ${groupKey} group yet: the join way creates one`
        : `all ${candidates.length} ${groupKey} group(s) are full: the join way creates the next`,
  };
}
