import type { Scope } from '../../platform/auth/scope.ts';
import { dateInZone } from '../../platform/calendar/dates.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { CalendarRepository } from '../calendar/calendar.repository.ts';
import type { CampaignsRepository } from '../campaigns/campaigns.repository.ts';
import type { CommunitiesRepository, ScopedGroup } from '../communities/communities.repository.ts';
import type { Finding } from '../compliance/compliance.service.ts';
import type { AudienceRepository } from '../contacts/audience.repository.ts';
import type { ClientsRepository, ClientView } from '../contacts/clients.repository.ts';
import type { ContentRepository } from '../content/content.repository.ts';
import { COMPONENT_KINDS, type Persona } from '../content/content.schemas.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';
import { audienceMatches } from '../content/render.ts';
import type { ConversationsService } from '../conversations/conversations.service.ts';
import type { TouchesRepository } from '../engagement/touches.repository.ts';

/** The chat the sidebar is open beside: a client's private chat, or a customer group. */
export type SidebarTarget = { externalUserid: string } | { chatId: string };

/** One piece of approved content, rendered for the chat the sidebar is open beside. */
export type SidebarContentItem = {
  componentId: string;
  name: string;
  version: number;
  personaId: string | null;
  text: string;
  sendable: boolean;
  findings: Finding[];
};

/** A client's risk assessment (C1 cautious … C5 aggressive). */
type ClientRiskLevel = 'C1' | 'C2' | 'C3' | 'C4' | 'C5';

/** At most this many content items are offered. */
export const SIDEBAR_CONTENT_MAX = 20;
/** Candidates read (newest approved first) to find them: some cannot render for a given chat. */
const CANDIDATES = 60;

/**
 * The kinds an RM sends by hand from the sidebar. Bot replies and hand-off cards are Helix's own words and
 * welcomes go out by themselves when a client adds an RM or joins a group, so none of those is offered.
 */
export const SIDEBAR_KINDS = COMPONENT_KINDS.filter(
  (k) => k !== 'bot-reply' && k !== 'handoff-card' && k !== 'welcome',
);

/** What the RM sidebar reads: one chat's context and the approved content to send in it. */
export type SidebarService = ReturnType<typeof createSidebarService>;

/**
 * Creates the sidebar's reads. Everything is within the asker's scope: a client or group outside it is
 * not found, exactly like one that does not exist. The asking RM's own tasks and persona come with it; an
 * admin or ops person asking sees none of those, and content is rendered as the chat's owner RM would send it.
 */
