import { describe, expect, it } from 'vitest';
import {
  cronProblem,
  type EntryBody,
  type EntryBodyInput,
  entryBodySchema,
  isTimeZone,
} from '../../src/modules/calendar/calendar.schemas.ts';
import type { EntryStatus } from '../../src/modules/calendar/calendar.tables.ts';
import {
  type EntryVersionSpan,
  expandOccurrences,
  occurrenceJobId,
  skipReason,
} from '../../src/modules/calendar/occurrences.ts';
import { dateInZone } from '../../src/platform/calendar/dates.ts';
import { createHolidayCalendar } from '../../src/platform/calendar/holidays.ts';

// The real chinese-days data: the dates below (国庆 2026, the 调休 Saturdays and Sundays) are the official ones.
const days = createHolidayCalendar();
const SHANGHAI = 'Asia/Shanghai';

const input = (overrides: Partial<EntryBodyInput> = {}): EntryBodyInput => ({
  name: 'Morning note',
  componentId: 'morning-note',
  channel: 'single',
  audience: { tiers: ['private'] },
  schedule: { kind: 'cron', cron: '0 8 * * *' },
  owner: 'ops-li',
  ...overrides,
});

/** A body as the schema outputs it (defaults applied), so the tests expand what the API would store. */
const body = (overrides: Partial<EntryBodyInput> = {}): EntryBody => entryBodySchema.parse(input(overrides));

const cron = (expression: string, more: Record<string, unknown> = {}, rest: Partial<EntryBodyInput> = {}) =>
  body({ schedule: { kind: 'cron', cron: expression, ...more }, ...rest });

const version = (
  n: number,
  b: EntryBody,
  effectiveFrom: string,
  status: EntryStatus = 'active',
): EntryVersionSpan => ({ version: n, status, body: b, effectiveFrom: new Date(effectiveFrom) });

const expand = (versions: EntryVersionSpan[], from: string, to: string, defaultTimeZone = SHANGHAI) =>
  expandOccurrences('e1', versions, new Date(from), new Date(to), { defaultTimeZone, days });

const isoOf = (os: { at: Date }[]) => os.map((o) => o.at.toISOString());

