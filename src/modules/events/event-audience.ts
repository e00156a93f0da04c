import { linkToken, linkTokenMatches } from '../../platform/auth/link-token.ts';
import type { Audience } from '../calendar/calendar.schemas.ts';
import type { EventAudience } from './events.tables.ts';

/** A client as an audience is matched against. */
export type AudienceFacts = { tier: string | null; tags: readonly string[]; inGroups: boolean };

/**
 * Whether a client belongs to an event's audience: every filter set must match (AND), each list any of
 * its values. `inGroups` says whether they are a member of one of the groupKeys' groups.
 */
export function inAudience(a: EventAudience, externalUserid: string, c: AudienceFacts): boolean {
  if (a.clientIds && !a.clientIds.includes(externalUserid)) return false;
  if (a.tiers && !(c.tier && a.tiers.includes(c.tier))) return false;
  if (a.tags && !a.tags.some((t) => c.tags.includes(t))) return false;
  if (a.groupKeys && !c.inGroups) return false;
  return true;
}

/**
 * The calendar audience for an event's invitation (every filter of the event's, ANDed as sign-ups check
 * them), or undefined when the event names no audience at all.
 */
export function calendarAudience(a: EventAudience, groupChatIds: readonly string[]): Audience | undefined {
  const out: Audience = {};
  if (a.tiers) out.tiers = a.tiers;
  if (a.tags) out.tags = a.tags;
  if (a.groupKeys) out.groups = [...groupChatIds];
  if (a.clientIds) out.clients = [...a.clientIds];
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A client's sign-up link token: an HMAC of the event and the client under the event's own secret, so a
 * link cannot be altered to sign up someone else or for another event, and one event's links die with it.
 */
export function signupToken(secret: string, eventId: number, externalUserid: string): string {
  return linkToken(secret, `${eventId}:${externalUserid}`, 32);
}

/** Whether `token` is the client's link token for the event (constant-time). */
export function signupTokenValid(
  secret: string,
  eventId: number,
  externalUserid: string,
  token: string,
): boolean {
  return linkTokenMatches(secret, `${eventId}:${externalUserid}`, token, 32);
}

/**
 * What a client's message to the bot asks about events: 报名/参加 (with an optional number) signs up,
 * 取消报名 (with an optional number) cancels. A bare number is not an event command: it is the FAQ bot's
 * clarification choice ("2"), so the list the bot offers asks for "报名 12". Anything else is not an event
 * command.
 */
export function parseEventCommand(
  text: string,
): { action: 'sign_up' | 'cancel'; eventId: number | undefined } | undefined {
  // Group messages arrive with the bot's @-mention in front; the command is what follows it.
  const t = text
    .replace(/@\S+/g, ' ')
    .trim()
    .replace(/[\s，。！!]+$/u, '');
  const m = /^(取消报名|取消参加|报名|参加)\s*(?:第?\s*(\d{1,9})\s*号?)?$/u.exec(t);
  if (!m) return undefined;
  const eventId = m[2] ? Number(m[2]) : undefined;
  return { action: m[1]!.startsWith('取消') ? 'cancel' : 'sign_up', eventId };
}
