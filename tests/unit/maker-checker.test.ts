import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ApprovalStatus,
  type ApprovalStep,
  decideStep,
  type FindingSeverity,
  TRANSITIONS,
} from '../../src/modules/approvals/maker-checker.ts';
import type { Finding } from '../../src/modules/compliance/compliance.service.ts';
import type { Role } from '../../src/platform/db/schema.ts';

type F = { severity: FindingSeverity; rule: string };
const maker = { name: '运营小李', role: 'ops' as Role };
const checker = { name: '合规老王', role: 'compliance' as Role };
const version = (status: ApprovalStatus, findings: F[] = []) => ({ status, author: maker.name, findings });
const decide = (
  step: ApprovalStep,
  status: ApprovalStatus,
  actor: { name: string; role: Role },
  findings: F[] = [],
) => decideStep({ step, current: version(status, findings), actor, subject: 'version 1 of salon-invite' });

const STATUSES: ApprovalStatus[] = ['draft', 'submitted', 'approved', 'rejected'];

describe('maker–checker: the allowed transitions', () => {
  it('lets the maker submit a draft, and a compliance checker approve or reject a submitted version', () => {
    expect(decide('submit', 'draft', maker)).toEqual({ ok: true, from: 'draft', to: 'submitted' });
    expect(decide('approve', 'submitted', checker)).toEqual({ ok: true, from: 'submitted', to: 'approved' });
    expect(decide('reject', 'submitted', checker)).toEqual({ ok: true, from: 'submitted', to: 'rejected' });
  });

  it('refuses every step from any other status as a conflict naming where the version stands', () => {
    for (const step of ['submit', 'approve', 'reject'] as const) {
      const actor = step === 'submit' ? maker : checker;
      const { from } = TRANSITIONS[step];
      for (const status of STATUSES.filter((s) => s !== from)) {
        expect(decide(step, status, actor)).toEqual({
          ok: false,
          code: 'conflict',
          message: `version 1 of salon-invite is ${status}, not ${from}`,
          blocking: [],
        });
      }
    }
  });

  it('names the version "this version" when the caller gives no subject', () => {
    const d = decideStep({ step: 'approve', current: version('draft'), actor: checker });
    expect(d).toMatchObject({ ok: false, message: 'this version is draft, not submitted' });
  });
});

describe('maker–checker: who may take a step', () => {
  it('lets only the author submit, whatever role the other person holds', () => {
    for (const role of ['admin', 'ops', 'compliance'] as const) {
      expect(decide('submit', 'draft', { name: '运营小周', role })).toEqual({
        ok: false,
        code: 'forbidden',
        message: 'only the author (运营小李) can submit version 1 of salon-invite',
        blocking: [],
      });
    }
  });

  it('never lets the maker check their own work, even holding the compliance role', () => {
    const makerAsChecker = { name: maker.name, role: 'compliance' as Role };
    expect(decide('approve', 'submitted', makerAsChecker)).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: 'the maker cannot approve their own work (version 1 of salon-invite)',
    });
    expect(decide('reject', 'submitted', makerAsChecker)).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: 'the maker cannot reject their own work (version 1 of salon-invite)',
    });
  });

  it('needs the compliance role to approve or reject, admin included', () => {
    for (const role of ['admin', 'ops', 'rm'] as const) {
      for (const step of ['approve', 'reject'] as const) {
        expect(decide(step, 'submitted', { name: '行长', role })).toEqual({
          ok: false,
          code: 'forbidden',
          message: `only compliance can ${step} version 1 of salon-invite`,
          blocking: [],
        });
      }
    }
  });

  it('refuses the wrong person before saying where the version stands', () => {
    expect(decide('approve', 'approved', maker)).toMatchObject({ code: 'forbidden' });
    expect(decide('submit', 'submitted', checker)).toMatchObject({ code: 'forbidden' });
  });
});

describe('maker–checker: findings', () => {
  const banned: F = { severity: 'block', rule: 'guaranteed-principal' };
  const mobile: F = { severity: 'warn', rule: 'pii-mobile' };

  it('refuses to approve a version with a blocking finding, listing the blocking ones only', () => {
    expect(decide('approve', 'submitted', checker, [mobile, banned])).toEqual({
      ok: false,
      code: 'conflict',
      message: 'version 1 of salon-invite has 1 blocking finding(s); reject it instead',
      blocking: [banned],
    });
  });

  it('still lets the checker reject it, and approve a version with warnings only', () => {
    expect(decide('reject', 'submitted', checker, [banned])).toMatchObject({ ok: true, to: 'rejected' });
    expect(decide('approve', 'submitted', checker, [mobile])).toMatchObject({ ok: true, to: 'approved' });
  });

  it('lets a draft with blocking findings be submitted: the checker is the one to see them', () => {
    expect(decide('submit', 'draft', maker, [banned])).toMatchObject({ ok: true, to: 'submitted' });
  });

  it("uses the compliance engine's severity words, so its findings need no translation", () => {
    expectTypeOf<Finding['severity']>().toEqualTypeOf<FindingSeverity>();
  });
});
