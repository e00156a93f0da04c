import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ComplianceChecker } from '../compliance/compliance.service.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';
import type { CalendarRepository, EntryRow, OccurrenceRow } from './calendar.repository.ts';
import { type EntryBody, type EntryBodyInput, entryBodySchema } from './calendar.schemas.ts';
import type { EntryStatus } from './calendar.tables.ts';
import { expandOccurrences, type WorkdayCalendar } from './occurrences.ts';
import { resolveRobotKeys } from './robot-keys.ts';

/** Who made a change, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** One occurrence in a listed range: recorded (with its status) or still to come. */
export type ListedOccurrence = {
  entryId: string;
  name: string;
  channel: EntryBody['channel'];
  at: Date;
  status: OccurrenceRow['status'] | 'scheduled' | 'will_skip';
  reason: string | null;
  occurrenceId: number | null;
};

const MAX_RANGE_MS = 92 * 86_400_000;

/** The content calendar: entries ops create, edit, pause and end, and their occurrences. */
export type CalendarService = ReturnType<typeof createCalendarService>;

/**
 * Creates the calendar service. Every change is a new version with an optimistic lock and an audit entry
 * in the same transaction; content must have an approved version inside its validity window to be planned.
 */
export function createCalendarService(deps: {
  db: Db;
  repo: CalendarRepository;
  audit: Pick<AuditRepository, 'append'>;
  content: Pick<ContentRenderService, 'approved'>;
  check: Pick<ComplianceChecker, 'check'>;
  days: WorkdayCalendar;
  timeZone: string;
  clock: Clock;
}) {
  const { db, repo } = deps;

  /** Refuses content that could never be sent, and segments that do not exist (400, saying which). */
  async function checkPlannable(body: EntryBody) {
    try {
      await deps.content.approved(body.componentId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict')
        throw new AppError('bad_request', {
          message: `componentId: ${err.message}`,
          zh: `componentId: ${err.zh ?? '该内容当前不能发送。'}`,
        });
      throw err;
    }
    // Context values are filled into approved text: they pass the same compliance rules as the text did.
    const values = Object.values(body.context ?? {}).filter((v): v is string => typeof v === 'string');
    if (values.length > 0) {
      const verdict = deps.check.check(values.join('\n'));
      if (!verdict.ok)
        throw new AppError('bad_request', {
          zh: 'context: 填入的内容未通过合规检查，请按提示修改。',
          message: `context: ${verdict.findings
            .filter((f) => f.severity === 'block')
            .map((f) => `${f.rule} at "${values.join('\n').slice(f.span[0], f.span[1])}": ${f.suggestion}`)
            .join('; ')}`,
        });
    }
    if (body.audience.segment && !(await repo.findSegment(db, body.audience.segment)))
      throw new AppError('bad_request', {
        message: `audience.segment: no segment ${body.audience.segment}`,
        zh: `audience.segment: 没有客群 ${body.audience.segment}。`,
      });
  }

  const versionSpans = (entryIds?: string[]) => repo.versionSpans(db, entryIds);

  /** Applies a change under the optimistic lock and audits it; 404, 409 on a stale version or an ended entry. */
  async function change(
    id: string,
    expectedVersion: number,
    next: (row: EntryRow) => { body: EntryBody; status: EntryStatus },
    action: string,
    actor: Actor,
  ): Promise<EntryRow> {
    return db.transaction(async (tx) => {
      const row = await repo.findEntry(tx, id, { forUpdate: true });
      if (!row)
        throw new AppError('not_found', { message: `no calendar entry ${id}`, zh: `没有日历条目 ${id}。` });
      if (row.version !== expectedVersion)
        throw new AppError('conflict', {
          message: `entry ${id} is at version ${row.version}, not ${expectedVersion}: reload and try again`,
          zh: `日历条目 ${id} 当前是第 ${row.version} 版，不是第 ${expectedVersion} 版：请刷新后重试。`,
        });
      if (row.status === 'ended')
        throw new AppError('conflict', { message: `entry ${id} has ended`, zh: `日历条目 ${id} 已结束。` });
      const { body, status } = next(row);
      const updated = await repo.updateEntry(tx, id, expectedVersion, {
        body,
        status,
        by: actor.name,
        at: deps.clock.now(),
      });
      if (!updated)
        throw new AppError('conflict', {
          message: `entry ${id} changed meanwhile: reload and try again`,
          zh: `日历条目 ${id} 刚被他人更改：请刷新后重试。`,
        });
      await deps.audit.append(tx, {
        actor: actor.name,
        action,
        targetType: 'calendar_entry',
        targetId: id,
        details: { version: updated.version, status },
        requestId: actor.requestId,
      });
      return updated;
    });
  }

  return {
    versionSpans,

    get: async (id: string) => {
      const row = await repo.findEntry(db, id);
      if (!row)
        throw new AppError('not_found', { message: `no calendar entry ${id}`, zh: `没有日历条目 ${id}。` });
      return row;
    },

    list: () => repo.listEntries(db),

    /** Creates an entry (409 when the id is taken). */
    async create(id: string, input: EntryBodyInput, actor: Actor): Promise<EntryRow> {
      const body = entryBodySchema.parse(input);
      await checkPlannable(body);
      return db.transaction(async (tx) => {
        if (!(await repo.insertEntry(tx, { id, body, createdBy: actor.name, at: deps.clock.now() })))
          throw new AppError('conflict', {
            message: `calendar entry ${id} exists already`,
            zh: `日历条目 ${id} 已存在。`,
          });
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'calendar.entry.create',
          targetType: 'calendar_entry',
          targetId: id,
          details: { componentId: body.componentId, channel: body.channel },
          requestId: actor.requestId,
        });
        return (await repo.findEntry(tx, id))!;
      });
    },

    /** Replaces an entry's definition from now on; occurrences already recorded keep their version. */
    async edit(id: string, expectedVersion: number, input: EntryBodyInput, actor: Actor) {
      const parsed = entryBodySchema.parse(input);
      await checkPlannable(parsed);
      return change(
        id,
        expectedVersion,
        (row) => {
          const robotKeys = resolveRobotKeys(parsed.robotKeys, row.body.robotKeys);
          return { body: { ...parsed, ...(robotKeys ? { robotKeys } : {}) }, status: row.status };
        },
        'calendar.entry.edit',
        actor,
      );
    },

    /** Pauses, resumes or ends an entry, from now on. */
    async setStatus(id: string, expectedVersion: number, status: EntryStatus, actor: Actor) {
      return change(
        id,
        expectedVersion,
        (row) => {
          if (status === 'active' && row.status === 'active')
            throw new AppError('conflict', {
              message: `entry ${id} is active already`,
              zh: `日历条目 ${id} 已处于启用状态。`,
            });
          if (status === 'paused' && row.status !== 'active')
            throw new AppError('conflict', {
              message: `entry ${id} is ${row.status}, not active`,
              zh: `日历条目 ${id} 未处于启用状态，无法暂停。`,
            });
          return { body: row.body, status };
        },
        `calendar.entry.${status === 'active' ? 'resume' : status === 'paused' ? 'pause' : 'end'}`,
        actor,
      );
    },

    /**
     * The occurrences in [from, to): those recorded, with their status, and those still to come as each
     * entry's versions expand (holidays its rule skips shown as `will_skip`). At most 92 days.
     */
    async occurrences(from: Date, to: Date, entryId?: string): Promise<ListedOccurrence[]> {
      if (!(from < to))
        throw new AppError('bad_request', {
          message: 'from must be before to',
          zh: '开始时间（from）必须早于结束时间（to）。',
        });
      if (to.getTime() - from.getTime() > MAX_RANGE_MS)
        throw new AppError('bad_request', {
          message: 'a range may span at most 92 days',
          zh: '查询的时间范围最长为 92 天。',
        });
      const entries = new Map((await repo.listEntries(db)).map((e) => [e.id, e]));
      const spans = await versionSpans(entryId ? [entryId] : undefined);
      const recorded = await repo.occurrencesIn(db, from, to, entryId);
      const key = (id: string, at: Date) => `${id}@${at.getTime()}`;
      const out = new Map<string, ListedOccurrence>();
      for (const [id, versions] of spans) {
        const e = entries.get(id);
        if (!e) continue;
        for (const o of expandOccurrences(id, versions, from, to, {
          defaultTimeZone: deps.timeZone,
          days: deps.days,
        })) {
          const v = versions.find((x) => x.version === o.version)!;
          out.set(key(id, o.at), {
            entryId: id,
            name: v.body.name,
            channel: v.body.channel,
            at: o.at,
            status: o.skipReason ? 'will_skip' : 'scheduled',
            reason: o.skipReason ?? null,
            occurrenceId: null,
          });
        }
      }
      for (const r of recorded) {
        const e = entries.get(r.entryId);
        const at = new Date(r.scheduledAt);
        const v = spans.get(r.entryId)?.find((x) => x.version === r.entryVersion);
        out.set(key(r.entryId, at), {
          entryId: r.entryId,
          name: v?.body.name ?? e?.body.name ?? r.entryId,
          channel: v?.body.channel ?? e?.body.channel ?? 'single',
          at,
          status: r.status,
          reason: r.reason,
          occurrenceId: r.id,
        });
      }
      return [...out.values()].sort(
        (a, b) => a.at.getTime() - b.at.getTime() || a.entryId.localeCompare(b.entryId),
      );
    },

    /**
     * Records the library's seed entries that are not in the calendar yet; an entry ops already have (and
     * may have edited) is left alone. A seed whose content cannot be planned is reported, not recorded.
     */
    async seed(entries: readonly { id: string; body: EntryBody }[], actor: Actor) {
      const refused: { id: string; reason: string }[] = [];
      let added = 0;
      for (const e of entries) {
        if (await repo.findEntry(db, e.id)) continue;
        try {
          await checkPlannable(e.body);
        } catch (err) {
          refused.push({ id: e.id, reason: err instanceof Error ? err.message : String(err) });
          continue;
        }
        await db.transaction(async (tx) => {
          if (
            !(await repo.insertEntry(tx, {
              id: e.id,
              body: e.body,
              createdBy: actor.name,
              at: deps.clock.now(),
            }))
          )
            return;
          added++;
          await deps.audit.append(tx, {
            actor: actor.name,
            action: 'calendar.entry.seed',
            targetType: 'calendar_entry',
            targetId: e.id,
            details: { componentId: e.body.componentId },
            requestId: actor.requestId,
          });
        });
      }
      return { added, refused };
    },

    /** Saves a named audience filter (409 when the id is taken). */
    async createSegment(s: { id: string; name: string; filter: Record<string, unknown> }, actor: Actor) {
      await db.transaction(async (tx) => {
        if (!(await repo.insertSegment(tx, { ...s, createdBy: actor.name })))
          throw new AppError('conflict', {
            message: `segment ${s.id} exists already`,
            zh: `客群 ${s.id} 已存在。`,
          });
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'calendar.segment.create',
          targetType: 'audience_segment',
          targetId: s.id,
          details: { filter: s.filter },
          requestId: actor.requestId,
        });
      });
    },

    listSegments: () => repo.listSegments(db),
  };
}
