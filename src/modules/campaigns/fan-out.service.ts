import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import type { GroupRobot } from '../../wecom/client/group-robot.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { EntryBody } from '../calendar/calendar.schemas.ts';
import type { AudienceGroupsRepository } from '../communities/audience-groups.repository.ts';
import type { AudienceRepository } from '../contacts/audience.repository.ts';
import type { Component } from '../content/content.schemas.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';
import type { TouchesRepository } from '../engagement/touches.repository.ts';
import type { CampaignsRepository } from './campaigns.repository.ts';
import type { SendKind } from './campaigns.tables.ts';
import { createRecipientDecisions, type DecisionSettings } from './recipient-decisions.ts';
import { GREETING_KINDS, sendTask } from './send-task.ts';

/** The rules and limits the fan-out applies (configuration). */
export type FanOutSettings = DecisionSettings & {
  /** How many WeCom calls one occurrence makes at once. */
  concurrency: number;
  /** The job lock's duration: a task `sending` for longer was abandoned by a worker that died. */
  staleSendingMs: number;
  /** Where an RM's task list opens. */
  taskListUrl: string;
};

/** What one occurrence's fan-out did. */
export type FanOutResult =
  | { status: 'done'; recipients: number; skipped: number; tasks: number }
  | { status: 'skipped'; reason: string };

// WeCom's limits per task: 10,000 clients for a 1:1 mass message; group, Moments and app batches are ours.
const BATCH: Record<SendKind, number> = { single: 10_000, group: 2_000, moment: 1_000, app: 1_000, robot: 1 };
/** Whether a component addresses each client by name (then every client gets a task of their own). */
const personal = (c: Component) => Object.keys(c.variables).some((v) => v.startsWith('client.'));

/** Runs one occurrence: resolves its audience, records every recipient's fate and creates its send tasks. */
export type FanOut = ReturnType<typeof createFanOut>;

/**
 * Creates the fan-out. Idempotent per (occurrence, recipient): decisions (recipient-decisions.ts) are
 * inserted once, tasks are planned in one transaction and each is claimed (`sending`) before its WeCom
 * call, so a worker killed at any point resumes without adding anyone twice or creating a task twice.
 */