/** The issues zod reports for `value`, as "path: message". */
const problems = (value: unknown): string[] => {
  const r = entryBodySchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('dateInZone and occurrenceJobId', () => {
  it('gives the local calendar date in the zone, not the UTC one', () => {
    const at = new Date('2026-03-01T16:30:00Z');
    expect(dateInZone(at, SHANGHAI)).toBe('2026-03-02');
    expect(dateInZone(at, 'UTC')).toBe('2026-03-01');
    expect(dateInZone(new Date('2026-03-01T23:30:00Z'), 'America/New_York')).toBe('2026-03-01');
  });

  it('derives a deterministic, non-numeric job id from the entry and the instant', () => {
    const at = new Date('2026-03-02T00:00:00Z');
    expect(occurrenceJobId('e1', at)).toBe(`cal-e1-${at.getTime()}`);
    expect(occurrenceJobId('e1', new Date(at.getTime()))).toBe(occurrenceJobId('e1', at));
    expect(occurrenceJobId('e1', at)).not.toBe(occurrenceJobId('e2', at));
    expect(occurrenceJobId('e1', at)).not.toMatch(/^\d+$/);
  });
});

describe('expandOccurrences: cron schedules', () => {
  it("fires '0 8 * * *' in Asia/Shanghai once a day at 00:00Z over a week", () => {
    const out = expand(
      [version(1, cron('0 8 * * *'), '2026-03-01T00:00:00Z')],
      '2026-03-02T00:00:00Z',
      '2026-03-09T00:00:00Z',
    );
    expect(isoOf(out)).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-03-04T00:00:00.000Z',
      '2026-03-05T00:00:00.000Z',
      '2026-03-06T00:00:00.000Z',
      '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
    ]);
    expect(out.every((o) => o.entryId === 'e1' && o.version === 1 && o.skipReason === undefined)).toBe(true);
    // skip 'none' leaves no skipReason key at all rather than an undefined one.
    expect(Object.keys(out[0] ?? {})).not.toContain('skipReason');
  });

  it('treats the range as [from, to): an instant at `from` is in, one at `to` is out', () => {
    const out = expand(
      [version(1, cron('0 8 * * *'), '2026-03-01T00:00:00Z')],
      '2026-03-02T00:00:00Z',
      '2026-03-04T00:00:00Z',
    );
    expect(isoOf(out)).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect(
      expand(
        [version(1, cron('0 8 * * *'), '2026-03-01T00:00:00Z')],
        '2026-03-02T00:00:00.001Z',
        '2026-03-03T00:00:00Z',
      ),
    ).toEqual([]);
  });

  it('honours a 6-field cron with seconds', () => {
    const out = expand(
      [version(1, cron('15 30 8 * * *'), '2026-03-01T00:00:00Z')],
      '2026-03-02T00:00:00Z',
      '2026-03-04T00:00:00Z',
    );
    expect(isoOf(out)).toEqual(['2026-03-02T00:30:15.000Z', '2026-03-03T00:30:15.000Z']);
  });

  it('honours weekday fields in local time (Mon–Fri at 08:00 Shanghai)', () => {
    // 2026-03-02 is a Monday; the weekend of 7–8 March is not fired.
    const out = expand(
      [version(1, cron('0 8 * * 1-5'), '2026-03-01T00:00:00Z')],
      '2026-03-02T00:00:00Z',
      '2026-03-10T00:00:00Z',
    );
    expect(out.map((o) => dateInZone(o.at, SHANGHAI))).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-09',
    ]);
  });

  it("uses the schedule's own time zone over the default, across its DST change", () => {
    const london = cron('0 8 * * *', { timezone: 'Europe/London' });
    const out = expand(
      [version(1, london, '2026-03-01T00:00:00Z')],
      '2026-03-27T00:00:00Z',
      '2026-03-31T00:00:00Z',
    );
    // British Summer Time starts on 29 March 2026: 08:00 local moves from 08:00Z to 07:00Z.
    expect(isoOf(out)).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('uses the default time zone when the schedule names none', () => {
    const out = expand(
      [version(1, cron('0 8 * * *'), '2026-03-01T00:00:00Z')],
      '2026-03-02T00:00:00Z',
      '2026-03-03T00:00:00Z',
      'UTC',
    );
    expect(isoOf(out)).toEqual(['2026-03-02T08:00:00.000Z']);
  });

  it('stops after the end date, the last local date inclusive', () => {
    const b = cron('0 8 * * *', { endDate: '2026-03-04' });
    const out = expand(
      [version(1, b, '2026-03-01T00:00:00Z')],
      '2026-03-02T00:00:00Z',
      '2026-03-10T00:00:00Z',
    );
    expect(isoOf(out)).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-03-04T00:00:00.000Z',
    ]);
  });

  it('compares the end date with the local date, not the UTC one', () => {
    // 07:00 in Shanghai is 23:00Z the day before: 4 March local is still 3 March in UTC.
    const b = cron('0 7 * * *', { endDate: '2026-03-04' });
    const out = expand(
      [version(1, b, '2026-03-01T00:00:00Z')],
      '2026-03-01T12:00:00Z',
      '2026-03-10T00:00:00Z',
    );
    expect(out.map((o) => dateInZone(o.at, SHANGHAI))).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(isoOf(out).at(-1)).toBe('2026-03-03T23:00:00.000Z');
  });

  it('stops after count occurrences, counted from the first version', () => {
    const b = cron('0 8 * * *', { count: 3 });
    const v = [version(1, b, '2026-03-01T00:00:00Z')];
    expect(isoOf(expand(v, '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z'))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
    // A later range sees only what is left of the count, not a fresh count of 3.
    expect(isoOf(expand(v, '2026-03-02T00:00:00Z', '2026-03-10T00:00:00Z'))).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
    expect(expand(v, '2026-03-04T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([]);
  });

  it('keeps counting from the first version when a later version keeps the same schedule', () => {
    const b = cron('0 8 * * *', { count: 3 });
    const renamed = cron('0 8 * * *', { count: 3 }, { name: 'Renamed note' });
    const v = [version(1, b, '2026-03-01T00:00:00Z'), version(2, renamed, '2026-03-02T06:00:00Z')];
    expect(
      expand(v, '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z').map((o) => [o.at.toISOString(), o.version]),
    ).toEqual([
      ['2026-03-01T00:00:00.000Z', 1],
      ['2026-03-02T00:00:00.000Z', 1],
      ['2026-03-03T00:00:00.000Z', 2],
    ]);
  });
});

describe('expandOccurrences: a count across edits and pauses', () => {
  it('an edit that changes the schedule does not start a fresh count', () => {
    const daily = cron('0 8 * * *', { count: 5 });
    const mondays = cron('0 8 * * 1', { count: 5 });
    const v = [version(1, daily, '2026-03-01T00:00:00Z'), version(2, mondays, '2026-03-03T12:00:00Z')];
    // 3/1, 3/2, 3/3 under the daily schedule, then two Mondays: five in all.
    expect(isoOf(expand(v, '2026-03-01T00:00:00Z', '2026-06-20T00:00:00Z'))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      '2026-03-16T00:00:00.000Z',
    ]);
  });

  it('days an entry was paused do not use up its count', () => {
    const daily = cron('0 8 * * *', { count: 5 });
    const v = [
      version(1, daily, '2026-03-01T00:00:00Z'),
      version(2, daily, '2026-03-02T12:00:00Z', 'paused'),
      version(3, daily, '2026-03-05T12:00:00Z'),
    ];
    expect(isoOf(expand(v, '2026-03-01T00:00:00Z', '2026-06-20T00:00:00Z'))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-06T00:00:00.000Z',
      '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
    ]);
  });
});

