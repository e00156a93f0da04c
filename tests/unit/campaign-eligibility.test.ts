import { describe, expect, it } from 'vitest';
import {
  type ClientFacts,
  type EligibilityRules,
  inQuietHours,
  type RecentCounts,
  SKIP_REASONS,
  skipFor,
} from '../../src/modules/campaigns/eligibility.ts';

const client = (overrides: Partial<ClientFacts> = {}): ClientFacts => ({
  optedOut: false,
  ownerRm: 'rm-wang',
  riskLevel: 'C3',
  ...overrides,
});

const counts = (overrides: Partial<RecentCounts> = {}): RecentCounts => ({
  today: 0,
  week: 0,
  wecomWindow: 0,
  ...overrides,
});

const rules = (overrides: Partial<EligibilityRules> = {}): EligibilityRules => ({
  dailyCap: 2,
  weeklyCap: 7,
  wecomCap: 1,
  inQuietHours: false,
  channel: 'single',
  ...overrides,
});

const CHANNELS = ['single', 'group', 'moment', 'app', 'robot'] as const;

describe('skipFor', () => {
  it('lets an ordinary client through', () => {
    expect(skipFor(client(), counts(), rules())).toBeUndefined();
    expect(skipFor(client(), counts(), rules({ productRisk: 'R3' }))).toBeUndefined();
  });

  it('returns only codes from SKIP_REASONS', () => {
    const worst = skipFor(client({ optedOut: true }), counts(), rules());
    expect(SKIP_REASONS).toContain(worst);
  });

  it('gives the first reason in order: opt-out, owner, risk, daily, weekly, WeCom cap, quiet hours', () => {
    // Every rule fails at once; clearing the failures one by one walks the order.
    type State = { c: ClientFacts; n: RecentCounts; r: EligibilityRules };
    const steps: [string, (s: State) => State][] = [
      ['opted_out', (s) => ({ ...s, c: { ...s.c, optedOut: false } })],
      ['no_owner_rm', (s) => ({ ...s, c: { ...s.c, ownerRm: 'rm-wang' } })],
      ['unsuitable_risk', (s) => ({ ...s, c: { ...s.c, riskLevel: 'C5' } })],
      ['daily_cap', (s) => ({ ...s, n: { ...s.n, today: 0 } })],
      ['weekly_cap', (s) => ({ ...s, n: { ...s.n, week: 0 } })],
      ['wecom_cap', (s) => ({ ...s, n: { ...s.n, wecomWindow: 0 } })],
      ['quiet_hours', (s) => ({ ...s, r: { ...s.r, inQuietHours: false } })],
    ];
    let s: State = {
      c: client({ optedOut: true, ownerRm: null, riskLevel: 'C1' }),
      n: counts({ today: 5, week: 20, wecomWindow: 3 }),
      r: rules({ productRisk: 'R4', inQuietHours: true }),
    };
    for (const [reason, clear] of steps) {
      expect(skipFor(s.c, s.n, s.r)).toBe(reason);
      s = clear(s);
    }
    expect(skipFor(s.c, s.n, s.r)).toBeUndefined();
  });

  it('puts an opt-out before everything, on every channel', () => {
    for (const channel of CHANNELS)
      expect(skipFor(client({ optedOut: true }), counts(), rules({ channel }))).toBe('opted_out');
  });

  it('puts unsuitable risk before the caps and quiet hours', () => {
    const r = rules({ productRisk: 'R5', inQuietHours: true });
    expect(skipFor(client({ riskLevel: 'C2' }), counts({ today: 9, week: 9, wecomWindow: 9 }), r)).toBe(
      'unsuitable_risk',
    );
  });

  it('puts the caps before quiet hours', () => {
    const r = rules({ inQuietHours: true });
    expect(skipFor(client(), counts({ today: 2 }), r)).toBe('daily_cap');
    expect(skipFor(client(), counts({ week: 7 }), r)).toBe('weekly_cap');
    expect(skipFor(client(), counts({ wecomWindow: 1 }), r)).toBe('wecom_cap');
    expect(skipFor(client(), counts(), r)).toBe('quiet_hours');
  });

  it('needs an owner RM for 1:1 sends only', () => {
    expect(skipFor(client({ ownerRm: null }), counts(), rules({ channel: 'single' }))).toBe('no_owner_rm');
    for (const channel of ['group', 'moment', 'app', 'robot'] as const)
      expect(skipFor(client({ ownerRm: null }), counts(), rules({ channel }))).toBeUndefined();
  });

  it('lets a Cn client receive products rated R1 to Rn: C3 covers R1–R3 but not R4', () => {
    const c3 = client({ riskLevel: 'C3' });
    for (const risk of ['R1', 'R2', 'R3'])
      expect(skipFor(c3, counts(), rules({ productRisk: risk }))).toBeUndefined();
    expect(skipFor(c3, counts(), rules({ productRisk: 'R4' }))).toBe('unsuitable_risk');
    expect(skipFor(c3, counts(), rules({ productRisk: 'R5' }))).toBe('unsuitable_risk');
    expect(skipFor(client({ riskLevel: 'C1' }), counts(), rules({ productRisk: 'R1' }))).toBeUndefined();
    expect(skipFor(client({ riskLevel: 'C1' }), counts(), rules({ productRisk: 'R2' }))).toBe(
      'unsuitable_risk',
    );
    expect(skipFor(client({ riskLevel: 'C5' }), counts(), rules({ productRisk: 'R5' }))).toBeUndefined();
  });

  it('skips a client with no risk level when the content carries a product risk', () => {
    expect(skipFor(client({ riskLevel: null }), counts(), rules({ productRisk: 'R1' }))).toBe(
      'no_risk_level',
    );
    expect(skipFor(client({ riskLevel: '' }), counts(), rules({ productRisk: 'R1' }))).toBe('no_risk_level');
    // On any channel: suitability does not depend on how the content arrives.
    expect(
      skipFor(client({ riskLevel: null }), counts(), rules({ productRisk: 'R1', channel: 'group' })),
    ).toBe('no_risk_level');
  });

  it('lets any client, rated or not, receive content with no product risk', () => {
    for (const riskLevel of [null, 'C1', 'C3', 'C5'])
      for (const productRisk of [undefined, ''])
        expect(skipFor(client({ riskLevel }), counts(), rules({ productRisk }))).toBeUndefined();
  });

  it('applies the daily cap at its threshold: cap − 1 passes, cap skips', () => {
    expect(skipFor(client(), counts({ today: 1 }), rules({ dailyCap: 2 }))).toBeUndefined();
    expect(skipFor(client(), counts({ today: 2 }), rules({ dailyCap: 2 }))).toBe('daily_cap');
    expect(skipFor(client(), counts({ today: 3 }), rules({ dailyCap: 2 }))).toBe('daily_cap');
  });

  it('applies the weekly cap at its threshold: cap − 1 passes, cap skips', () => {
    const r = rules({ dailyCap: 100, weeklyCap: 7 });
    expect(skipFor(client(), counts({ today: 0, week: 6 }), r)).toBeUndefined();
    expect(skipFor(client(), counts({ today: 0, week: 7 }), r)).toBe('weekly_cap');
  });

  it('applies the daily and weekly caps on every channel', () => {
    for (const channel of CHANNELS) {
      expect(skipFor(client(), counts({ today: 2 }), rules({ channel }))).toBe('daily_cap');
      expect(skipFor(client(), counts({ week: 7 }), rules({ channel }))).toBe('weekly_cap');
    }
  });

  it("applies WeCom's mass-message cap at its threshold, to 1:1 and group mass messages only", () => {
    for (const channel of ['single', 'group'] as const) {
      const r = rules({ wecomCap: 3, channel });
      expect(skipFor(client(), counts({ wecomWindow: 2 }), r)).toBeUndefined();
      expect(skipFor(client(), counts({ wecomWindow: 3 }), r)).toBe('wecom_cap');
    }
    // Moments, app and robot posts are not add_msg_template mass messages: WeCom's cap is not theirs.
    for (const channel of ['moment', 'app', 'robot'] as const)
      expect(skipFor(client(), counts({ wecomWindow: 3 }), rules({ wecomCap: 3, channel }))).toBeUndefined();
  });

  it('skips in quiet hours when the rules say the occurrence is inside them', () => {
    expect(skipFor(client(), counts(), rules({ inQuietHours: true }))).toBe('quiet_hours');
    expect(skipFor(client(), counts(), rules({ inQuietHours: false }))).toBeUndefined();
  });
});

