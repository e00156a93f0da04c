/**
 * PostgreSQL `text` cannot hold U+0000: an INSERT or UPDATE carrying one fails with 22021 (and PGlite with
 * the same error), which for a callback would fail every attempt and every attempt's error write alike.
 * Text Helix did not choose (decrypted payloads, error messages) passes through here before it is stored.
 */

/** The character that takes U+0000's place: U+FFFD REPLACEMENT CHARACTER keeps "something was here" visible. */
export const NUL_REPLACEMENT = '\uFFFD';

/** True when `s` holds a character PostgreSQL text cannot store. */
export function hasNul(s: string): boolean {
  return s.includes('\u0000');
}

/** `s` with every U+0000 replaced by U+FFFD, so it can always be stored; other text is returned as is. */
export function storableText(s: string): string {
  return hasNul(s) ? s.replaceAll('\u0000', NUL_REPLACEMENT) : s;
}

/**
 * Makes every string and object key inside a freshly parsed JSON or XML value storable, in place, and
 * returns it. The walk uses an explicit stack, so a deeply nested value cannot overflow the call stack.
 */
export function makeStorableDeep<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  const stack: unknown[] = [value];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'string') v[i] = storableText(item);
        else if (typeof item === 'object' && item !== null) stack.push(item);
      }
    } else if (typeof v === 'object' && v !== null) {
      const obj = v as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const item = obj[key];
        const fixed = typeof item === 'string' ? storableText(item) : item;
        if (hasNul(key)) {
          delete obj[key];
          obj[storableText(key)] = fixed;
        } else if (fixed !== item) obj[key] = fixed;
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return value;
}
