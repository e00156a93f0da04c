import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dateInZone } from '../../src/platform/calendar/dates.ts';
import { HolidayFileError, loadHolidayYearFiles } from '../../src/platform/calendar/holiday-files.ts';
import { createHolidayCalendar } from '../../src/platform/calendar/holidays.ts';

/** A fresh folder holding the given `<name>: <yaml>` files. */
function holidayDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'helix-holidays-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const rejection = (dir: string): HolidayFileError => {
  try {
    loadHolidayYearFiles(dir);
  } catch (err) {
    if (err instanceof HolidayFileError) return err;
    throw err;
  }
  throw new Error('expected the files to be rejected');
};

describe('holiday calendar (chinese-days data)', () => {
  const calendar = createHolidayCalendar();

  it('knows 国庆 2026 as days off, weekend days inside it included', () => {
    expect(calendar.isHoliday('2026-10-01')).toBe(true);
    expect(calendar.holidayName('2026-10-01')).toBe('国庆节');
    expect(calendar.isWorkday('2026-10-01')).toBe(false);
    // Saturday 3 October is inside the break.
    expect(calendar.isHoliday('2026-10-03')).toBe(true);
    expect(calendar.isWorkday('2026-10-08')).toBe(true);
    expect(calendar.holidayName('2026-10-08')).toBeUndefined();
  });

  it("counts 2026's make-up days (调休) as workdays and leaves other weekends off", () => {
    // Sunday 20 September and Saturday 10 October are worked for 国庆; 14 February for 春节.
    for (const date of ['2026-09-20', '2026-10-10', '2026-02-14', '2026-01-04', '2026-05-09']) {
      expect(calendar.isWorkday(date), date).toBe(true);
      expect(calendar.isHoliday(date), date).toBe(false);
    }
    expect(calendar.isWorkday('2026-10-17')).toBe(false); // an ordinary Saturday
    expect(calendar.isWorkday('2026-11-23')).toBe(true); // an ordinary Monday
  });

  it('says which years it covers, and falls back to Monday–Friday outside them', () => {
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2027)).toBe(false);
    expect(calendar.coveredYears()).toContain(2025);
    expect(calendar.coveredYears().at(-1)).toBe(2026);
    // 2027's arrangement is not published yet: 1 October 2027, a Friday, reads as a workday.
    expect(calendar.isWorkday('2027-10-01')).toBe(true);
    expect(calendar.isHoliday('2027-10-01')).toBe(false);
  });

  it('refuses a malformed date rather than reading it as an ordinary day', () => {
    expect(() => calendar.isWorkday('2026-9-30')).toThrow(RangeError);
    expect(() => calendar.isHoliday('2026-02-30')).toThrow(RangeError);
  });
});

describe('yearly holiday files', () => {
  it('replace the package data for their whole year and add years it lacks', () => {
    // Test data, not any real arrangement.
    const dir = holidayDir({
      '2026.yaml': 'year: 2026\nholidays:\n  - { date: 2026-10-01, name: 国庆节 }\nworkdays: []\n',
      '2099.yaml':
        'year: 2099\nholidays:\n  - { date: 2099-10-01, name: 国庆节 }\nworkdays:\n  - { date: 2099-10-10, name: 国庆节 }\n',
    });
    const calendar = createHolidayCalendar({ years: loadHolidayYearFiles(dir) });
    expect(calendar.isHoliday('2026-10-01')).toBe(true);
    // The package's other 国庆 days and its 调休 Saturday are gone with the year it replaced.
    expect(calendar.isHoliday('2026-10-02')).toBe(false);
    expect(calendar.isWorkday('2026-10-10')).toBe(false);
    // Other years keep the package's data.
    expect(calendar.isHoliday('2025-10-01')).toBe(true);
    expect(calendar.covers(2099)).toBe(true);
    expect(calendar.isWorkday('2099-10-01')).toBe(false);
    expect(calendar.isWorkday('2099-10-10')).toBe(true); // a Saturday
  });

  it('rejects a broken file, naming the file and the field, every problem at once', () => {
    const dir = holidayDir({
      '2026.yaml': [
        'year: 2026',
        'holidays:',
        '  - { date: 2025-12-31, name: 元旦 }',
        '  - { date: 2026-10-10, name: 国庆节 }',
        'workdays:',
        '  - { date: 2026-10-10, name: 国庆节 }',
        '  - { date: 2026-09-30, name: 国庆节 }',
        '',
      ].join('\n'),
      '2027.yaml': 'year: 2028\nholidays: []\nworkdays: []\n',
      '2030.yaml': 'year: 2030\nholidays: []\nworkday: []\n',
      'next.yaml': 'year: 2031\nholidays: []\nworkdays: []\n',
    });
    const err = rejection(dir);
    const file = (name: string) => path.join(dir, name);
    expect(err.problems).toEqual(
      expect.arrayContaining([
        `${file('2026.yaml')}: holidays.0.date: 2025-12-31 is not in 2026`,
        `${file('2026.yaml')}: workdays.0.date: 2026-10-10 is both a holiday and a make-up working day`,
        `${file('2026.yaml')}: workdays.1.date: 2026-09-30 is a weekday, not a weekend day`,
        `${file('2027.yaml')}: year: must be 2027, the year in the file name`,
        `${file('next.yaml')}: (file): must be named <year>.yaml, e.g. 2027.yaml`,
      ]),
    );
    expect(err.message).toMatch(new RegExp(`${file('2030.yaml')}: workdays: `));
    expect(err.message).toMatch(new RegExp(`${file('2030.yaml')}: \\(file\\): .*workday`));
  });

  it('rejects unreadable YAML and an impossible date with the file name', () => {
    expect(rejection(holidayDir({ '2026.yaml': 'year: [2026\n' })).message).toMatch(
      /2026\.yaml: not readable YAML/,
    );
    const bad = rejection(
      holidayDir({ '2026.yaml': 'year: 2026\nholidays:\n  - { date: 2026-02-30, name: x }\nworkdays: []\n' }),
    );
    expect(bad.problems).toEqual([
      expect.stringMatching(/2026\.yaml: holidays\.0\.date: must be a real date/),
    ]);
  });

  it('are optional: no folder, or only the README, means the package data alone', () => {
    expect(loadHolidayYearFiles(path.join(tmpdir(), 'helix-no-such-holidays-dir'))).toEqual([]);
    const shipped = fileURLToPath(new URL('../../content-library/calendar/holidays', import.meta.url));
    expect(loadHolidayYearFiles(shipped)).toEqual([]);
    const nested = holidayDir({ 'README.md': '# notes' });
    mkdirSync(path.join(nested, 'drafts'));
    expect(loadHolidayYearFiles(nested)).toEqual([]);
  });
});

describe('dateInZone', () => {
  it('gives the calendar date where the business is, not in UTC', () => {
    // 16:30 UTC on 30 September is already 1 October in Shanghai.
    expect(dateInZone(new Date('2026-09-30T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-10-01');
    expect(dateInZone(new Date('2026-09-30T16:30:00Z'), 'UTC')).toBe('2026-09-30');
  });
});