describe('entryBodySchema: an audience must select someone', () => {
  it('refuses birthdayToday: false alone and empty lists', () => {
    expect(problems(input({ audience: { birthdayToday: false } }))[0]).toMatch(/^audience: name an audience/);
    expect(problems(input({ audience: { tiers: [] } }))[0]).toMatch(/^audience\.tiers/);
    expect(problems(input({ audience: { rms: [] } }))[0]).toMatch(/^audience\.rms/);
  });
});

describe('expandOccurrences: one-off schedules', () => {
  const once = (at: string) => body({ schedule: { kind: 'once', at } });
  const v = (at: string) => [version(1, once(at), '2026-03-01T00:00:00Z')];

  it('fires once when the instant is inside the range', () => {
    const out = expand(v('2026-03-05T02:00:00Z'), '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z');
    expect(out).toEqual([{ entryId: 'e1', at: new Date('2026-03-05T02:00:00Z'), version: 1 }]);
  });

  it('takes an instant written with an offset at its true time', () => {
    const out = expand(v('2026-03-05T10:00:00+08:00'), '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z');
    expect(isoOf(out)).toEqual(['2026-03-05T02:00:00.000Z']);
  });

  it('does not fire when the instant is outside the range (at `to` included)', () => {
    expect(expand(v('2026-03-01T12:00:00Z'), '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z')).toEqual([]);
    expect(expand(v('2026-03-09T00:00:00Z'), '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z')).toEqual([]);
    expect(expand(v('2026-03-20T00:00:00Z'), '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z')).toEqual([]);
    expect(isoOf(expand(v('2026-03-02T00:00:00Z'), '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'))).toEqual([
      '2026-03-02T00:00:00.000Z',
    ]);
  });

  it('does not fire an instant from before its version took effect', () => {
    const late = [version(1, once('2026-03-03T00:00:00Z'), '2026-03-04T00:00:00Z')];
    expect(expand(late, '2026-03-01T00:00:00Z', '2026-03-09T00:00:00Z')).toEqual([]);
  });
});

