import { linkToken, linkTokenMatches } from '../../platform/auth/link-token.ts';
import type { FlashEligibility } from './flash-sales.tables.ts';

/** Why a client may not claim. */
export type IneligibleReason = 'tier' | 'risk_level' | 'not_new_client' | 'unknown_client' | 'points';

/** Every answer a claim can get. */
export type ClaimOutcome = 'won' | 'sold_out' | 'not_eligible' | 'already_claimed' | 'not_open' | 'closed';

/** The facts the rules read about a client (contacts' `clients` row). */
export type EligibilityFacts = { tier: string | null; riskLevel: string | null; acquiredAt: Date | null };

const DAY_MS = 24 * 3600_000;

/** Whether the rule restricts anyone at all. */
export const hasRules = (rule: FlashEligibility): boolean =>
  Boolean(rule.tiers?.length || rule.riskLevels?.length || rule.newClientsWithinDays !== undefined);

/** Whether `facts` pass `rule` at `now`; the first rule broken is the reason. Pure. */
export function checkEligibility(
  rule: FlashEligibility,
  facts: EligibilityFacts | undefined,
  now: Date,
): { ok: true } | { ok: false; reason: IneligibleReason } {
  const hasRules = Boolean(
    rule.tiers?.length || rule.riskLevels?.length || rule.newClientsWithinDays !== undefined,
  );
  if (!hasRules) return { ok: true };
  if (!facts) return { ok: false, reason: 'unknown_client' };
  if (rule.tiers?.length && !(facts.tier && rule.tiers.includes(facts.tier)))
    return { ok: false, reason: 'tier' };
  if (rule.riskLevels?.length && !(facts.riskLevel && rule.riskLevels.includes(facts.riskLevel)))
    return { ok: false, reason: 'risk_level' };
  if (
    rule.newClientsWithinDays !== undefined &&
    !(facts.acquiredAt && now.getTime() - facts.acquiredAt.getTime() <= rule.newClientsWithinDays * DAY_MS)
  )
    return { ok: false, reason: 'not_new_client' };
  return { ok: true };
}

/** The approved library component that answers each outcome in the group. */
export const REPLY_COMPONENT: Record<ClaimOutcome, string> = {
  won: 'flash-sale-won',
  sold_out: 'flash-sale-sold-out',
  not_eligible: 'flash-sale-not-eligible',
  already_claimed: 'flash-sale-already-claimed',
  not_open: 'flash-sale-not-open',
  closed: 'flash-sale-closed',
};

/** How the not-eligible reply names the reason, in the client's words. */
export const REASON_ZH: Record<IneligibleReason, string> = {
  tier: '本活动仅限指定客户等级参与',
  risk_level: '本活动仅限指定风险承受能力等级的客户参与',
  not_new_client: '本活动仅限新客户参与',
  unknown_client: '暂未查到您的客户信息',
  points: '您的积分余额不足',
};

/**
 * The sale a group message names by its keyword (the @-mention of the bot stripped), or undefined. The
 * longest keyword found wins; among several sales with it: the one open now, else the next to open, else the last to close.
 */
export function saleNamedBy<S extends { keyword: string; opensAt: Date; closesAt: Date }>(
  text: string,
  sales: readonly S[],
  now: Date,
): S | undefined {
  const plain = text.replace(/@\S+/g, ' ').trim();
  if (plain.length === 0 || plain.length > 40) return undefined;
  const matching = sales.filter((s) => plain.includes(s.keyword));
  // 午间秒杀 names the lunch sale, not every sale whose keyword is the default 秒杀 inside it.
  const longest = Math.max(0, ...matching.map((s) => s.keyword.length));
  const named = matching.filter((s) => s.keyword.length === longest);
  const t = now.getTime();
  return (
    named.find((s) => s.opensAt.getTime() <= t && t < s.closesAt.getTime()) ??
    named
      .filter((s) => s.opensAt.getTime() > t)
      .sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime())[0] ??
    named.sort((a, b) => b.closesAt.getTime() - a.closesAt.getTime())[0]
  );
}

/**
 * Claim links: ops hand each client a link carrying `token = HMAC-SHA256(secret, "<sale>:<client>")`
 * (base64url). The public claim route recomputes it, so a link claims for the one client it was made for
 * and no one can claim in another client's name without the secret.
 */
export function claimLinkToken(secret: string, saleId: string, externalUserid: string): string {
  return linkToken(secret, `${saleId}:${externalUserid}`);
}

/** Whether `token` is the claim-link token for this sale and client (constant time). */
export function verifyClaimLinkToken(
  secret: string,
  saleId: string,
  externalUserid: string,
  token: string,
): boolean {
  return linkTokenMatches(secret, `${saleId}:${externalUserid}`, token);
}
