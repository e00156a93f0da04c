import type { Config } from '../config.ts';
import {
  type ContentLibrary,
  loadContentLibrary,
  loadContentLibraryOrThrow,
} from '../modules/content/content-library.ts';
import { createConfiguredChecker } from './compliance-wiring.ts';

/** Lints the configured content library (with the compliance rules) and returns every problem. */
export const lintConfiguredLibrary = (config: Config): ContentLibrary =>
  loadContentLibrary(config.contentLibraryDir, { check: createConfiguredChecker(config) });

/** Loads the configured content library, refusing to start on any error. */
export const loadConfiguredLibrary = (config: Config): ContentLibrary =>
  loadContentLibraryOrThrow(config.contentLibraryDir, { check: createConfiguredChecker(config) });
