import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ContactsRepository } from './contacts.repository.ts';

/** What a backfill found and repaired. */
export type BackfillReport = { rms: number; checked: number; added: number; attributed: number };

/**
 * Repairs attribution for add events Helix never received: for every RM it lists their clients
 * (`externalcontact/list`), reads the ones Helix lacks, or holds without a channel, with
 * `externalcontact/get`, and records the relationship with the `state` WeCom kept in `follow_user`. No
 * welcome is sent: the 20-second window is long gone. WeCom reads come first; each client is then written
 * in its own short transaction.
 */
export function createAttributionBackfill(deps: {
  db: Db;
  repo: ContactsRepository;
  audit: AuditRepository;
  contact: Pick<WecomClient, 'listExternalContacts' | 'getExternalContact'>;
  clock: Clock;
  log: Log;
}) {
  return {
    async backfill(): Promise<BackfillReport> {
      const report: BackfillReport = { rms: 0, checked: 0, added: 0, attributed: 0 };
      const rms = await deps.repo.listRmUserids(deps.db);
      for (const userid of rms) {
        const ids = await deps.contact.listExternalContacts(userid).catch((err: unknown) => {
          deps.log.warn({ err, rm: userid }, 'could not list an RM’s clients; skipped');
          return [] as string[];
        });
        report.rms++;
        if (ids.length === 0) continue;
        const known = new Set(await deps.repo.attributedClientsOf(deps.db, userid, ids));
        for (const id of ids) {
          if (known.has(id)) continue;
          report.checked++;
          const detail = await deps.contact.getExternalContact(id);
          const follow = detail.follow_user.find((f) => f.userid === userid);
          if (!follow) continue;
          const at = follow.createtime ? new Date(follow.createtime * 1000) : deps.clock.now();
          const added = await deps.db.transaction((tx) =>
            deps.repo.recordAdd(tx, {
              externalUserid: id,
              rmUserid: userid,
              state: follow.state || null,
              at,
            }),
          );
          if (added.created) report.added++;
          if (!added.unknownState) report.attributed++;
        }
      }
      await deps.audit.append(deps.db, {
        actor: 'system',
        action: 'contacts.backfill',
        targetType: 'clients',
        details: report,
      });
      deps.log.info(report, 'attribution backfill finished');
      return report;
    },
  };
}
