import path from 'node:path';
import type { Config } from '../config.ts';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import { createRoutingRepository } from '../modules/communities/routing.repository.ts';
import { createRoutingService, type RoutingSummary } from '../modules/communities/routing.service.ts';
import { loadTierPolicy } from '../modules/communities/routing-policy.ts';
import type { ActivationService } from '../modules/contacts/activation.service.ts';
import { createClientsRepository } from '../modules/contacts/clients.repository.ts';
import { createProfileImportRepository } from '../modules/contacts/profile-import.repository.ts';
import { createProfileImportService } from '../modules/contacts/profile-import.service.ts';
import { createRmsRepository } from '../modules/contacts/rms.repository.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import type { WecomClient } from '../wecom/client/wecom-client.ts';

/** The tier policy file inside the content library. */
export const tierPolicyPath = (config: Config) =>
  path.join(config.contentLibraryDir, 'communities', 'tier-policy.yaml');

/**
 * The profile import with tier routing and RM notices, for the API and the CLI. The tier policy is read
 * and validated here, so a bad policy stops the process that needs it at start.
 */
export function createProfileImportWiring(deps: {
  config: Config;
  db: Db;
  clock: Clock;
  log: Log;
  app: Pick<WecomClient, 'sendAppMessage'>;
  /** Records the feed's activation columns; without it a file that carries them is refused. */
  activation?: Pick<ActivationService, 'recordIn'>;
}) {
  const policy = loadTierPolicy(tierPolicyPath(deps.config));
  const routing = createRoutingService({
    policy: () => policy,
    clients: createClientsRepository(),
    moves: createRoutingRepository(),
  });
  const imports = createProfileImportService({
    db: deps.db,
    repo: createProfileImportRepository(),
    rms: createRmsRepository(),
    audit: createAuditRepository(),
    bands: () => policy.bandIds,
    route: (tx, rows, now) =>
      routing.routeClients(
        tx,
        rows.map((r) => r.externalUserid),
        now,
      ),
    async afterApply(outcome) {
      const tasks = (outcome.routing as RoutingSummary).tasksByRm;
      for (const [rm, n] of Object.entries(tasks)) {
        await deps.app
          .sendAppMessage({
            touser: [rm],
            msgtype: 'text',
            content: {
              content: `【客户分层】客户资料已更新，您有 ${n} 项入群邀请或调整任务待处理，请在 Helix 任务列表查看。`,
            },
          })
          .catch((err: unknown) => deps.log.warn({ err, rm }, 'could not notify an RM of routing tasks'));
      }
    },
    ...(deps.activation ? { activation: deps.activation } : {}),
    activationKinds: deps.config.activation.kinds,
    clock: deps.clock,
    log: deps.log,
  });
  return { policy, routing, imports };
}
