import path from 'node:path';
import type { Config } from '../config.ts';
import { loadComplianceRules } from '../modules/compliance/compliance.rules.ts';
import { createComplianceChecker } from '../modules/compliance/compliance.service.ts';

/** The rules file inside the content library. */
export const complianceRulesPath = (config: Config) =>
  path.join(config.contentLibraryDir, 'compliance', 'rules.yaml');

/** The checker on the configured rules; a bad rules file throws here, at start. */
export const createConfiguredChecker = (config: Config) =>
  createComplianceChecker(loadComplianceRules(complianceRulesPath(config)));
