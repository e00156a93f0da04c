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
