/** Why a recipient is skipped. Stable codes: the API, stats and the console show them. */
export const SKIP_REASONS = [
  'opted_out',
  'no_owner_rm',
  'no_risk_level',
  'unsuitable_risk',
  'daily_cap',
  'weekly_cap',
  'wecom_cap',
  'quiet_hours',
  'not_in_group_owned_by_rm',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** The rules one occurrence applies to each client. */
export type EligibilityRules = {
  /** The content's product risk (R1–R5); unset, any client may receive it. */
  productRisk?: string | undefined;
  dailyCap: number;
  weeklyCap: number;
  /** WeCom's per-recipient cap on mass messages (1:1 only). */
  wecomCap: number;
  /** True when the occurrence's local time is inside quiet hours and the channel is 1:1. */
  inQuietHours: boolean;
  /** 1:1 and group mass messages count toward WeCom's cap; Moments, app and robot posts do not. */
  channel: 'single' | 'group' | 'moment' | 'app' | 'robot';
};

/** What eligibility reads about a client. */
export type ClientFacts = {
  optedOut: boolean;
  ownerRm: string | null;
  riskLevel: string | null;
};

/** How many deliveries a client already has: today, in the last 7 days, and in WeCom's cap window. */
export type RecentCounts = { today: number; week: number; wecomWindow: number };

const level = (v: string | null | undefined) => (v ? Number(v.slice(1)) : Number.NaN);

/**
 * Whether a client may receive this occurrence, and if not, the first reason in order of how final it is:
 * an opt-out before suitability, suitability before the caps, the caps before the time of day.
 */
export function skipFor(c: ClientFacts, recent: RecentCounts, r: EligibilityRules): SkipReason | undefined {
  if (c.optedOut) return 'opted_out';
  if (r.channel === 'single' && !c.ownerRm) return 'no_owner_rm';
  if (r.productRisk) {
    if (!c.riskLevel) return 'no_risk_level';
    // A client rated Cn may buy products rated up to Rn (C3 covers R1–R3).
    if (level(c.riskLevel) < level(r.productRisk)) return 'unsuitable_risk';
  }
  if (recent.today >= r.dailyCap) return 'daily_cap';
  if (recent.week >= r.weeklyCap) return 'weekly_cap';
  // WeCom caps mass messages per client and per customer group alike.
  if ((r.channel === 'single' || r.channel === 'group') && recent.wecomWindow >= r.wecomCap)
    return 'wecom_cap';
  if (r.inQuietHours) return 'quiet_hours';
  return undefined;
}

/** Whether local minute-of-day `minute` falls in quiet hours `start`–`end` (HH:MM; may wrap midnight). */
export function inQuietHours(minute: number, q: { start: string; end: string }): boolean {
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const s = toMin(q.start);
  const e = toMin(q.end);
  if (s === e) return false;
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}
