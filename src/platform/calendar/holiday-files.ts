import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from '../yaml-file.ts';
import { isIsoDate, isoWeekday } from './dates.ts';

/** Thrown at boot for broken holiday files; `problems` has one `<file>: <field>: <reason>` line each. */
export class HolidayFileError extends Error {
  override name = 'HolidayFileError';
  constructor(readonly problems: string[]) {
    super(`holiday calendar has errors:\n${problems.join('\n')}`);
  }
}

const day = z.strictObject({
  date: z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD'),
  name: z.string().trim().min(1).max(32),
});

/**
 * One year's official arrangement, `content-library/calendar/holidays/<year>.yaml`: the days off and the
 * make-up working days (调休). Strict, so a misspelt key (`workday:`) is an error rather than a lost list.
 */
export const holidayYearFileSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    holidays: z.array(day).max(60),
    workdays: z.array(day).max(20),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, 'holidays' | 'workdays'>();
    for (const list of ['holidays', 'workdays'] as const) {
      file[list].forEach(({ date }, i) => {
        const at = [list, i, 'date'];
        if (!isIsoDate(date)) return; // already reported by the field's own check
        const issue = (message: string) => ctx.addIssue({ code: 'custom', path: at, message });
        if (date.slice(0, 4) !== String(file.year)) issue(`${date} is not in ${file.year}`);
        const before = seen.get(date);
        if (before === list) issue(`${date} is listed twice`);
        else if (before) issue(`${date} is both a holiday and a make-up working day`);
        seen.set(date, list);
        // The State Council only ever moves work onto a weekend; a weekday here is a typo.
        if (list === 'workdays' && isoWeekday(date) < 6) issue(`${date} is a weekday, not a weekend day`);
      });
    }
  });

/** A validated yearly holiday file. */
export type HolidayYearFile = z.output<typeof holidayYearFileSchema>;

const YEAR_FILE = /^(\d{4})\.yaml$/;

/**
 * Reads every `<year>.yaml` in `dir` (none, when the folder is absent: the package data then stands alone).
 * Every broken file is reported at once, each line naming the file, so one restart shows all there is to fix.
 */
export function loadHolidayYearFiles(dir: string): HolidayYearFile[] {
  if (!existsSync(dir)) return [];
  const problems: string[] = [];
  const years: HolidayYearFile[] = [];
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  for (const name of names) {
    const file = path.join(dir, name);
    const year = YEAR_FILE.exec(name)?.[1];
    if (!year) {
      problems.push(`${file}: (file): must be named <year>.yaml, e.g. 2027.yaml`);
      continue;
    }
    try {
      const parsed = loadYamlFile(file, holidayYearFileSchema, (m) => new HolidayFileError(m.split('\n')));
      if (parsed.year !== Number(year))
        problems.push(`${file}: year: must be ${year}, the year in the file name`);
      else years.push(parsed);
    } catch (err) {
      if (!(err instanceof HolidayFileError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new HolidayFileError(problems);
  return years;
}
