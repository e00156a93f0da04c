import { describe, expect, it } from 'vitest';
import { isReferralState } from '../../src/modules/contacts/contacts.inbound.ts';
import { newReferralState } from '../../src/modules/referral/referral.service.ts';

describe('referral states', () => {
  it('are "rf-" and 16 base32 characters, within WeCom\'s 30, and recognised as referral states', () => {
    expect(newReferralState(Buffer.alloc(10, 0))).toBe('rf-aaaaaaaaaaaaaaaa');
    expect(newReferralState(Buffer.alloc(10, 0xff))).toBe('rf-7777777777777777');
    const states = new Set(Array.from({ length: 1000 }, () => newReferralState()));
    expect(states.size).toBe(1000);
    for (const s of states) {
      expect(s).toMatch(/^rf-[a-z2-7]{16}$/);
      expect(s.length).toBeLessThanOrEqual(30);
      expect(isReferralState(s)).toBe(true);
    }
    expect(isReferralState('ch-metro')).toBe(false);
  });
});
