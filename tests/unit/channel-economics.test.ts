import { describe, expect, it } from 'vitest';
import { figures } from '../../src/modules/channel-economics/channel-economics.report.ts';
import { parseRevenueCsv } from '../../src/modules/channel-economics/revenue-import.parser.ts';

const now = new Date('2026-03-15T04:00:00Z');
const parse = (text: string) => parseRevenueCsv(text, { timeZone: 'Asia/Shanghai', now });

describe('revenue file parser', () => {
  it('takes a bare date as local midnight in the business time zone, and columns in any order', () => {
    const out = parse('ref,occurred_at,amount,external_userid\nR1,2026-02-01,12.5,wm_a\n');
    expect(out.problems).toEqual([]);
    expect(out.lines).toEqual([
      {
        line: 2,
        ref: 'R1',
        externalUserid: 'wm_a',
        amount: '12.5',
        occurredAt: new Date('2026-01-31T16:00:00Z'),
      },
    ]);
  });

  it('names a missing column on the header line and refuses a future date', () => {
    expect(parse('external_userid,amount,ref\nwm_a,1,R1\n').problems).toEqual([
      { line: 1, field: 'occurred_at', message: 'missing column' },
    ]);
    expect(parse('external_userid,amount,occurred_at,ref\nwm_a,1,2026-04-01,R1\n').problems).toEqual([
      { line: 2, field: 'occurred_at', message: 'is in the future' },
    ]);
  });
});

describe('AAC and LROI', () => {
  it('are null with a note instead of dividing by zero', () => {
    expect(figures({ acquired: 3, activated: 0, cost: 0, reach: null, revenue: 0 })).toEqual({
      acquired: 3,
      activated: 0,
      cost: 0,
      reach: null,
      revenue: 0,
      aac: null,
      aacNote: 'no activations',
      lroi: null,
      lroiNote: 'no cost entered',
    });
    expect(figures({ acquired: 5, activated: 3, cost: 1000, reach: 10, revenue: 250 })).toMatchObject({
      aac: 333.33,
      lroi: 0.25,
    });
  });
});
