import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import type { ComplianceChecker } from '../modules/compliance/compliance.service.ts';
import { createFaqService } from '../modules/smart-service/faq.service.ts';
import { parseFaqFile } from '../modules/smart-service/faq-import.parser.ts';
import { loadLexicon } from '../modules/smart-service/retrieval/lexicon.loader.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';

/** The starter FAQ shipped in the content library; a bad file stops the start. */
export function loadStarterFaq(config: Config) {
  const file = path.join(config.contentLibraryDir, 'faq', 'starter-faq.tsv');
  const parsed = parseFaqFile(readFileSync(file, 'utf8'), 'tsv');
  if (!parsed.ok) {
    throw new Error(
      parsed.problems.map((p) => `${file}: line ${p.line}: ${p.field}: ${p.message}`).join('\n'),
    );
  }
  return parsed.rows;
}

/** The FAQ service on the content library's lexicon (synonyms, stop words) and the configured thresholds. */
export function createConfiguredFaq(deps: {
  config: Config;
  db: Db;
  check: ComplianceChecker;
  clock: Clock;
  log: Log;
}) {
  return createFaqService({
    db: deps.db,
    audit: createAuditRepository(),
    check: deps.check,
    lexicon: loadLexicon(path.join(deps.config.contentLibraryDir, 'faq')),
    thresholds: deps.config.faq.thresholds,
    clock: deps.clock,
    log: deps.log,
  });
}
