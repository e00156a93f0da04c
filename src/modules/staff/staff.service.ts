import type { Db } from '../../platform/db/client.ts';
import type { Role } from '../../platform/db/schema.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { RmsRepository } from '../contacts/rms.repository.ts';
import type { StaffRepository, StaffRow } from './staff.repository.ts';

/** Who a signed-in WeCom member is to Helix: the role and branch scope a session gets. */
export type SignInIdentity = { userid: string; role: Role; branchScope: string | null; name: string };

/** Staff records and the one decision of what a WeCom member may do once signed in. */
export type StaffService = ReturnType<typeof createStaffService>;

/** Creates the staff service. */
export function createStaffService(deps: {
  db: Db;
  repo: StaffRepository;
  rms: Pick<RmsRepository, 'unknown'>;
  audit: AuditRepository;
  /** Ends a user's open sessions when their record changes (they sign in again with the new role). */
  closeSessionsOf: (userid: string) => Promise<number>;
}) {
  const { db, repo } = deps;
  return {
    /**
     * What `userid` may do: their staff record if there is one (a disabled record refuses), else an RM's
     * own scope if they are an RM in Helix, else nothing (undefined).
     */
    async identify(userid: string): Promise<SignInIdentity | undefined> {
      const s = await repo.find(db, userid);
      if (s)
        return s.disabledAt ? undefined : { userid, role: s.role, branchScope: s.branchScope, name: s.name };
      const [unknown] = await deps.rms.unknown(db, [userid]);
      return unknown === undefined ? { userid, role: 'rm', branchScope: null, name: userid } : undefined;
    },

    /** Creates or changes a staff record (audited); the person's open sessions end, so the change holds now. */
    async put(
      s: { userid: string; name: string; role: Role; branchScope: string | null; disabled: boolean },
      actor: { name: string; requestId: string | null },
    ): Promise<StaffRow> {
      const row = await db.transaction(async (tx) => {
        const before = await repo.find(tx, s.userid);
        const saved = await repo.upsert(tx, s);
        await deps.audit.append(tx, {
          actor: actor.name,
          action: before ? 'staff.update' : 'staff.create',
          targetType: 'staff',
          targetId: s.userid,
          details: { role: s.role, branchScope: s.branchScope, disabled: s.disabled },
          requestId: actor.requestId,
        });
        return saved;
      });
      await deps.closeSessionsOf(s.userid);
      return row;
    },

    list: (q: { after?: string; limit: number }) => repo.list(db, q),
  };
}
