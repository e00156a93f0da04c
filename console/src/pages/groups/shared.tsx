import type { Schema } from '../../api.ts';
import { type MessageKey, messages, t } from '../../messages.ts';
import type { Policy } from '../clients/shared.tsx';

/** A group as `GET /api/v1/groups` and `POST /api/v1/groups/:chatId/archive` answer. */
export type Group = Schema<'Group'>;

/** What a group key serves in the policy: a tier, an interest group or an invitation-only circle. */
export type KeyKind = 'tier' | 'interest' | 'circle';

/** The keys of the policy by kind, in the policy's order (tiers lowest first). */
export function policyKeys(policy: Policy): { kind: KeyKind; id: string; name: string }[] {
  return [
    ...policy.tiers.map((x) => ({ kind: 'tier' as const, id: x.id, name: x.name })),
    ...policy.interestGroups.map((x) => ({ kind: 'interest' as const, id: x.id, name: x.name })),
    ...policy.circles.map((x) => ({ kind: 'circle' as const, id: x.id, name: x.name })),
  ];
}

const KINDS: KeyKind[] = ['tier', 'interest', 'circle'];

/** The policy's keys as `<option>`s, under one `<optgroup>` per kind. */
export function KeyOptions({ policy }: { policy: Policy | null }) {
  const keys = policy ? policyKeys(policy) : [];
  return KINDS.filter((kind) => keys.some((k) => k.kind === kind)).map((kind) => (
    <optgroup key={kind} label={t(`groups.kind.${kind}`)}>
      {keys
        .filter((k) => k.kind === kind)
        .map((k) => (
          <option key={k.id} value={k.id}>
            {k.name}
          </option>
        ))}
    </optgroup>
  ));
}

/** A group's key in words, `层级：初级`; the raw key when the policy (or its answer) lacks it. */
export function keyText(policy: Policy | null, key: string | null): string {
  if (!key) return t('groups.noKey');
  const found = policy ? policyKeys(policy).find((k) => k.id === key) : undefined;
  return found
    ? t('groups.keyOf', { kind: t(`groups.kind.${found.kind}`), name: found.name })
    : t('groups.keyOf', { kind: t('groups.kind.unknown'), name: key });
}

/** A group status in words (the raw value for one the catalogue does not know). */
export function groupStatusText(status: string): string {
  const key = `groups.status.${status}`;
  return key in messages ? t(key as MessageKey) : status;
}
