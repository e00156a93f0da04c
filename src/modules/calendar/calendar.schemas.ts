import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
const userid = z.string().min(1).max(64);

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Why `expression` is not a cron expression Helix can expand, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6)
    return 'must have 5 fields (minute hour day month weekday) or 6 with seconds';
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** When an entry fires: once at an instant, or on a cron expression in a time zone. */
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: z.iso.datetime({ offset: true }) }).strict(),
  z
    .object({
      kind: z.literal('cron'),
      cron: z
        .string()
        .trim()
        .min(9)
        .max(120)
        .superRefine((v, ctx) => {
          const problem = cronProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: `not a valid cron expression: ${problem}` });
        }),
      /** IANA zone; unset, SCHEDULER_TIMEZONE. */
      timezone: z
        .string()
        .max(64)
        .refine(isTimeZone, 'not a time zone this server knows (use an IANA name such as Asia/Shanghai)')
        .optional(),
      /** The last local date it may fire on. */
      endDate: isoDate.optional(),
      /** How many occurrences in all, across the entry's versions, counting only active time. */
      count: z.number().int().min(1).max(10_000).optional(),
    })
    .strict(),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

/** Who receives an occurrence. Filters combine with AND; each list matches any of its values. */
export const audienceSchema = z
  .object({
    tiers: z.array(z.string().min(1).max(32)).min(1).max(20).optional(),
    groups: z.array(z.string().min(1).max(128)).min(1).max(2000).optional(),
    tags: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
    rms: z.array(userid).min(1).max(5000).optional(),
    /** Named clients (external_userid): an event's invitees, such as the tea party's top KOC candidates. */
    clients: z.array(z.string().min(1).max(64)).min(1).max(5000).optional(),
    /** Clients whose birthday (month and day) is the occurrence's local date. */
    birthdayToday: z.boolean().optional(),
    /** A saved segment's id; its filter is combined with the rest. */
    segment: slug.optional(),
  })
  .strict();
export type Audience = z.infer<typeof audienceSchema>;

/** How an occurrence reaches people. */
export const CHANNELS = ['single', 'group', 'moment', 'app', 'robot'] as const;
export type EntryChannel = (typeof CHANNELS)[number];

/** Which occurrences a holiday rule skips: none, public holidays, or every day that is not a workday. */
export const SKIP_RULES = ['none', 'holidays', 'non_workdays'] as const;

/** The fields of an entry's definition, before the rules that tie them together (`entryRules`). */
const entryFields = z
  .object({
    name: z.string().trim().min(1).max(64),
    componentId: slug,
    channel: z.enum(CHANNELS),
    audience: audienceSchema.default({}),
    schedule: scheduleSchema,
    skip: z.enum(SKIP_RULES).default('none'),
    /** Who answers for the entry (an ops userid or name). */
    owner: z.string().trim().min(1).max(64),
    /** Values for the component's context.* variables (the flash sale's item, the evening's topic). */
    context: z
      .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/), z.union([z.string().max(200), z.number()]))
      .refine((r) => Object.keys(r).length <= 20, 'at most 20 values')
      .optional(),
    /** Group-robot webhook keys, for the robot channel only. */
    robotKeys: z.array(z.string().min(8).max(128)).max(20).optional(),
  })
  .strict();

/** The rules across an entry's fields: robot keys for the robot channel only, an audience for the others. */
function entryRules(b: z.output<typeof entryFields>, ctx: z.RefinementCtx) {
  if (b.channel === 'robot' && !b.robotKeys?.length)
    ctx.addIssue({ code: 'custom', path: ['robotKeys'], message: 'the robot channel needs robotKeys' });
  if (b.channel !== 'robot' && b.robotKeys)
    ctx.addIssue({
      code: 'custom',
      path: ['robotKeys'],
      message: 'only the robot channel takes robotKeys',
    });
  const a = b.audience;
  const hasFilter =
    a.tiers ||
    a.groups ||
    a.tags ||
    a.rms ||
    a.clients ||
    a.birthdayToday === true ||
    a.segment !== undefined;
  if (b.channel !== 'robot' && !hasFilter)
    ctx.addIssue({
      code: 'custom',
      path: ['audience'],
      message: 'name an audience (tiers, groups, tags, rms, clients, birthdayToday or segment)',
    });
}

/** An entry's definition, as the API takes it and as every version stores it. */
export const entryBodySchema = entryFields.superRefine(entryRules);

/** The body of `POST /calendar/entries`: the new entry's id and its definition. */
export const createEntrySchema = entryFields.extend({ id: slug }).superRefine(entryRules);

/** The body of `PUT /calendar/entries/:id`: the version the edit was made from and the new definition. */
export const editEntrySchema = entryFields
  .extend({ version: z.number().int().min(1) })
  .superRefine(entryRules);

export type EntryBody = z.output<typeof entryBodySchema>;
export type EntryBodyInput = z.input<typeof entryBodySchema>;