describe('expandOccurrences: versions', () => {
  const daily8 = cron('0 8 * * *');
  const daily20 = cron('0 20 * * *');
  const pairs = (os: { at: Date; version: number }[]) => os.map((o) => [o.at.toISOString(), o.version]);

  it('lets an edit change only the occurrences after its effectiveFrom, each carrying its version', () => {
    // Version 2 takes effect at 14:00 Shanghai on 4 March: that morning's 08:00 stays under version 1.
    const out = expand(
      [version(1, daily8, '2026-03-01T00:00:00Z'), version(2, daily20, '2026-03-04T06:00:00Z')],
      '2026-03-02T00:00:00Z',
      '2026-03-07T00:00:00Z',
    );
    expect(pairs(out)).toEqual([
      ['2026-03-02T00:00:00.000Z', 1],
      ['2026-03-03T00:00:00.000Z', 1],
      ['2026-03-04T00:00:00.000Z', 1],
      ['2026-03-04T12:00:00.000Z', 2],
      ['2026-03-05T12:00:00.000Z', 2],
      ['2026-03-06T12:00:00.000Z', 2],
    ]);
  });

  it('orders versions by effectiveFrom whatever order they arrive in', () => {
    const v = [version(2, daily20, '2026-03-04T06:00:00Z'), version(1, daily8, '2026-03-01T00:00:00Z')];
    const sorted = [version(1, daily8, '2026-03-01T00:00:00Z'), version(2, daily20, '2026-03-04T06:00:00Z')];
    expect(expand(v, '2026-03-02T00:00:00Z', '2026-03-07T00:00:00Z')).toEqual(
      expand(sorted, '2026-03-02T00:00:00Z', '2026-03-07T00:00:00Z'),
    );
  });

  it('gives an edit effective exactly at an instant that instant', () => {
    const out = expand(
      [version(1, daily8, '2026-03-01T00:00:00Z'), version(2, daily8, '2026-03-04T00:00:00Z')],
      '2026-03-03T00:00:00Z',
      '2026-03-06T00:00:00Z',
    );
    expect(pairs(out)).toEqual([
      ['2026-03-03T00:00:00.000Z', 1],
      ['2026-03-04T00:00:00.000Z', 2],
      ['2026-03-05T00:00:00.000Z', 2],
    ]);
  });

  it('stops at a pause and restarts at a resume, under the resumed version', () => {
    const v = [
      version(1, daily8, '2026-03-01T00:00:00Z'),
      version(2, daily8, '2026-03-04T06:00:00Z', 'paused'),
      version(3, daily8, '2026-03-06T06:00:00Z'),
    ];
    expect(pairs(expand(v, '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'))).toEqual([
      ['2026-03-02T00:00:00.000Z', 1],
      ['2026-03-03T00:00:00.000Z', 1],
      ['2026-03-04T00:00:00.000Z', 1],
      ['2026-03-07T00:00:00.000Z', 3],
      ['2026-03-08T00:00:00.000Z', 3],
    ]);
  });

  it('fires nothing after a pause with no resume, nor after an end', () => {
    for (const status of ['paused', 'ended'] as const) {
      const v = [
        version(1, daily8, '2026-03-01T00:00:00Z'),
        version(2, daily8, '2026-03-04T06:00:00Z', status),
      ];
      expect(isoOf(expand(v, '2026-03-02T00:00:00Z', '2026-03-20T00:00:00Z'))).toEqual([
        '2026-03-02T00:00:00.000Z',
        '2026-03-03T00:00:00.000Z',
        '2026-03-04T00:00:00.000Z',
      ]);
      expect(expand(v, '2026-03-05T00:00:00Z', '2026-03-20T00:00:00Z')).toEqual([]);
    }
  });

  it('fires nothing before the first version took effect, and nothing with no versions', () => {
    expect(
      expand([version(1, daily8, '2026-03-05T00:00:00Z')], '2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z'),
    ).toEqual([]);
    expect(expand([], '2026-03-01T00:00:00Z', '2026-03-09T00:00:00Z')).toEqual([]);
  });

  it('applies the skip rule of the version in force', () => {
    // Sunday 8 March 2026: version 1 skips non-workdays, version 2 (from Saturday 7 March) skips nothing.
    const v = [
      version(1, cron('0 8 * * *', {}, { skip: 'non_workdays' }), '2026-03-01T00:00:00Z'),
      version(2, cron('0 8 * * *', {}, { skip: 'none' }), '2026-03-07T06:00:00Z'),
    ];
    const out = expand(v, '2026-03-07T00:00:00Z', '2026-03-09T00:00:00Z');
    expect(out.map((o) => [dateInZone(o.at, SHANGHAI), o.version, o.skipReason])).toEqual([
      ['2026-03-07', 1, 'not a working day'],
      ['2026-03-08', 2, undefined],
    ]);
  });
});

