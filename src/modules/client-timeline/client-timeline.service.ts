import type { Db } from '../../platform/db/client.ts';
import type { CalendarRepository } from '../calendar/calendar.repository.ts';
import type { CampaignsRepository } from '../campaigns/campaigns.repository.ts';
import type { ConversationsRepository } from '../conversations/conversations.repository.ts';
import type { TouchesRepository } from '../engagement/touches.repository.ts';

// A client's timeline is read from three modules' tables: touches (engagement), deliveries (campaigns,
// named after their calendar entry) and hand-offs (conversations). Each keeps its SQL in its own
// repository; this module sits above all of them and contacts, and only the composition root imports it.
// Contacts cannot hold it: campaigns and conversations import contacts, so contacts importing them would
// run imports upward.

/** What happened: an RM's touch, a calendar delivery, or a hand-off from the bot to a person. */
export type TimelineKind = 'touch' | 'delivery' | 'handoff';

/** The order of kinds at the same instant, oldest first: part of the timeline's sort key. */
const KIND_ORDER: readonly TimelineKind[] = ['touch', 'delivery', 'handoff'];

/**
 * A position in a client's timeline: an entry's instant (UTC, microseconds, so no two positions
 * collapse), kind and id within its kind. The next page starts strictly after it.
 */
export type TimelinePosition = { at: string; kind: TimelineKind; id: string };

/**
 * One event in a client's timeline: titles and statuses only, never a message the client or the RM wrote.
 * `detail` is a code (a touch's kind, a delivery's skip or failure reason, a hand-off's SLA outcome).
 */
export type TimelineEntry = {
  position: TimelinePosition;
  kind: TimelineKind;
  title: string;
  status: string | null;
  detail: string | null;
  rm: string | null;
};

// Larger than any bigserial id: with it, a bound admits every row at the bound's instant.
const MAX_ID = '9223372036854775807';

/** Compares two bigint ids held as text. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Orders positions newest first: by instant, then kind, then id, each descending. */
export function newestFirst(a: TimelinePosition, b: TimelinePosition): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  const kinds = KIND_ORDER.indexOf(b.kind) - KIND_ORDER.indexOf(a.kind);
  return kinds !== 0 ? kinds : compareIds(b.id, a.id);
}

/**
 * The bound one kind's rows must lie strictly before, in that kind's (at, id) order, to come after
 * `after` in the timeline: at the same instant, a kind ordered before `after`'s comes after it (all of its
 * rows at that instant), one ordered after it does not (none), and the same kind continues by id.
 */
export function boundFor(kind: TimelineKind, after: TimelinePosition): { at: string; id: string } {
  const diff = KIND_ORDER.indexOf(kind) - KIND_ORDER.indexOf(after.kind);
  return { at: after.at, id: diff === 0 ? after.id : diff < 0 ? MAX_ID : '0' };
}

/** A client's timeline: touches, deliveries and hand-offs, newest first. */
export type ClientTimelineService = ReturnType<typeof createClientTimelineService>;

/** Creates the client timeline service over the owning modules' repositories. */
export function createClientTimelineService(deps: {
  touches: Pick<TouchesRepository, 'forClient'>;
  deliveries: Pick<CampaignsRepository, 'forClient'>;
  handoffs: Pick<ConversationsRepository, 'forClient'>;
  calendar: Pick<CalendarRepository, 'occurrenceLabels'>;
}) {
  return {
    /**
     * Up to `limit` entries of the client's timeline after `after` (from the newest when unset). Each
     * source is read up to `limit` rows past the same position, so their merge holds the true first
     * `limit`. The caller has checked that the client is within scope.
     */
    async page(
      db: Db,
      externalUserid: string,
      q: { after?: TimelinePosition; limit: number },
    ): Promise<TimelineEntry[]> {
      const bound = (kind: TimelineKind) => (q.after ? boundFor(kind, q.after) : undefined);
      const [touches, deliveries, handoffs] = await Promise.all([
        deps.touches.forClient(db, externalUserid, bound('touch'), q.limit),
        deps.deliveries.forClient(db, externalUserid, bound('delivery'), q.limit),
        deps.handoffs.forClient(db, externalUserid, bound('handoff'), q.limit),
      ]);
      const entries: TimelineEntry[] = [
        ...touches.map((t) => ({
          position: { at: t.at, kind: 'touch' as const, id: t.id },
          kind: 'touch' as const,
          title: t.title,
          status: t.status,
          detail: t.kind,
          rm: t.rm,
        })),
        ...handoffs.map((h) => ({
          position: { at: h.at, kind: 'handoff' as const, id: h.id },
          kind: 'handoff' as const,
          title: h.chatId,
          status: h.ownerState,
          detail: h.slaKept === null ? null : h.slaKept ? 'sla_kept' : 'sla_missed',
          rm: h.rm,
        })),
      ];
      // Deliveries are named after their calendar entry: one lookup for the page's occurrences.
      const labels = await deps.calendar.occurrenceLabels(
        db,
        deliveries.map((d) => Number(d.id)),
      );
      const names = new Map(labels.map((l) => [String(l.id), l.body?.name ?? l.entryId]));
      for (const d of deliveries) {
        entries.push({
          position: { at: d.at, kind: 'delivery', id: d.id },
          kind: 'delivery',
          title: names.get(d.id) ?? d.id,
          status: d.status,
          detail: d.reason,
          rm: d.rm,
        });
      }
      return entries.sort((a, b) => newestFirst(a.position, b.position)).slice(0, q.limit);
    },
  };
}
