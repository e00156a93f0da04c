import { describe, expect, it } from 'vitest';
import { businessDeadline } from '../../src/modules/conversations/business-hours.ts';

const hours = { open: '09:00', close: '18:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Shanghai' };
// Shanghai is UTC+8 all year.
const sh = (iso: string) => new Date(`${iso}+08:00`);

describe('business-hours SLA deadline', () => {
  it('counts only business minutes: within a day, across the evening, and over a weekend', () => {
    expect(businessDeadline(sh('2026-11-23T10:00:00'), 30, hours)).toEqual(sh('2026-11-23T10:30:00'));
    expect(businessDeadline(sh('2026-11-23T17:50:00'), 30, hours)).toEqual(sh('2026-11-24T09:20:00'));
    // Friday 20:00 → Monday 09:30.
    expect(businessDeadline(sh('2026-11-27T20:00:00'), 30, hours)).toEqual(sh('2026-11-30T09:30:00'));
    // Sunday morning → Monday.
    expect(businessDeadline(sh('2026-11-29T08:00:00'), 60, hours)).toEqual(sh('2026-11-30T10:00:00'));
  });
});
