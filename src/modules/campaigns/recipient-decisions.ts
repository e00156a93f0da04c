import { dateInZone } from '../../platform/calendar/dates.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import { robotKeyId } from '../../wecom/client/group-robot.ts';
import type { EntryBody } from '../calendar/calendar.schemas.ts';
import type { AudienceGroupsRepository } from '../communities/audience-groups.repository.ts';
import type { AudienceClient, AudienceRepository, ClientFilter } from '../contacts/audience.repository.ts';
import type { Component } from '../content/content.schemas.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';
import { chooseVariant } from '../content/render.ts';
import type { TouchesRepository, TouchInput } from '../engagement/touches.repository.ts';
import type { TouchKind } from '../engagement/touches.tables.ts';
import type { CampaignsRepository, DeliveryInput } from './campaigns.repository.ts';
import { type EligibilityRules, inQuietHours, skipFor } from './eligibility.ts';

/** The rules the decisions apply (configuration). */
export type DecisionSettings = {
  timeZone: string;
  dailyCap: number;
  weeklyCap: number;
  wecomCap: { count: number; days: number };
  quietHours: { start: string; end: string };
};

const PAGE = 5_000;

/** Where decisions go: inserted as deliveries when an occurrence runs, tallied when it is previewed. */
export type Sink = (rows: DeliveryInput[], page?: AudienceClient[]) => Promise<void>;

