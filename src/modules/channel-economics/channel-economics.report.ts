import type { ProfileRow } from './channel-economics.repository.ts';
import type { EngagementShares, MixCounts } from './channel-economics.tables.ts';

/** Why a ratio is missing: AAC without activations or without cost, LROI without cost. */
export const NOTES = { noActivations: 'no activations', noCost: 'no cost entered' } as const;

/** The money figures of a channel over some months, with AAC and LROI and why either is missing. */
export type Figures = {
  acquired: number;
  activated: number;
  cost: number;
  reach: number | null;
  revenue: number;
  aac: number | null;
  aacNote?: typeof NOTES.noActivations | typeof NOTES.noCost;
  lroi: number | null;
  lroiNote?: typeof NOTES.noCost;
};

/** A channel's totals over months plus its mixes summed over them. */
export type ProfileTotals = Figures & {
  tierMix: MixCounts;
  riskMix: MixCounts;
  ageBands: MixCounts;
  topTags: [string, number][];
  engagement: EngagementShares;
};

const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

/** AAC and LROI from summed cost, activations and revenue: NULL (with a note) where a division would fail. */
export function figures(s: {
  acquired: number;
  activated: number;
  cost: number;
  reach: number | null;
  revenue: number;
}): Figures {
  return {
    acquired: s.acquired,
    activated: s.activated,
    cost: round(s.cost, 2),
    reach: s.reach,
    revenue: round(s.revenue, 2),
    // A channel with activations but no cost entered has no AAC either: ¥0 would read as a free channel.
    aac: s.activated > 0 && s.cost > 0 ? round(s.cost / s.activated, 2) : null,
    ...(s.activated === 0 ? { aacNote: NOTES.noActivations } : s.cost > 0 ? {} : { aacNote: NOTES.noCost }),
    lroi: s.cost > 0 ? round(s.revenue / s.cost, 4) : null,
    ...(s.cost > 0 ? {} : { lroiNote: NOTES.noCost }),
  };
}

const addMix = (into: MixCounts, from: MixCounts) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

/** Sums a channel's monthly profiles: counts and money added, shares weighted by each month's clients. */
export function totalsOf(rows: readonly ProfileRow[]): ProfileTotals {
  const tierMix: MixCounts = {};
  const riskMix: MixCounts = {};
  const ageBands: MixCounts = {};
  const tags: MixCounts = {};
  const sums = { acquired: 0, activated: 0, cost: 0, revenue: 0 };
  let reach: number | null = null;
  const weighted = { touched30d: 0, stillContact: 0, inGroup: 0 };
  for (const r of rows) {
    sums.acquired += r.acquired;
    sums.activated += r.activated;
    sums.cost += r.cost;
    sums.revenue += r.revenue;
    if (r.reach !== null) reach = (reach ?? 0) + r.reach;
    addMix(tierMix, r.tierMix);
    addMix(riskMix, r.riskMix);
    addMix(ageBands, r.ageBands);
    for (const [tag, n] of r.topTags) tags[tag] = (tags[tag] ?? 0) + n;
    for (const k of Object.keys(weighted) as (keyof EngagementShares)[]) {
      weighted[k] += (r.engagement[k] ?? 0) * r.acquired;
    }
  }
  const share = (v: number) => (sums.acquired > 0 ? round(v / sums.acquired, 4) : 0);
  return {
    ...figures({ ...sums, reach }),
    tierMix,
    riskMix,
    ageBands,
    // Top tags of the months' top-10 lists: a tag outside every month's top 10 is not counted.
    topTags: Object.entries(tags)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10),
    engagement: {
      touched30d: share(weighted.touched30d),
      stillContact: share(weighted.stillContact),
      inGroup: share(weighted.inGroup),
    },
  };
}

/** The rows grouped by channel, in first-seen order. */
export function byChannel(rows: readonly ProfileRow[]): ProfileRow[][] {
  const groups = new Map<string, ProfileRow[]>();
  for (const r of rows) {
    const g = groups.get(r.channelId);
    if (g) g.push(r);
    else groups.set(r.channelId, [r]);
  }
  return [...groups.values()];
}
