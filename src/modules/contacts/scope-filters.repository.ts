import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';

// The contacts module's SQL on its own tables (rms, clients, channels), as conditions other modules'
// repositories embed to filter by branch scope.
//
// Each condition is built from EXISTS or COALESCE so it is never NULL: `NOT inScope` must also hold for
// a client without an owner or an RM without a branch. Pass columns qualified with their table alias
// (`r.userid`, not `userid`): inside the EXISTS subqueries a bare name would bind to the subquery's table.

/** SQL that is true when the RM whose userid `rmUserid` yields is within `scope`. */
export function rmInScope(scope: Scope, rmUserid: SQL): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`TRUE`;
    case 'rm':
      return sql`COALESCE(${rmUserid} = ${scope.rmUserid}, FALSE)`;
    case 'branch':
      return sql`EXISTS (SELECT 1 FROM rms scope_r WHERE scope_r.userid = ${rmUserid}
                         AND scope_r.branch = ${scope.branch})`;
  }
}

/** SQL that is true when the client whose external userid `clientUserid` yields is within `scope`. */
export function clientInScope(scope: Scope, clientUserid: SQL): SQL {
  if (scope.kind === 'all') return sql`TRUE`;
  return sql`EXISTS (SELECT 1 FROM clients scope_c WHERE scope_c.external_userid = ${clientUserid}
                     AND ${rmInScope(scope, sql`scope_c.owner_rm`)})`;
}

/**
 * SQL that is true when every RM of the channel whose `rm_userids` array `rmUserids` yields is within
 * `scope`: a channel that also brings clients to another branch's RM belongs to neither branch alone.
 */
export function channelInScope(scope: Scope, rmUserids: SQL): SQL {
  if (scope.kind === 'all') return sql`TRUE`;
  return sql`(cardinality(${rmUserids}) > 0 AND NOT EXISTS (
                SELECT 1 FROM unnest(${rmUserids}) AS scope_u(userid)
                WHERE NOT ${rmInScope(scope, sql`scope_u.userid`)}))`;
}

/** SQL that is true when the channel whose id `channelId` yields is within `scope` (see `channelInScope`). */
export function channelIdInScope(scope: Scope, channelId: SQL): SQL {
  if (scope.kind === 'all') return sql`TRUE`;
  return sql`EXISTS (SELECT 1 FROM channels scope_ch WHERE scope_ch.id = ${channelId}
                     AND ${channelInScope(scope, sql`scope_ch.rm_userids`)})`;
}

/**
 * SQL yielding the branch of the client whose external userid `clientUserid` yields: its owner RM's branch,
 * or '' for a client without an owner, an owner without a branch, or no such client. Never NULL, so a
 * per-branch aggregate can key on it.
 */
export function clientBranchOf(clientUserid: SQL): SQL {
  return sql`COALESCE((SELECT scope_r.branch FROM clients scope_c JOIN rms scope_r ON scope_r.userid = scope_c.owner_rm
                       WHERE scope_c.external_userid = ${clientUserid}), '')`;
}
