import { useEffect, useState } from 'react';
import { api, type Me, type Ok } from '../../api.ts';
import { t } from '../../messages.ts';
import { dayOf, mondayOf, startOfDay } from '../../time.ts';

// What the growth page's sections share: number formats, default ranges and the channels' names.

/** A share (0..1) as a percentage with one decimal; `—` for null. */
export const pct = (rate: number | null): string =>
  rate === null ? t('growth.none') : `${(rate * 100).toFixed(1)}%`;

const YUAN = new Intl.NumberFormat('zh-CN', {
  style: 'currency',
  currency: 'CNY',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** An amount in CNY with two decimals. */
export const cny = (n: number): string => YUAN.format(n);

/** A ratio (LROI) with two decimals. */
export const ratioText = (n: number): string => n.toFixed(2);

/** AAC as shown: CNY, or 暂无激活 when nobody activated, or 未录入成本 when no cost was entered. */
export const aacText = (f: { aac: number | null; aacNote?: string }) =>
  f.aac !== null
    ? cny(f.aac)
    : f.aacNote === 'no cost entered'
      ? t('growth.channels.noCost')
      : t('growth.channels.noActivations');
/** LROI as shown: two decimals, or 未录入成本 when no cost was entered. */
export const lroiText = (f: { lroi: number | null }) =>
  f.lroi === null ? t('growth.channels.noCost') : ratioText(f.lroi);
/** A median number of days, or `—`. */
export const medianText = (days: number | null | undefined) =>
  days === null || days === undefined ? t('growth.none') : t('growth.days', { n: days });

/** Today in Shanghai, `YYYY-MM-DD`. */
export const today = (): string => dayOf(new Date());

/** The Monday `weeks` weeks before this week's, `YYYY-MM-DD` (Shanghai weeks, Monday first). */
export const mondayWeeksBack = (weeks: number): string => dayOf(startOfDay(mondayOf(new Date()), -7 * weeks));

/** The month `back` months before the current Shanghai month, `YYYY-MM`. */
export function monthBack(back: number): string {
  const [y, m] = today().split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Whether `me` works for head office (no branch): only they recompute and import the bank's revenue. */
export const headOffice = (me: Me): boolean => (me.role === 'admin' || me.role === 'ops') && !me.branchScope;

type Channel = Ok<'/channels', 'get'>['items'][number];

/** Every channel in scope, archived ones too (old periods still name them); `null` until loaded. */
export function useChannels(): Channel[] | null {
  const [channels, setChannels] = useState<Channel[] | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all([
      api<Ok<'/channels', 'get'>>('/channels?limit=200'),
      api<Ok<'/channels', 'get'>>('/channels?limit=200&archived=true'),
    ]).then(
      // Deduplicated by id, whichever way the list treats `archived`.
      ([open, archived]) =>
        live && setChannels([...new Map([...open.items, ...archived.items].map((c) => [c.id, c])).values()]),
      // Without names the page still shows the channels' ids.
      () => live && setChannels([]),
    );
    return () => {
      live = false;
    };
  }, []);
  return channels;
}

/** A channel's name for display: its name when known, 未知渠道 for unattributed clients, else its id. */
export function channelName(channels: Channel[] | null, id: string): string {
  if (id === 'unknown') return t('growth.unknownChannel');
  return channels?.find((c) => c.id === id)?.name ?? id;
}
