import packageData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { type IsoDate, isIsoDate, isoWeekday } from './dates.ts';
import type { HolidayYearFile } from './holiday-files.ts';

/** One year's days off and make-up working days (调休), each with the holiday's name. */
type YearDays = { holidays: Map<IsoDate, string>; workdays: Map<IsoDate, string> };

/**
 * The chinese-days package's data, by year. Its values read 'English,中文,days'; Helix speaks Chinese, so the
 * Chinese name is kept (the whole value if a future release changes the format, rather than losing the day).
 */
function packageYears(): Map<number, YearDays> {
  const years = new Map<number, YearDays>();
  const yearOf = (date: IsoDate) => {
    const y = Number(date.slice(0, 4));
    const days = years.get(y) ?? { holidays: new Map(), workdays: new Map() };
    years.set(y, days);
    return days;
  };
  const name = (value: string) => value.split(',')[1]?.trim() || value;
  for (const [date, value] of Object.entries(packageData.holidays))
    yearOf(date).holidays.set(date, name(value));
  for (const [date, value] of Object.entries(packageData.workdays))
    yearOf(date).workdays.set(date, name(value));
  return years;
}

const fromFile = (file: HolidayYearFile): YearDays => ({
  holidays: new Map(file.holidays.map((d) => [d.date, d.name])),
  workdays: new Map(file.workdays.map((d) => [d.date, d.name])),
});

/**
 * China's public holidays and make-up working days: the chinese-days package's data, with `years` (the
 * content library's yearly files) replacing it year by year. A file replaces its whole year rather than
 * merging day by day, so a corrected arrangement can also remove a day the package got wrong.
 * A year with no data falls back to Monday–Friday; `covers` tells callers when that is happening.
 */
export function createHolidayCalendar(opts: { years?: readonly HolidayYearFile[] } = {}) {
  const byYear = packageYears();
  for (const file of opts.years ?? []) byYear.set(file.year, fromFile(file));
  const daysOf = (date: IsoDate): YearDays | undefined => {
    // A malformed date would otherwise silently read as an ordinary day.
    if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
    return byYear.get(Number(date.slice(0, 4)));
  };
  return {
    /** True on an official day off (weekends moved into a holiday included). */
    isHoliday: (date: IsoDate): boolean => daysOf(date)?.holidays.has(date) ?? false,

    /** The holiday's name (e.g. 国庆节) on a day off; undefined on any other day. */
    holidayName: (date: IsoDate): string | undefined => daysOf(date)?.holidays.get(date),

    /** Monday–Friday unless a holiday, plus the weekend days worked in lieu (调休). */
    isWorkday(date: IsoDate): boolean {
      const days = daysOf(date);
      if (days?.workdays.has(date)) return true;
      if (days?.holidays.has(date)) return false;
      return isoWeekday(date) <= 5;
    },

    /** The years with an official arrangement, ascending. */
    coveredYears: (): number[] => [...byYear.keys()].sort((a, b) => a - b),

    /** True when `year`'s arrangement is known; otherwise its holidays read as ordinary weekdays. */
    covers: (year: number): boolean => byYear.has(year),
  };
}

/** The holiday calendar (see `createHolidayCalendar`). */
export type HolidayCalendar = ReturnType<typeof createHolidayCalendar>;
