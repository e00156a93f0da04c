import type { Config } from '../config.ts';
import { createAuditRepository } from '../modules/audit/audit.repository.ts';
import { createActivationRepository } from '../modules/contacts/activation.repository.ts';
import { createActivationService } from '../modules/contacts/activation.service.ts';
import { createClientsRepository } from '../modules/contacts/clients.repository.ts';
import { createReferralRepository } from '../modules/referral/referral.repository.ts';
import { createReferralService, type GrantReward } from '../modules/referral/referral.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import type { WecomClient } from '../wecom/client/wecom-client.ts';

/**
 * Referral and activation, wired together: activation (the API and the profile feed) pays referrals
 * through `referral.onActivated`; `grantReward` pays the referrer (unset: the referral is marked rewarded
 * and nothing is paid).
 */
export function createReferralWiring(deps: {
  config: Config;
  db: Db;
  contact: Pick<WecomClient, 'addContactWay' | 'deleteContactWay'>;
  grantReward?: GrantReward;
  clock: Clock;
  log: Log;
}) {
  const { config, db, clock, log } = deps;
  const audit = createAuditRepository();
  const referral = createReferralService({
    db,
    repo: createReferralRepository(),
    clients: createClientsRepository(),
    audit,
    contact: deps.contact,
    settings: { ...config.referral, timeZone: config.scheduler.timezone },
    ...(deps.grantReward ? { grantReward: deps.grantReward } : {}),
    clock,
    log,
  });
  const activation = createActivationService({
    db,
    repo: createActivationRepository(),
    audit,
    periodMs: config.activation.newClientPeriodMs,
    onActivated: (tx, activated) => referral.onActivated(tx, activated),
  });
  return { referral, activation };
}
