import { AppError } from '../errors.ts';
import type { Principal } from './tokens.ts';

/**
 * Which clients, RMs and their conversations, channels and outcomes a principal may see and act on:
 * everything, one branch (its RMs and the clients those RMs own), or one RM's own clients. Repositories
 * turn it into SQL (`modules/contacts/scope-filters.repository.ts`); nothing else decides scope.
 */
export type Scope = { kind: 'all' } | { kind: 'branch'; branch: string } | { kind: 'rm'; rmUserid: string };

/**
 * The one scope decision. An RM token is named after the RM's WeCom userid and sees only that RM's
 * clients; an ops token with a branch sees that branch; admin, compliance and head-office ops (no branch)
 * see everything.
 */
export function scopeFor(p: Pick<Principal, 'role' | 'name' | 'branchScope'>): Scope {
  if (p.role === 'rm') return { kind: 'rm', rmUserid: p.name };
  if (p.role === 'ops' && p.branchScope) return { kind: 'branch', branch: p.branchScope };
  return { kind: 'all' };
}

/**
 * Whether `p` may give an RM currently in `current` (null: no such RM yet, or one with no branch) the
 * branch `next`. Moving an RM out of a branch only an admin may do: it would carry that branch's clients
 * along to whoever sees the new one. Branch ops may create and edit RMs of their own branch only. The
 * caller has already answered 404 for an existing RM outside the principal's scope.
 */
export function assertMayPlaceRm(
  p: Pick<Principal, 'role' | 'name' | 'branchScope'>,
  current: { exists: boolean; branch: string | null },
  next: string | null,
): void {
  if (p.role === 'admin') return;
  if (current.exists && current.branch !== null && current.branch !== next) {
    throw new AppError('forbidden', {
      message: 'moving an RM to another branch needs admin',
      zh: '将客户经理调到其他分行需要管理员权限。',
    });
  }
  const scope = scopeFor(p);
  if (scope.kind === 'branch' && next !== scope.branch) {
    throw new AppError('forbidden', {
      message: `an RM outside branch ${scope.branch} needs admin`,
      zh: `设置分行 ${scope.branch} 以外的客户经理需要管理员权限。`,
    });
  }
}
