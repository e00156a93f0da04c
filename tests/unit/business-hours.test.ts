import { describe, expect, it } from 'vitest';
import { businessDeadline } from '../../src/modules/conversations/business-hours.ts';
import { createHolidayCalendar } from '../../src/platform/calendar/holidays.ts';

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

  describe('with the holiday calendar', () => {
    const withCalendar = { ...hours, isWorkday: createHolidayCalendar().isWorkday };

    it('skips 国庆: 17:50 on the last workday before it is due on the first workday after', () => {
      // Wednesday 30 September 2026; 1–7 October are off; Thursday 8 October is back at work.
      expect(businessDeadline(sh('2026-09-30T17:50:00'), 30, withCalendar)).toEqual(
        sh('2026-10-08T09:20:00'),
      );
      // Without the calendar the weekday list alone would make it due on 国庆 itself.
      expect(businessDeadline(sh('2026-09-30T17:50:00'), 30, hours)).toEqual(sh('2026-10-01T09:20:00'));
    });

    it('counts a 调休 weekend day as a working day', () => {
      // Friday 9 October → Saturday 10 October, worked in lieu of 国庆.
      expect(businessDeadline(sh('2026-10-09T17:50:00'), 30, withCalendar)).toEqual(
        sh('2026-10-10T09:20:00'),
      );
      // Friday 18 September → Sunday 20 September (Saturday 19th stays off).
      expect(businessDeadline(sh('2026-09-18T17:50:00'), 30, withCalendar)).toEqual(
        sh('2026-09-20T09:20:00'),
      );
      // An ordinary weekend is still off.
      expect(businessDeadline(sh('2026-11-27T20:00:00'), 30, withCalendar)).toEqual(
        sh('2026-11-30T09:30:00'),
      );
    });
  });
});
