import type { Schema } from '../../api.ts';
import { type MessageKey, messages, t } from '../../messages.ts';
import { TIME_ZONE } from '../../time.ts';

/** A client as `GET /api/v1/clients` and `GET /api/v1/clients/:id` answer. */
export type Client = Schema<'Client'>;

type Named = { id: string; name: string; groupCapacity: number };

/** The tier policy as `GET /api/v1/tiers/policy` answers. */
export type Policy = {
  aumBands: { id: string; name: string; minCny: number; maxCny?: number }[];
  tiers: (Named & { minAumBand?: string; minEngagement?: number })[];
  downgradeGraceDays: number;
  groupReserve: number;
  interestGroups: (Named & { tags: string[] })[];
  circles: Named[];
};

/**
 * A name as lists show it: the surname (first character) and one `*` for each other character, at least
 * one, so a list never shows anyone's full name (a three-character name becomes its surname and `**`).
 */
export function maskName(name: string | null): string {
  const chars = Array.from((name ?? '').trim());
  if (chars.length === 0) return t('clients.noName');
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/** The display name of a tier, band or group key from the policy; the key itself when the policy lacks it. */
export function policyName(policy: Policy | null, id: string | null): string {
  if (!id) return t('clients.none');
  const all = [
    ...(policy?.tiers ?? []),
    ...(policy?.aumBands ?? []),
    ...(policy?.interestGroups ?? []),
    ...(policy?.circles ?? []),
  ];
  return all.find((x) => x.id === id)?.name ?? id;
}

/** A client status in words (the raw value for one the catalogue does not know). */
export function statusText(status: string): string {
  const key = `clients.status.${status}`;
  return key in messages ? t(key as MessageKey) : status;
}

/** `YYYY-MM-DD HH:MM` in Shanghai, or a dash. */
export function when(at: string | null): string {
  if (!at) return t('clients.none');
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(at));
}
