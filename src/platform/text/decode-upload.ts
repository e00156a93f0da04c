import iconv from 'iconv-lite';

/** The encodings an uploaded text file may arrive in. */
export type UploadEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** A decoded upload, or why its bytes are not text Helix can trust. */
export type DecodedUpload =
  | { ok: true; text: string; encoding: UploadEncoding }
  | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Characters that never occur in a data file someone typed: NUL and the C0 controls other than tab, LF and
// CR. A decode that produces them means the bytes were binary or in an encoding we guessed wrongly.
function firstControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
  }
  return -1;
}

/**
 * Decodes an uploaded text file (CSV, TSV, JSONL) by looking at its bytes, never at what the sender claims:
 * Excel in China saves GB18030 (GBK) by default and browsers label such files text/csv without a charset.
 *
 * - a UTF-8 BOM, or bytes that are valid UTF-8: UTF-8 (the BOM dropped);
 * - a UTF-16 BOM: UTF-16 in that byte order;
 * - otherwise GB18030, accepted only when the decoding is clean: no replacement characters and the text
 *   encodes back to exactly the same bytes.
 *
 * A replacement character (U+FFFD) or control character in the result is refused in every case, so text
 * that was already mojibake when it was saved is not stored either.
 */
export function decodeUpload(bytes: Uint8Array): DecodedUpload {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const text = tryUtf8(buf.subarray(3));
    return text === null
      ? { ok: false, message: 'the file starts with a UTF-8 byte order mark but is not valid UTF-8' }
      : checked(text, 'utf-8');
  }
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    const encoding = buf[0] === 0xff ? 'utf-16le' : 'utf-16be';
    if (buf.length % 2 !== 0) {
      return {
        ok: false,
        message: `the file starts with a ${encoding} byte order mark but has an odd length`,
      };
    }
    return checked(iconv.decode(buf.subarray(2), encoding, { stripBOM: false }), encoding);
  }
  const text = tryUtf8(buf);
  if (text !== null) return checked(text, 'utf-8');
  const gb = iconv.decode(buf, 'gb18030', { stripBOM: false });
  if (!gb.includes('\uFFFD') && iconv.encode(gb, 'gb18030').equals(buf)) return checked(gb, 'gb18030');
  const at = firstInvalidUtf8(buf);
  return {
    ok: false,
    message:
      `the file is not text in a supported encoding (UTF-8, UTF-16 with a byte order mark, or GB18030/GBK): ` +
      `invalid byte 0x${(buf[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at}; ` +
      'save it again as "CSV UTF-8"',
  };
}

function tryUtf8(buf: Buffer): string | null {
  try {
    return utf8.decode(buf);
  } catch {
    return null;
  }
}

function checked(text: string, encoding: UploadEncoding): DecodedUpload {
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    return {
      ok: false,
      message: `the ${encoding} file contains a replacement character (�) at character ${bad}: it was damaged by an earlier wrong conversion`,
    };
  }
  const control = firstControl(text);
  if (control >= 0) {
    const code = text.charCodeAt(control).toString(16).padStart(4, '0');
    return {
      ok: false,
      message: `the ${encoding} file contains control character U+${code} at character ${control}: it is not a text file`,
    };
  }
  return { ok: true, text, encoding };
}

/** The offset of the first byte that breaks UTF-8, to point the user at the problem. */
function firstInvalidUtf8(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  // The longest valid prefix, found by bisection: decoding is cheap and the file is already in memory.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tryUtf8Prefix(buf.subarray(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function tryUtf8Prefix(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf, { stream: true });
    return true;
  } catch {
    return false;
  }
}