export function createSidebarService(deps: {
  db: Db;
  clients: Pick<ClientsRepository, 'find'>;
  groups: Pick<CommunitiesRepository, 'findGroupInScope'>;
  rms: Pick<AudienceRepository, 'rms'>;
  personas: ReadonlyMap<string, Pick<Persona, 'name'>>;
  /** The tier ids of the tier policy: a group whose key is one serves that tier. */
  tierIds: ReadonlySet<string>;
  campaigns: Pick<CampaignsRepository, 'openTasksReaching'>;
  calendar: Pick<CalendarRepository, 'occurrenceLabels'>;
  touches: Pick<TouchesRepository, 'dueForClient'>;
  conversations: Pick<ConversationsService, 'latestOpen'>;
  content: Pick<ContentRepository, 'newestApprovedOfKinds'>;
  rendering: Pick<ContentRenderService, 'preview'>;
  timeZone: string;
  clock: Clock;
}) {
  const { db } = deps;

  /** The client or group, or a 404 when it does not exist or is outside `scope`. */
  async function resolve(
    scope: Scope,
    target: SidebarTarget,
  ): Promise<{ client: ClientView; group?: undefined } | { client?: undefined; group: ScopedGroup }> {
    if ('externalUserid' in target) {
      const client = await deps.clients.find(db, scope, target.externalUserid);
      // The id stays out of the message: it may be an ID or phone number, and messages reach the log.
      if (!client)
        throw new AppError('not_found', {
          message: 'no such client in your scope',
          zh: '在您的权限范围内没有该客户。',
        });
      return { client };
    }
    const group = await deps.groups.findGroupInScope(db, scope, target.chatId);
    if (!group)
      throw new AppError('not_found', {
        message: 'no such group in your scope',
        zh: '在您的权限范围内没有该客户群。',
      });
    return { group };
  }

  /** The RM a rendering speaks as, with their persona when the library describes it. */
  async function rmOf(userid: string | null) {
    const [rm] = userid ? await deps.rms.rms(db, [userid]) : [];
    if (!rm) return undefined;
    const persona = rm.persona ? deps.personas.get(rm.persona) : undefined;
    return {
      userid: rm.userid,
      name: rm.name,
      persona: rm.persona && persona ? { id: rm.persona, name: persona.name } : null,
    };
  }

  const askingRm = (scope: Scope) => (scope.kind === 'rm' ? scope.rmUserid : null);
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

  return {
    /**
     * The chat's context: the client's profile or the group, the asking RM's persona and their unconfirmed
     * send tasks that reach it, the touches due for the client, and its newest open conversation.
     */
    async context(scope: Scope, target: SidebarTarget) {
      const { client, group } = await resolve(scope, target);
      const recipient = client ? client.externalUserid : group.chatId;
      const rm = askingRm(scope);
      const today = dateInZone(deps.clock.now(), deps.timeZone);
      const [me, tasks, touchesDue, lastHandoff] = await Promise.all([
        rmOf(rm),
        rm ? deps.campaigns.openTasksReaching(db, rm, recipient) : Promise.resolve([]),
        client ? deps.touches.dueForClient(db, scope, client.externalUserid, today) : Promise.resolve([]),
        deps.conversations.latestOpen(
          db,
          scope,
          client ? { clientUserid: client.externalUserid } : { chatId: group.chatId },
        ),
      ]);
      const labels = new Map(
        (await deps.calendar.occurrenceLabels(db, [...new Set(tasks.map((t) => t.occurrenceId))])).map(
          (l) => [l.id, l],
        ),
      );
      return {
        client: client
          ? {
              externalUserid: client.externalUserid,
              name: client.name,
              tier: client.tier,
              // The clients table's CHECK admits only these.
              riskLevel: client.riskLevel as ClientRiskLevel | null,
              tags: client.tags,
              channel: client.channelId,
              ownerRm: client.ownerRm,
              since: iso(client.acquiredAt),
            }
          : null,
        group: group
          ? {
              chatId: group.chatId,
              name: group.name,
              tier: group.groupKey && deps.tierIds.has(group.groupKey) ? group.groupKey : null,
              members: group.memberCount,
            }
          : null,
        persona: me?.persona ?? null,
        openTasks: tasks.map((t) => {
          const l = labels.get(t.occurrenceId);
          return {
            id: t.id,
            kind: t.kind,
            title: l?.body.name ?? null,
            scheduledAt: l ? iso(l.scheduledAt) : null,
          };
        }),
        touchesDue: touchesDue.map((t) => ({
          id: t.id,
          kind: t.kind,
          title: t.title,
          body: t.body,
          dueDate: t.dueDate,
        })),
        lastHandoff: lastHandoff ?? null,
      };
    },

    /**
     * Up to `SIDEBAR_CONTENT_MAX` components an RM may send here, most recently approved first: each one's
     * newest approved version rendered on the text channel for this client (name, tier, tags, risk level)
     * or group (tier) in the asking RM's persona, with the compliance findings on the result. A rendering
     * that holds (stale or sample market figures, outside its validity window, a blocking finding) is listed
     * as not sendable; a component that cannot render here at all (its audience excludes this chat, a value
     * only a campaign supplies, no text rendering, no market figures) is left out.
     */
    async content(scope: Scope, target: SidebarTarget): Promise<SidebarContentItem[]> {
      const { client, group } = await resolve(scope, target);
      const rm = await rmOf(askingRm(scope) ?? (client ? client.ownerRm : group.ownerRm));
      const who = client
        ? {
            externalUserid: client.externalUserid,
            ...(client.name ? { name: client.name } : {}),
            ...(client.tier ? { tier: client.tier } : {}),
            tags: client.tags,
            ...(client.riskLevel ? { riskLevel: client.riskLevel } : {}),
          }
        : {
            externalUserid: group.chatId,
            ...(group.groupKey && deps.tierIds.has(group.groupKey) ? { tier: group.groupKey } : {}),
          };
      const personaId = rm?.persona?.id;
      const candidates = await deps.content.newestApprovedOfKinds(db, {
        kinds: SIDEBAR_KINDS,
        limit: CANDIDATES,
      });
      const items: SidebarContentItem[] = [];
      for (const c of candidates) {
        if (items.length >= SIDEBAR_CONTENT_MAX) break;
        if (!audienceMatches(c.body.audience, who, personaId)) continue;
        let preview: Awaited<ReturnType<ContentRenderService['preview']>>;
        try {
          preview = await deps.rendering.preview(c.componentId, {
            version: c.version,
            channel: 'text',
            client: who,
            ...(rm ? { rm: { name: rm.name, userid: rm.userid } } : {}),
            ...(personaId ? { personaId } : {}),
          });
        } catch (err) {
          // preview answers a rendering that fails (a missing value, no variant, no text) as a bad request.
          if (err instanceof AppError && err.code === 'bad_request') continue;
          throw err;
        }
        const text = 'payload' in preview ? preview.payload.text : undefined;
        if (!('compliance' in preview) || text === undefined) continue;
        items.push({
          componentId: c.componentId,
          name: c.body.title,
          version: c.version,
          personaId: personaId ?? null,
          text,
          sendable: preview.sendable && preview.compliance.ok,
          findings: preview.compliance.findings,
        });
      }
      return items;
    },
  };
}
