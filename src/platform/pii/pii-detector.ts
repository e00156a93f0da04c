/** A piece of personal data found in a text: what it is, where (UTF-16 offsets, end exclusive), its mask. */
export type PiiMatch = {
  type: 'id-number' | 'bank-card' | 'mobile' | 'email';
  start: number;
  end: number;
  mask: string;
};

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check digit and a real birth date: a mainland 18-character resident ID number. */
export function isValidIdNumber(id: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/i.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] as number);
  if (ID_CHECK[sum % 11] !== id[17]?.toUpperCase()) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The Luhn check bank cards carry. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

// Digit runs are anchored so that digits inside a longer run never match on their own.
const ID_RE = /(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])/g;
const CARD_RE = /(?<![\d-])\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![\d-])/g;
const MOBILE_RE = /(?<![\d+])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g;
const EMAIL_RE =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![A-Za-z0-9])/g;

const ID_SHAPE = /^[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])/;

const stars = (n: number) => '*'.repeat(Math.max(0, n));

/**
 * Finds ID numbers (checksum and date verified), bank cards (13–19 digits, Luhn), mainland mobile numbers
 * and e-mail addresses, each with a mask that keeps a little for humans: `110105********123X`,
 * `6222********1234`, `138****5678`, `z***@example.com`. Overlaps resolve in that order of priority.
 */
export function detectPii(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  const taken = (s: number, e: number) => found.some((f) => s < f.end && e > f.start);
  for (const m of text.matchAll(ID_RE)) {
    if (!isValidIdNumber(m[0])) continue;
    found.push({
      type: 'id-number',
      start: m.index,
      end: m.index + 18,
      mask: `${m[0].slice(0, 6)}${stars(8)}${m[0].slice(14)}`,
    });
  }
  for (const m of text.matchAll(CARD_RE)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (
      digits.length < 13 ||
      digits.length > 19 ||
      !passesLuhn(digits) ||
      taken(m.index, m.index + m[0].length)
    )
      continue;
    // An ID-shaped number with a wrong check digit is a mistyped ID, not a card.
    if (digits.length === 18 && ID_SHAPE.test(digits)) continue;
    found.push({
      type: 'bank-card',
      start: m.index,
      end: m.index + m[0].length,
      mask: `${digits.slice(0, 4)}${stars(digits.length - 8)}${digits.slice(-4)}`,
    });
  }
  for (const m of text.matchAll(MOBILE_RE)) {
    if (taken(m.index, m.index + m[0].length)) continue;
    const digits = m[0].replace(/\D/g, '').slice(-11);
    found.push({
      type: 'mobile',
      start: m.index,
      end: m.index + m[0].length,
      mask: `${digits.slice(0, 3)}****${digits.slice(7)}`,
    });
  }
  for (const m of text.matchAll(EMAIL_RE)) {
    const at = m[0].indexOf('@');
    found.push({
      type: 'email',
      start: m.index,
      end: m.index + m[0].length,
      mask: `${m[0][0]}***${m[0].slice(at)}`,
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Replaces every match with its mask. */
export function applyMasks(text: string, matches: readonly PiiMatch[]): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + m.mask;
    at = m.end;
  }
  return out + text.slice(at);
}

/** The text with every ID number, bank card, mobile and e-mail address replaced by its mask. */
export function maskPii(text: string): string {
  const matches = detectPii(text);
  return matches.length === 0 ? text : applyMasks(text, matches);
}
