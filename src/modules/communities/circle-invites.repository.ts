import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { clientInScope } from '../contacts/scope-filters.repository.ts';

/** An invitation to a circle as the API shows it. */
export type CircleInvite = {
  circleId: string;
  externalUserid: string;
  invitedBy: string;
  invitedAt: Date;
  status: 'invited' | 'joined' | 'revoked';
  revokedAt: Date | null;
};

const columns = sql`circle_id AS "circleId", external_userid AS "externalUserid", invited_by AS "invitedBy",
  invited_at AS "invitedAt", status, revoked_at AS "revokedAt"`;
const toInvite = (r: CircleInvite & { invitedAt: Date | string; revokedAt: Date | string | null }) => ({
  ...r,
  invitedAt: new Date(r.invitedAt),
  revokedAt: r.revokedAt === null ? null : new Date(r.revokedAt),
});

/** SQL on circle invitations. */
export type CircleInvitesRepository = ReturnType<typeof createCircleInvitesRepository>;

/** Creates the circle invitations repository. */
export function createCircleInvitesRepository() {
  return {
    /** Invites a client (or re-invites one whose invitation was revoked); a live invitation is kept as is. */
    async invite(
      tx: Tx,
      i: { circleId: string; externalUserid: string; invitedBy: string; at: Date },
    ): Promise<CircleInvite> {
      const [row] = await queryRows<CircleInvite>(
        tx,
        sql`INSERT INTO circle_invites AS c (circle_id, external_userid, invited_by, invited_at, status)
            VALUES (${i.circleId}, ${i.externalUserid}, ${i.invitedBy}, ${i.at.toISOString()}::timestamptz, 'invited')
            ON CONFLICT (circle_id, external_userid) DO UPDATE SET invited_by = EXCLUDED.invited_by,
              invited_at = EXCLUDED.invited_at, status = 'invited', revoked_at = NULL
              WHERE c.status = 'revoked'
            RETURNING ${columns}`,
      );
      if (row) return toInvite(row);
      const [kept] = await queryRows<CircleInvite>(
        tx,
        sql`SELECT ${columns} FROM circle_invites
            WHERE circle_id = ${i.circleId} AND external_userid = ${i.externalUserid}`,
      );
      return toInvite(kept!);
    },

    /** Revokes a live invitation; undefined when there is none. */
    async revoke(
      tx: Tx,
      q: { circleId: string; externalUserid: string; at: Date },
    ): Promise<CircleInvite | undefined> {
      const [row] = await queryRows<CircleInvite>(
        tx,
        sql`UPDATE circle_invites SET status = 'revoked', revoked_at = ${q.at.toISOString()}::timestamptz
            WHERE circle_id = ${q.circleId} AND external_userid = ${q.externalUserid} AND status <> 'revoked'
            RETURNING ${columns}`,
      );
      return row ? toInvite(row) : undefined;
    },

    /** A circle's invitations within `scope`, newest first. */
    async list(db: Db, scope: Scope, circleId: string, limit: number): Promise<CircleInvite[]> {
      const rows = await queryRows<CircleInvite>(
        db,
        sql`SELECT ${columns} FROM circle_invites i
            WHERE circle_id = ${circleId} AND ${clientInScope(scope, sql`i.external_userid`)}
            ORDER BY invited_at DESC, external_userid LIMIT ${limit}`,
      );
      return rows.map(toInvite);
    },
  };
}