export function createFanOut(deps: {
  db: Db;
  repo: CampaignsRepository;
  audience: Pick<AudienceRepository, 'clientsPage' | 'rms'>;
  groups: AudienceGroupsRepository;
  segmentFilter: (h: Db | Tx, id: string) => Promise<Record<string, unknown> | undefined>;
  content: Pick<ContentRenderService, 'approved' | 'renderApproved'>;
  contact: Pick<WecomClient, 'addMsgTemplate' | 'getGroupMsgList' | 'addMomentTask'>;
  app: Pick<WecomClient, 'sendAppMessage'>;
  robot: (key: string) => Pick<GroupRobot, 'send'>;
  touches: Pick<TouchesRepository, 'insert'>;
  settings: FanOutSettings;
  clock: Clock;
  log: Log;
}) {
  const { db, repo, settings, clock } = deps;

  const { decide, greetingTouches } = createRecipientDecisions(deps);

  return {
    /**
     * What an occurrence would do now, without recording anything: how many recipients, how many would be
     * skipped and why, and the text each (persona, variant) pair would get.
     */
    async preview(body: EntryBody) {
      const { component } = await deps.content.approved(body.componentId);
      const skipped: Record<string, number> = {};
      const pairs = new Map<string, { rm: string | null; persona: string | null; variantId: string }>();
      let eligible = 0;
      const targeted = await decide(db, -1, body, component, async (rows, page) => {
        const persona = new Map(page?.map((c) => [c.externalUserid, c.rmPersona]) ?? []);
        for (const r of rows) {
          if (r.status === 'skipped') {
            skipped[r.reason ?? 'unknown'] = (skipped[r.reason ?? 'unknown'] ?? 0) + 1;
            continue;
          }
          eligible++;
          const p = persona.get(r.recipient) ?? null;
          const key = `${p}|${r.variantId}`;
          if (!pairs.has(key) && pairs.size < 24)
            pairs.set(key, { rm: r.rm, persona: p, variantId: r.variantId ?? '' });
        }
      });
      if (typeof targeted !== 'number')
        return { targeted: 0, eligible: 0, skipped, samples: [], problem: targeted.empty };
      const samples = [];
      for (const p of pairs.values()) {
        const rm = p.rm ? (await deps.audience.rms(db, [p.rm]))[0] : undefined;
        const rendered = await deps.content
          .renderApproved(component.id, {
            channel: 'text',
            client: { externalUserid: 'preview', name: '客户' },
            ...(rm ? { rm: { name: rm.name, userid: rm.userid } } : {}),
            personaId: p.persona,
            variantId: p.variantId,
            ...(body.context ? { context: body.context } : {}),
          })
          .then((r) => ({ text: r.payload.text ?? '' }))
          .catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
        samples.push({ persona: p.persona, variantId: p.variantId, ...rendered });
      }
      return { targeted, eligible, skipped, samples };
    },

    /**
     * Runs the occurrence: content check, audience, decisions, task plan, then every task handed to WeCom.
     * A retryable WeCom error (45009, busy, unreachable) propagates so the job retries; nothing is lost.
     */
    async execute(occurrence: { id: number; entryId: string }, body: EntryBody): Promise<FanOutResult> {
      let component: Component;
      try {
        ({ component } = await deps.content.approved(body.componentId));
      } catch (err) {
        if (err instanceof AppError && err.code === 'conflict')
          return { status: 'skipped', reason: err.message };
        throw err;
      }
      // Decisions of concurrent occurrences are taken one at a time, under a lock held until they commit:
      // each occurrence's caps then count the deliveries the one before it recorded, so two briefs firing
      // at the same minute never both task a client WeCom would let receive only one.
      let skipped = 0;
      const targeted = await db.transaction(async (tx) => {
        await repo.lockDecisions(tx);
        return decide(tx, occurrence.id, body, component, async (rows, page) => {
          skipped += rows.filter((r) => r.status === 'skipped').length;
          await repo.insertDeliveries(tx, occurrence.id, rows, clock.now());
          if (page && GREETING_KINDS.has(component.kind))
            await greetingTouches(tx, occurrence.id, body, component, page, rows);
        });
      });
      if (typeof targeted !== 'number') return { status: 'skipped', reason: targeted.empty };
      if (targeted === 0) return { status: 'skipped', reason: 'the audience is empty' };
      const batch = body.channel === 'single' && personal(component) ? 1 : BATCH[body.channel];
      await repo.planTasks(db, occurrence.id, batch, clock.now());
      const tasks = await repo.unsentTasks(db, occurrence.id);
      const send = sendTask({
        ...deps,
        body,
        component,
        staleSendingMs: settings.staleSendingMs,
        taskListUrl: settings.taskListUrl,
      });
      // The first task proves the content sendable (market data fresh, variables present) before the rest.
      const [first, ...rest] = tasks;
      if (first) {
        const problem = await send(first);
        if (problem) {
          await db.transaction((tx) => repo.cancelOccurrence(tx, occurrence.id, problem, clock.now()));
          return { status: 'skipped', reason: problem };
        }
      }
      await pool(rest, settings.concurrency, async (task) => {
        // The content became unsendable mid-way (the market feed went stale, say): the job is retried, and
        // the retry either sends the rest or stops the occurrence with the reason, as for the first task.
        const problem = await send(task);
        if (problem)
          throw new AppError('conflict', {
            message: problem,
            zh: '内容暂时不能发送（例如行情数据已过时），稍后将重试。',
            retryable: true,
          });
      });
      const all = await repo.tasksOf(db, occurrence.id);
      return { status: 'done', recipients: targeted, skipped, tasks: all.length };
    },
  };
}

/** Runs `work` over `items`, at most `n` at a time; the first failure rejects after the others settle. */
async function pool<T>(items: readonly T[], n: number, work: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++] as T;
      await work(item).catch((err: unknown) => {
        failure ??= err;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, lane));
  if (failure !== undefined) throw failure;
}