describe('skip rules on the real China calendar', () => {
  const reasons = (skip: EntryBody['skip'], from: string, to: string, expression = '0 8 * * *') =>
    Object.fromEntries(
      expand([version(1, cron(expression, {}, { skip }), '2026-01-01T00:00:00Z')], from, to).map((o) => [
        dateInZone(o.at, SHANGHAI),
        o.skipReason,
      ]),
    );

  it("'holidays' skips 国庆 2026 with the holiday's name and keeps the days around it", () => {
    expect(days.holidayName('2026-10-01')).toBe('国庆节');
    const r = reasons('holidays', '2026-09-29T00:00:00Z', '2026-10-09T00:00:00Z');
    expect(r['2026-09-30']).toBeUndefined();
    for (const d of ['2026-10-01', '2026-10-04', '2026-10-07']) {
      expect(r[d]).toContain('国庆节');
      expect(r[d]).toBe('holiday: 国庆节');
    }
    expect(r['2026-10-08']).toBeUndefined();
  });

  it("'holidays' reads the holiday on the local date (07:00 Shanghai on 1 October is 30 September in UTC)", () => {
    const out = expand(
      [version(1, cron('0 7 * * *', {}, { skip: 'holidays' }), '2026-01-01T00:00:00Z')],
      '2026-09-30T00:00:00Z',
      '2026-10-01T00:00:00Z',
    );
    expect(out).toEqual([
      { entryId: 'e1', at: new Date('2026-09-30T23:00:00Z'), version: 1, skipReason: 'holiday: 国庆节' },
    ]);
  });

  it("'holidays' does not skip an ordinary weekend", () => {
    const r = reasons('holidays', '2026-03-07T00:00:00Z', '2026-03-09T00:00:00Z');
    expect(r).toEqual({ '2026-03-07': undefined, '2026-03-08': undefined });
  });

  it("'non_workdays' skips an ordinary Sunday but not a Monday", () => {
    const r = reasons('non_workdays', '2026-03-08T00:00:00Z', '2026-03-10T00:00:00Z');
    expect(r).toEqual({ '2026-03-08': 'not a working day', '2026-03-09': undefined });
  });

  it("'non_workdays' does not skip the 调休 make-up working days of 2026", () => {
    // Saturday 14 February (春节) and Sunday 20 September (国庆) are worked in lieu.
    expect(days.isWorkday('2026-02-14')).toBe(true);
    expect(days.isWorkday('2026-09-20')).toBe(true);
    const feb = reasons('non_workdays', '2026-02-13T00:00:00Z', '2026-02-16T00:00:00Z');
    expect(feb).toEqual({ '2026-02-13': undefined, '2026-02-14': undefined, '2026-02-15': 'holiday: 春节' });
    const sep = reasons('non_workdays', '2026-09-19T00:00:00Z', '2026-09-21T00:00:00Z');
    expect(sep).toEqual({ '2026-09-19': 'not a working day', '2026-09-20': undefined });
  });

  it("'non_workdays' names the holiday when the day off is one", () => {
    const r = reasons('non_workdays', '2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z');
    expect(r).toEqual({ '2026-10-01': 'holiday: 国庆节' });
  });

  it("'none' skips nothing: not 国庆, not a Sunday", () => {
    const r = reasons('none', '2026-09-27T00:00:00Z', '2026-10-09T00:00:00Z');
    expect(Object.keys(r)).toHaveLength(12);
    expect(Object.values(r).every((v) => v === undefined)).toBe(true);
  });

  it('skipReason reads a one-off instant in the default time zone', () => {
    const b = body({ schedule: { kind: 'once', at: '2026-09-30T23:00:00Z' }, skip: 'holidays' });
    const at = new Date('2026-09-30T23:00:00Z');
    expect(skipReason(b, at, SHANGHAI, days)).toBe('holiday: 国庆节');
    expect(skipReason(b, at, 'UTC', days)).toBeUndefined();
  });

  it("skipReason reads a cron instant in the schedule's own zone over the default", () => {
    // 2026-10-01T01:00Z is 1 October in London and in Shanghai, but 30 September in Los Angeles.
    const la = cron('0 18 * * *', { timezone: 'America/Los_Angeles' }, { skip: 'holidays' });
    expect(skipReason(la, new Date('2026-10-01T01:00:00Z'), SHANGHAI, days)).toBeUndefined();
    const sh = cron('0 9 * * *', {}, { skip: 'holidays' });
    expect(skipReason(sh, new Date('2026-10-01T01:00:00Z'), SHANGHAI, days)).toBe('holiday: 国庆节');
  });
});

