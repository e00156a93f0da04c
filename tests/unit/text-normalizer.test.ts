import { describe, expect, it } from 'vitest';
import {
  normalizeForMatching,
  normalizeForSearch,
  normalizePhrase,
  originalSpan,
  toSimplified,
} from '../../src/platform/text/normalize.ts';

describe('traditional to simplified', () => {
  it('converts by phrase, not only by character, and leaves simplified text as it is', () => {
    expect(toSimplified('這款理財產品穩賺不賠')).toBe('这款理财产品稳赚不赔');
    // 乾 is 干 in 乾淨 but stays in a name; a character table cannot tell them apart.
    expect(toSimplified('乾淨的乾隆通寶')).toBe('干净的乾隆通宝');
    const simplified = '怎么开通手机银行，余额在哪里看，着急用钱';
    expect(toSimplified(simplified)).toBe(simplified);
  });
});

describe('normalising for matching', () => {
  it('meets one form however the text was typed', () => {
    const forms = ['穩賺不賠', '稳 赚·不-赔', '穩\u200b賺，不賠', '稳赚不赔'];
    expect(new Set(forms.map(normalizePhrase))).toEqual(new Set(['稳赚不赔']));
    expect(normalizePhrase('ＡＴＭ機１００％')).toBe('atm机100%');
  });

  it('points every unit back at the original, across dropped, widened and surrogate-pair characters', () => {
    const original = '尊敬的客戶：本產品㈱ 𠀀穩 賺！';
    const norm = normalizeForMatching(original);
    expect(norm.text).toBe('尊敬的客户本产品株𠀀稳赚');
    const at = norm.text.indexOf('稳赚');
    expect(original.slice(...originalSpan(norm, at, 2))).toBe('穩 賺');
    // A character outside the BMP is two UTF-16 units in both texts; its span covers both.
    const rare = norm.text.indexOf('𠀀');
    expect(original.slice(...originalSpan(norm, rare, 2))).toBe('𠀀');
    expect(original.slice(...originalSpan(norm, norm.text.indexOf('株'), 1))).toBe('㈱');
  });
});

describe('normalising for search', () => {
  it('keeps words apart, numbers whole and traditional questions equal to simplified ones', () => {
    expect(normalizeForSearch('信用卡丟了怎麼掛失？？')).toBe(normalizeForSearch('信用卡丢了怎么挂失'));
    expect(normalizeForSearch('ＡＴＭ機  轉帳限額：1,000.50元！！')).toBe('atm机 转账限额 100050元');
    expect(normalizeForSearch('   ')).toBe('');
  });
});
