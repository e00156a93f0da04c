import { describe, expect, it } from 'vitest';
import { assertMayPlaceRm, scopeFor } from '../../src/platform/auth/scope.ts';

describe('scopeFor', () => {
  it('limits RMs to themselves and branch ops to their branch; everyone else sees all', () => {
    expect(scopeFor({ role: 'rm', name: 'rm_wang', branchScope: 'SH001' })).toEqual({
      kind: 'rm',
      rmUserid: 'rm_wang',
    });
    expect(scopeFor({ role: 'ops', name: 'sh ops', branchScope: 'SH001' })).toEqual({
      kind: 'branch',
      branch: 'SH001',
    });
    expect(scopeFor({ role: 'ops', name: 'head office', branchScope: null })).toEqual({ kind: 'all' });
    expect(scopeFor({ role: 'admin', name: 'a', branchScope: 'SH001' })).toEqual({ kind: 'all' });
    expect(scopeFor({ role: 'compliance', name: 'c', branchScope: null })).toEqual({ kind: 'all' });
  });
});

describe('assertMayPlaceRm', () => {
  const shOps = { role: 'ops' as const, name: 'sh ops', branchScope: 'SH001' };
  const hqOps = { role: 'ops' as const, name: 'hq', branchScope: null };
  const admin = { role: 'admin' as const, name: 'admin', branchScope: null };

  it('lets only admin move an RM out of its branch, to another one or to none', () => {
    const inSh = { exists: true, branch: 'SH001' };
    expect(() => assertMayPlaceRm(shOps, inSh, 'BJ001')).toThrow('needs admin');
    expect(() => assertMayPlaceRm(shOps, inSh, null)).toThrow('needs admin');
    expect(() => assertMayPlaceRm(hqOps, inSh, 'BJ001')).toThrow('needs admin');
    expect(() => assertMayPlaceRm(admin, inSh, 'BJ001')).not.toThrow();
    expect(() => assertMayPlaceRm(shOps, inSh, 'SH001')).not.toThrow();
  });

  it('lets branch ops create RMs in their own branch only; head-office ops assign a first branch', () => {
    const absent = { exists: false, branch: null };
    expect(() => assertMayPlaceRm(shOps, absent, 'SH001')).not.toThrow();
    expect(() => assertMayPlaceRm(shOps, absent, 'BJ001')).toThrow('needs admin');
    expect(() => assertMayPlaceRm(shOps, absent, null)).toThrow('needs admin');
    expect(() => assertMayPlaceRm(hqOps, { exists: true, branch: null }, 'BJ001')).not.toThrow();
  });
});
