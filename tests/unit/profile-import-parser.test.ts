import { describe, expect, it } from 'vitest';
import { parseProfileImport } from '../../src/modules/contacts/profile-import.parser.ts';

const bands = ['lt50k', '50k-500k', '500k-6m', 'ge6m'];
const csv = (text: string) => parseProfileImport(text, { format: 'csv', bands, today: '2026-11-22' });
const jsonl = (text: string) => parseProfileImport(text, { format: 'jsonl', bands, today: '2026-11-22' });

describe('profile import parsing', () => {
  it('reads a CSV with tags split on "|", a BOM and blank optional cells', () => {
    const r = csv(
      '\uFEFFexternal_userid,name,birthday,aum_band,risk_level,tags,engagement_score\n' +
        'wm_1,王先生,1980-02-29,500k-6m,C3,基金|定投|基金,72\n' +
        'wm_2,,,lt50k,,,\n',
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          externalUserid: 'wm_1',
          name: '王先生',
          birthday: '1980-02-29',
          aumBand: '500k-6m',
          riskLevel: 'C3',
          tags: ['基金', '定投'],
          engagementScore: 72,
        },
        { line: 3, externalUserid: 'wm_2', aumBand: 'lt50k' },
      ],
    });
  });

  it('reports every bad row by line, field and reason', () => {
    const r = csv(
      'external_userid,birthday,aum_band,risk_level,engagement_score\n' +
        'wm_1,1990-02-30,500k-6m,C3,50\n' +
        'wm_2,2001-01-01,10m,C6,101\n' +
        'wm_1,,lt50k,C1,\n' +
        ',,lt50k,,\n' +
        'wm 5,2030-01-01,lt50k,C2,1.5\n',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rows).toBe(5);
    expect(r.problems).toEqual([
      { line: 2, field: 'birthday', message: 'is not a real date from 1900 on' },
      { line: 3, field: 'aum_band', message: 'must be one of lt50k, 50k-500k, 500k-6m, ge6m' },
      { line: 3, field: 'risk_level', message: 'must be one of C1, C2, C3, C4, C5' },
      { line: 3, field: 'engagement_score', message: expect.stringContaining('100') },
      { line: 4, field: 'external_userid', message: 'duplicate of line 2' },
      { line: 5, field: 'external_userid', message: 'is required' },
      { line: 6, field: 'external_userid', message: 'must be 1–64 letters, digits, "_" or "-"' },
      { line: 6, field: 'birthday', message: 'is in the future' },
      { line: 6, field: 'engagement_score', message: 'must be a whole number' },
    ]);
  });

  it('names an unknown CSV column once, on the header line', () => {
    const r = csv('external_userid,aum,aum_band\nwm_1,9,lt50k\nwm_2,9,lt50k\n');
    expect(r).toMatchObject({
      ok: false,
      problems: [{ line: 1, field: 'aum', message: expect.stringContaining('unknown column') }],
    });
  });

  it('reads JSONL, and stops at a line that is not a JSON object', () => {
    expect(jsonl('{"external_userid":"wm_1","tags":["卡圈"],"aum_band":"ge6m"}\n\n')).toEqual({
      ok: true,
      rows: [{ line: 1, externalUserid: 'wm_1', tags: ['卡圈'], aumBand: 'ge6m' }],
    });
    expect(jsonl('{"external_userid":"wm_1"}\n[1,2]\n')).toEqual({
      ok: false,
      rows: 0,
      problems: [{ line: 2, field: '(file)', message: 'each line must be one JSON object' }],
    });
    expect(jsonl('{"external_userid":"wm_1"\n')).toMatchObject({
      ok: false,
      problems: [{ line: 1, message: 'not valid JSON' }],
    });
  });

  it('rejects an empty file and a malformed CSV', () => {
    expect(csv('external_userid,aum_band\n')).toMatchObject({
      ok: false,
      problems: [{ message: 'has no rows' }],
    });
    expect(csv('external_userid,aum_band\nwm_1,"lt50k\n')).toMatchObject({
      ok: false,
      problems: [{ field: '(file)', message: expect.stringContaining('not valid CSV') }],
    });
  });
});
