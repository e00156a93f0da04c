import path from 'node:path';
import type { Config } from '../config.ts';
import type { ComplianceChecker } from '../modules/compliance/compliance.service.ts';
import {
  type ContentLibrary,
  loadContentLibrary,
  loadContentLibraryOrThrow,
} from '../modules/content/content-library.ts';
import {
  createFileMarketData,
  createHttpMarketData,
  sampleMarketData,
} from '../modules/content/market-data.ts';
import type { MarketDataProvider } from '../modules/content/render.ts';
import { dateInZone } from '../platform/calendar/dates.ts';
import { HolidayFileError, loadHolidayYearFiles } from '../platform/calendar/holiday-files.ts';
import { createHolidayCalendar, type HolidayCalendar } from '../platform/calendar/holidays.ts';
import type { Clock } from '../platform/clock.ts';
import type { Log } from '../platform/logger.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';

/**
 * The market-data provider behind `market.*` variables: the bank's feed (MARKET_DATA_URL), a file
 * (MARKET_DATA_FILE), or, with neither, the sample figures, which are sendable in development only.
 */
export function createConfiguredMarketData(config: Config, clock: Clock, log: Log): MarketDataProvider {
  const { feed, file, maxAgeMinutes } = config.marketData;
  const maxAgeMs = maxAgeMinutes * 60_000;
  const mlog = log.child({ component: 'market-data' });
  if (feed) return createHttpMarketData({ ...feed, maxAgeMs, clock, log: mlog });
  if (file) return createFileMarketData({ path: file, maxAgeMs, clock, log: mlog });
  return sampleMarketData;
}

/** Lints the configured content library (with the compliance rules) and returns every problem. */
export const lintConfiguredLibrary = (config: Config): ContentLibrary =>
  loadContentLibrary(config.contentLibraryDir, { check: createConfiguredChecker(config) });

/** Loads the configured content library with the process's checker, refusing to start on any error. */
export const loadConfiguredLibrary = (config: Config, checker: ComplianceChecker): ContentLibrary =>
  loadContentLibraryOrThrow(config.contentLibraryDir, { check: checker });

/** The yearly holiday files inside the content library. */
export const holidayFilesDir = (config: Config) =>
  path.join(config.contentLibraryDir, 'calendar', 'holidays');

// Far enough ahead that the next year's arrangement (published in Nov/Dec) is asked for before it is needed.
const COVERAGE_LOOKAHEAD_MS = 45 * 24 * 3600_000;

/**
 * The holiday calendar: the package's data with the library's yearly files. A broken file throws here, at
 * start; a year with no arrangement only warns, since business hours then still work, on Monday–Friday.
 */
export function loadConfiguredHolidayCalendar(
  config: Config,
  deps: { now: Date; log: Log },
): HolidayCalendar {
  const calendar = createHolidayCalendar({ years: loadHolidayYearFiles(holidayFilesDir(config)) });
  const tz = config.scheduler.timezone;
  const needed = new Set(
    [deps.now, new Date(deps.now.getTime() + COVERAGE_LOOKAHEAD_MS)].map((d) =>
      Number(dateInZone(d, tz).slice(0, 4)),
    ),
  );
  const missing = [...needed].filter((y) => !calendar.covers(y));
  if (missing.length > 0) {
    deps.log.warn(
      { missing, dir: holidayFilesDir(config) },
      'no official holiday arrangement for these years: holidays count as working days until a file is added',
    );
  }
  return calendar;
}

/** `helix content lint`'s check of the holiday files: one `<file>: <field>: <reason>` line per problem. */
export function lintConfiguredHolidays(config: Config): { years: number; problems: string[] } {
  try {
    return { years: loadHolidayYearFiles(holidayFilesDir(config)).length, problems: [] };
  } catch (err) {
    if (err instanceof HolidayFileError) return { years: 0, problems: err.problems };
    throw err;
  }
}