describe('inQuietHours', () => {
  const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const night = { start: '22:00', end: '08:00' };

  it('wraps midnight: 22:00–08:00 holds 22:00, 23:30, 00:00 and 07:59', () => {
    for (const t of ['22:00', '23:30', '23:59', '00:00', '07:59'])
      expect(inQuietHours(at(t), night), t).toBe(true);
  });

  it('wraps midnight: 22:00–08:00 leaves out 08:00, 12:00 and 21:59', () => {
    for (const t of ['08:00', '12:00', '21:59']) expect(inQuietHours(at(t), night), t).toBe(false);
  });

  it('handles a window that does not wrap: 12:00–14:00 holds 12:00 and 13:59, not 11:59 or 14:00', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(inQuietHours(at('12:00'), lunch)).toBe(true);
    expect(inQuietHours(at('13:59'), lunch)).toBe(true);
    expect(inQuietHours(at('11:59'), lunch)).toBe(false);
    expect(inQuietHours(at('14:00'), lunch)).toBe(false);
    expect(inQuietHours(at('23:00'), lunch)).toBe(false);
  });

  it('reads minutes as well as hours (21:30–07:45)', () => {
    const q = { start: '21:30', end: '07:45' };
    expect(inQuietHours(at('21:29'), q)).toBe(false);
    expect(inQuietHours(at('21:30'), q)).toBe(true);
    expect(inQuietHours(at('07:44'), q)).toBe(true);
    expect(inQuietHours(at('07:45'), q)).toBe(false);
  });

  it('treats equal start and end as no quiet hours at all', () => {
    for (const t of ['00:00', '08:00', '08:01', '23:59'])
      expect(inQuietHours(at(t), { start: '08:00', end: '08:00' }), t).toBe(false);
  });
});