const minuteOfDay = (at: Date, timeZone: string) => {
  const [h, m] = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(at)
    .split(':')
    .map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether a component speaks as or to the RM (then an app message is rendered for each RM). */
const addressesRm = (c: Component) =>
  Object.keys(c.variables).some((v) => v.startsWith('rm.') || v.startsWith('persona.'));

/** Deciding an occurrence's recipients: who may receive it, who is skipped and why, and greeting touches. */
export type RecipientDecisions = ReturnType<typeof createRecipientDecisions>;

/**
 * Creates the decisions. Each resolves the audience through the owning modules' repositories (clients,
 * groups, RMs) and applies the eligibility rules page by page; the caller's sink records or tallies them.
 */
export function createRecipientDecisions(deps: {
  repo: Pick<CampaignsRepository, 'recentCounts'>;
  audience: Pick<AudienceRepository, 'clientsPage' | 'rms'>;
  groups: AudienceGroupsRepository;
  segmentFilter: (h: Db | Tx, id: string) => Promise<Record<string, unknown> | undefined>;
  content: Pick<ContentRenderService, 'renderApproved'>;
  touches: Pick<TouchesRepository, 'insert'>;
  settings: DecisionSettings;
  clock: Clock;
  log: Log;
}) {
  const { repo, settings, clock } = deps;

  /** The client filter an entry's audience (and its saved segment) stands for. */
  async function clientFilter(
    h: Db | Tx,
    body: EntryBody,
    at: Date,
  ): Promise<ClientFilter | { empty: string }> {
    const a = { ...body.audience };
    if (a.segment) {
      const seg = await deps.segmentFilter(h, a.segment);
      if (!seg) return { empty: `segment ${a.segment} does not exist` };
      Object.assign(a, { ...seg, ...a });
    }
    const f: ClientFilter = {};
    if (a.tiers) f.tiers = a.tiers as string[];
    if (a.tags) f.tags = a.tags as string[];
    if (a.rms) f.rms = a.rms as string[];
    if (a.birthdayToday) f.birthdayMonthDay = dateInZone(at, settings.timeZone).slice(5);
    if (a.groups) f.externalUserids = await deps.groups.memberClients(h, a.groups as string[]);
    if (a.clients) {
      // Named clients: with groups too, only the named ones who are members (filters combine with AND).
      const named = new Set(a.clients as string[]);
      f.externalUserids = f.externalUserids ? f.externalUserids.filter((u) => named.has(u)) : [...named];
    }
    return f;
  }

  /** The occurrence's eligibility rules, as of now (a late catch-up may fall into quiet hours). */
  function rules(body: EntryBody, component: Component): EligibilityRules {
    const now = clock.now();
    return {
      productRisk: component.productRiskLevel,
      dailyCap: settings.dailyCap,
      weeklyCap: settings.weeklyCap,
      wecomCap: settings.wecomCap.count,
      inQuietHours:
        body.channel === 'single' && inQuietHours(minuteOfDay(now, settings.timeZone), settings.quietHours),
      channel: body.channel,
    };
  }

  /** The bounds the caps count from: local midnight today, 7 days back, WeCom's cap window. */
  function capBounds() {
    const now = clock.now();
    const sinceMidnight = minuteOfDay(now, settings.timeZone) * 60_000 + (now.getTime() % 60_000);
    const day = new Date(now.getTime() - sinceMidnight);
    return {
      day,
      week: new Date(day.getTime() - 6 * 86_400_000),
      wecom: new Date(day.getTime() - (settings.wecomCap.days - 1) * 86_400_000),
    };
  }

  /** Decides each client (1:1, Moments and app channels address clients through their RM). */
  async function decideClients(
    h: Db | Tx,
    occurrenceId: number,
    body: EntryBody,
    component: Component,
    filter: ClientFilter,
    sink: Sink,
  ) {
    const r = rules(body, component);
    const bounds = capBounds();
    const rmsSeen = new Map<string, AudienceClient>();
    let after = '';
    let count = 0;
    for (;;) {
      const page = await deps.audience.clientsPage(h, filter, after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.externalUserid;
      count += page.length;
      if (body.channel !== 'single') {
        // Moments and app messages go to the RMs who hold these clients, once each.
        for (const c of page) if (c.ownerRm && !rmsSeen.has(c.ownerRm)) rmsSeen.set(c.ownerRm, c);
        await sink([], page);
        continue;
      }
      const recent = await repo.recentCounts(
        h,
        page.map((c) => c.externalUserid),
        occurrenceId,
        bounds,
      );
      const rows: DeliveryInput[] = page.map((c) => {
        const reason = skipFor(c, recent.get(c.externalUserid) ?? { today: 0, week: 0, wecomWindow: 0 }, r);
        return {
          recipient: c.externalUserid,
          kind: 'single',
          rm: c.ownerRm,
          variantId: reason ? null : variantFor(component, c),
          status: reason ? 'skipped' : 'pending',
          reason: reason ?? null,
        };
      });
      await sink(rows, page);
      if (page.length < PAGE) break;
    }
    if (body.channel === 'moment' || body.channel === 'app') {
      const rmIds = body.audience.rms?.length ? body.audience.rms : [...rmsSeen.keys()];
      await decideRms(h, body.channel, component, rmIds, sink);
      return rmIds.length;
    }
    return count;
  }

  /** The variant a client gets: their stable A/B choice among the variants for their RM's persona. */
  function variantFor(component: Component, c: AudienceClient): string {
    return chooseVariant(
      component,
      { externalUserid: c.externalUserid, tier: c.tier, tags: c.tags, riskLevel: c.riskLevel },
      c.rmPersona ?? undefined,
    ).id;
  }

  /**
   * Birthday and festival greetings go on each RM's task list as emotional touches due today. Sent as a
   * 1:1 mass message, the touch is done when the RM confirms the task. Sent on the app channel, Helix does
   * not message the client at all: the RM gets the greeting ready-written in their persona, sends it
   * personally, and marks it done (a personal greeting does not use up WeCom's one mass message a day).
   */
  async function greetingTouches(
    h: Db | Tx,
    occurrenceId: number,
    body: EntryBody,
    component: Component,
    page: AudienceClient[],
    rows: DeliveryInput[],
  ) {
    if (body.channel !== 'single' && body.channel !== 'app') return;
    const kind: TouchKind = component.kind === 'greeting-birthday' ? 'birthday' : 'festival';
    const due = dateInZone(clock.now(), settings.timeZone);
    const pending = new Set(rows.filter((r) => r.status === 'pending').map((r) => r.recipient));
    const eligible = page.filter((c) =>
      body.channel === 'single' ? c.ownerRm && pending.has(c.externalUserid) : c.ownerRm && !c.optedOut,
    );
    const touches: TouchInput[] = [];
    for (const c of eligible) {
      let text: string | null = null;
      if (body.channel === 'app') {
        text = await deps.content
          .renderApproved(
            component.id,
            {
              channel: 'text',
              client: { externalUserid: c.externalUserid, ...(c.name ? { name: c.name } : {}) },
              rm: { name: c.rmName ?? '', userid: c.ownerRm },
              personaId: c.rmPersona,
              ...(body.context ? { context: body.context } : {}),
            },
            h,
          )
          .then((r) => r.payload.text ?? null)
          .catch((err: unknown) => {
            deps.log.warn(
              { err, occurrence: occurrenceId },
              'a greeting could not be rendered for one client',
            );
            return null;
          });
        if (text === null) continue;
      }
      touches.push({
        rm: c.ownerRm as string,
        externalUserid: c.externalUserid,
        kind,
        emotional: true,
        status: 'due' as const,
        dueDate: due,
        title: `${component.title}：${c.name ?? '客户'}`,
        body: text,
        ref: `greet:${occurrenceId}:${c.externalUserid}`,
      });
    }
    await deps.touches.insert(h, touches, clock.now());
  }

  /** Decides RMs as recipients (Moments senders, app-message readers). */
  async function decideRms(
    h: Db | Tx,
    kind: 'moment' | 'app',
    component: Component,
    rmIds: readonly string[],
    sink: Sink,
  ) {
    const known = await deps.audience.rms(h, rmIds);
    const variant = component.variants[0]!.id;
    const rows: DeliveryInput[] = known.map((rm) => ({
      recipient: rm.userid,
      kind,
      // Moments are published by the RM themself. An app message that speaks as or to its reader (rm.*,
      // persona.*) is rendered per RM; any other is one call per batch of readers.
      rm: kind === 'moment' || addressesRm(component) ? rm.userid : '',
      variantId: variant,
      status: 'pending',
      reason: null,
    }));
    await sink(rows);
  }

  /** Decides each group's decision: the group owner sends it, and WeCom's per-group cap applies. */
  async function decideGroups(
    h: Db | Tx,
    occurrenceId: number,
    body: EntryBody,
    component: Component,
    sink: Sink,
  ) {
    const a = body.audience;
    const groups = await deps.groups.groups(h, {
      ...(a.groups ? { chatIds: a.groups } : {}),
      ...(a.tiers ? { groupKeys: a.tiers } : {}),
    });
    const chosen = a.rms ? groups.filter((g) => g.ownerRm && a.rms!.includes(g.ownerRm)) : groups;
    const r = rules(body, component);
    const recent = await repo.recentCounts(
      h,
      chosen.map((g) => g.chatId),
      occurrenceId,
      capBounds(),
    );
    const rows: DeliveryInput[] = chosen.map((g) => {
      const reason =
        skipFor(
          { optedOut: false, ownerRm: g.ownerRm, riskLevel: null },
          recent.get(g.chatId) ?? { today: 0, week: 0, wecomWindow: 0 },
          { ...r, productRisk: undefined },
        ) ?? (g.ownerRm ? undefined : 'no_owner_rm');
      return {
        recipient: g.chatId,
        kind: 'group',
        rm: g.ownerRm,
        variantId: reason
          ? null
          : variantFor(component, { externalUserid: g.chatId, tier: g.groupKey, tags: [] } as never),
        status: reason ? 'skipped' : 'pending',
        reason: reason ?? null,
      };
    });
    await sink(rows);
    return chosen.length;
  }

  /** Decides the robot posts: one recipient per webhook key (stored as a short hash, never the key). */
  async function decideRobots(body: EntryBody, component: Component, sink: Sink) {
    const rows: DeliveryInput[] = (body.robotKeys ?? []).map((k) => ({
      recipient: `robot:${robotKeyId(k)}`,
      kind: 'robot',
      rm: '',
      variantId: component.variants[0]!.id,
      status: 'pending',
      reason: null,
    }));
    await sink(rows);
    return rows.length;
  }

  /** Decides every recipient of the entry into `sink`; returns how many were targeted, or why none. */
  async function decide(h: Db | Tx, occurrenceId: number, body: EntryBody, component: Component, sink: Sink) {
    if (body.channel === 'group') return decideGroups(h, occurrenceId, body, component, sink);
    if (body.channel === 'robot') return decideRobots(body, component, sink);
    const filter = await clientFilter(h, body, clock.now());
    if ('empty' in filter) return filter;
    return decideClients(h, occurrenceId, body, component, filter, sink);
  }

  return { decide, greetingTouches };
}