describe('entryBodySchema', () => {
  it('accepts a valid body and fills in the defaults', () => {
    const r = entryBodySchema.safeParse(input());
    expect(r.success).toBe(true);
    expect(r.data?.skip).toBe('none');
    expect(r.data?.schedule).toEqual({ kind: 'cron', cron: '0 8 * * *' });
  });

  it('accepts a robot body with robotKeys and no audience, and a 6-field cron with zone, end and count', () => {
    expect(problems(input({ channel: 'robot', audience: {}, robotKeys: ['abcdefgh-1234'] }))).toEqual([]);
    const schedule = {
      kind: 'cron' as const,
      cron: '0 30 8 * * 1-5',
      timezone: 'Europe/London',
      endDate: '2026-12-31',
      count: 10,
    };
    expect(problems(input({ schedule }))).toEqual([]);
  });

  it('rejects an invalid cron with a message that names cron', () => {
    const p = problems(input({ schedule: { kind: 'cron', cron: '61 * * * *' } }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^schedule\.cron: .*cron/);
    expect(problems(input({ schedule: { kind: 'cron', cron: '0 25 * * *' } }))[0]).toMatch(/cron/);
  });

  it('rejects a cron with too few or too many fields', () => {
    expect(problems(input({ schedule: { kind: 'cron', cron: '00 08 * *' } }))[0]).toMatch(
      /^schedule\.cron: .*5 fields/,
    );
    expect(problems(input({ schedule: { kind: 'cron', cron: '0 0 8 * * * 2026' } }))[0]).toMatch(/5 fields/);
  });

  it('rejects an unknown time zone', () => {
    const p = problems(input({ schedule: { kind: 'cron', cron: '0 8 * * *', timezone: 'Mars/Base' } }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^schedule\.timezone: not a time zone/);
  });

  it('rejects a malformed end date and a count below 1', () => {
    expect(
      problems(input({ schedule: { kind: 'cron', cron: '0 8 * * *', endDate: '2026/12/31' } }))[0],
    ).toMatch(/^schedule\.endDate/);
    expect(problems(input({ schedule: { kind: 'cron', cron: '0 8 * * *', count: 0 } }))[0]).toMatch(
      /^schedule\.count/,
    );
  });

  it('rejects a one-off instant with no offset, which would be ambiguous', () => {
    expect(problems(input({ schedule: { kind: 'once', at: '2026-03-05T10:00:00' } }))[0]).toMatch(
      /^schedule\.at/,
    );
    expect(problems(input({ schedule: { kind: 'once', at: '2026-03-05T10:00:00+08:00' } }))).toEqual([]);
  });

  it('rejects the robot channel without robotKeys, or with an empty list', () => {
    expect(problems(input({ channel: 'robot' }))).toEqual(['robotKeys: the robot channel needs robotKeys']);
    expect(problems(input({ channel: 'robot', robotKeys: [] }))).toEqual([
      'robotKeys: the robot channel needs robotKeys',
    ]);
  });

  it('rejects robotKeys on any other channel', () => {
    for (const channel of ['single', 'group', 'moment', 'app'] as const)
      expect(problems(input({ channel, robotKeys: ['abcdefgh-1234'] }))).toEqual([
        'robotKeys: only the robot channel takes robotKeys',
      ]);
  });

  it('rejects an empty audience on a channel other than robot', () => {
    for (const channel of ['single', 'group', 'moment', 'app'] as const) {
      const p = problems(input({ channel, audience: {} }));
      expect(p).toHaveLength(1);
      expect(p[0]).toMatch(/^audience: name an audience/);
    }
    // Left out altogether, the audience defaults to {} and is rejected the same way.
    const { audience: _omitted, ...noAudience } = input();
    expect(problems(noAudience)[0]).toMatch(/^audience: name an audience/);
  });

  it('rejects unknown keys rather than dropping them', () => {
    expect(problems({ ...input(), sendAt: 'now' })).not.toEqual([]);
    expect(
      problems(input({ schedule: { kind: 'cron', cron: '0 8 * * *', every: 'day' } as never })),
    ).not.toEqual([]);
  });
});

describe('cronProblem and isTimeZone', () => {
  it('accepts 5- and 6-field expressions and explains the rest', () => {
    expect(cronProblem('0 8 * * *')).toBeUndefined();
    expect(cronProblem('  0 8 * * 1-5  ')).toBeUndefined();
    expect(cronProblem('15 30 8 * * *')).toBeUndefined();
    expect(cronProblem('61 * * * *')).toMatch(/61/);
    expect(cronProblem('x y z a b')).toBeDefined();
    expect(cronProblem('0 8 * *')).toMatch(/5 fields/);
    expect(cronProblem('0 0 8 * * * 2026')).toMatch(/5 fields/);
  });

  it('knows IANA zones and rejects the rest', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Base')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
