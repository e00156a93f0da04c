import type { Config } from '../config.ts';
import type { ComplianceChecker } from '../modules/compliance/compliance.service.ts';
import {
  type ContentLibrary,
  loadContentLibrary,
  loadContentLibraryOrThrow,
} from '../modules/content/content-library.ts';
import { fixedMarketData } from '../modules/content/render.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';

/**
 * Market data for `market.*` variables until a bank plugs in its feed: fixed, plainly labelled sample
 * figures, so previews and the demo render. They make a rendering unsendable outside development. A
 * deployment replaces this provider with one whose source is 'live'.
 */
export const demoMarketData = fixedMarketData({ csi300: 3921.45, csi300Change: -0.37, usdCny: 7.1052 });

/** Lints the configured content library (with the compliance rules) and returns every problem. */
export const lintConfiguredLibrary = (config: Config): ContentLibrary =>
  loadContentLibrary(config.contentLibraryDir, { check: createConfiguredChecker(config) });

/** Loads the configured content library with the process's checker, refusing to start on any error. */
export const loadConfiguredLibrary = (config: Config, checker: ComplianceChecker): ContentLibrary =>
  loadContentLibraryOrThrow(config.contentLibraryDir, { check: checker });
