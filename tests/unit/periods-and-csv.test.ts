import { describe, expect, it } from 'vitest';
import { periodInstants, periodOf, periodsBack } from '../../src/platform/calendar/periods.ts';
import { toCsv } from '../../src/platform/http/csv-export.ts';

describe('reporting periods', () => {
  it('weeks start on Monday and months on the 1st, in local dates', () => {
    expect(periodOf('week', '2026-12-06')).toEqual({ kind: 'week', start: '2026-11-30', end: '2026-12-07' });
    expect(periodOf('week', '2026-11-30').start).toBe('2026-11-30');
    expect(periodOf('month', '2026-12-31')).toEqual({
      kind: 'month',
      start: '2026-12-01',
      end: '2027-01-01',
    });
    expect(periodOf('day', '2026-02-28').end).toBe('2026-03-01');
    expect(() => periodOf('day', '2026-02-30')).toThrow(RangeError);
  });

  it('bounds are local midnights in the time zone, not UTC', () => {
    const { from, to } = periodInstants(periodOf('week', '2026-12-02'), 'Asia/Shanghai');
    expect(from.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(to.toISOString()).toBe('2026-12-06T16:00:00.000Z');
    // Across a DST change the day is 23 hours long.
    const d = periodInstants(periodOf('day', '2026-03-08'), 'America/New_York');
    expect(d.from.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(d.to.toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('a trend lists the periods oldest first', () => {
    expect(periodsBack('month', '2026-01-15', 3).map((p) => p.start)).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
    ]);
  });
});

describe('CSV export', () => {
  it('starts with a BOM, quotes what needs quoting and defuses formulas', () => {
    const csv = toCsv(
      ['客户经理', 'score'],
      [
        ['王"经理", 一', 1.5],
        ['=HYPERLINK("x")', null],
      ],
    );
    expect(csv.startsWith('\uFEFF客户经理,score\r\n')).toBe(true);
    expect(csv).toContain('"王""经理"", 一",1.5\r\n');
    expect(csv).toContain(`"'=HYPERLINK(""x"")",\r\n`);
  });
});
