import path from 'node:path';
import type { Config } from '../config.ts';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import { createClientsRepository } from '../modules/contacts/clients.repository.ts';
import { createKocRepository } from '../modules/koc/koc.repository.ts';
import { createKocService } from '../modules/koc/koc.service.ts';
import { createKocInfluenceRepository } from '../modules/koc/koc-influence.repository.ts';
import { createKocInfluenceService } from '../modules/koc/koc-influence.service.ts';
import { loadKocWeights } from '../modules/koc/koc-weights.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';

/** The KOC weights file inside the content library. */
export const kocWeightsPath = (config: Config) => path.join(config.contentLibraryDir, 'koc', 'weights.yaml');

/**
 * The KOC service on the configured weights. The weights file is read and validated here, so a bad file
 * stops the process that needs it at start.
 */
export function createKocWiring(deps: { config: Config; db: Db; clock: Clock }) {
  const weights = loadKocWeights(kocWeightsPath(deps.config));
  return createKocService({
    db: deps.db,
    repo: createKocRepository(),
    weights: () => weights,
    clients: createClientsRepository(),
    audit: createAuditRepository(),
    clock: deps.clock,
  });
}

/** The KOC influence service: acquisition months are bucketed in the business time zone. */
export function createKocInfluenceWiring(deps: { config: Config; db: Db; clock: Clock; log: Log }) {
  return createKocInfluenceService({
    db: deps.db,
    repo: createKocInfluenceRepository(),
    clock: deps.clock,
    timeZone: deps.config.scheduler.timezone,
    log: deps.log,
  });
}
