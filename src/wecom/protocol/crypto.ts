import { createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { getSignature, encrypt as wecomEncrypt } from '@wecom/crypto';

/**
 * WeCom's callback envelope crypto (docs/wecom.md "Callback crypto"; developer.work.weixin.qq.com/document/path/91144).
 *
 * Signing and encryption use @wecom/crypto. Decryption does not: its `decrypt` accepts out-of-range padding,
 * never bounds the length field and returns no raw buffer to check afterwards, so a corrupt or truncated
 * ciphertext can decode to a plausible message (with the AI bot's empty receive id it would even pass the id
 * check). `openCiphertext` performs the same AES-256-CBC decryption with node:crypto and checks all three;
 * tests cross-check it against @wecom/crypto in both directions.
 */

/** A protocol failure with the WXBizMsgCrypt error it corresponds to. */
export class EnvelopeError extends Error {
  constructor(
    readonly reason:
      | 'invalid_signature'
      // Not a WXBizMsgCrypt error: the signed query parameters themselves do not percent-decode.
      | 'invalid_query_encoding'
      | 'invalid_base64'
      | 'invalid_block'
      | 'invalid_padding'
      | 'invalid_length'
      | 'receive_id_mismatch'
      | 'stale_timestamp'
      | 'invalid_aes_key',
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

/** The key material derived once from an EncodingAESKey. */
export type CipherKey = { encodingAesKey: string; key: Buffer; iv: Buffer };

/** Derives the AES key and IV from a 43-character EncodingAESKey. */
export function deriveKey(encodingAesKey: string): CipherKey {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (encodingAesKey.length !== 43 || key.length !== 32) {
    throw new EnvelopeError('invalid_aes_key', 'EncodingAESKey must be 43 base64 characters (32 bytes)');
  }
  return { encodingAesKey, key, iv: key.subarray(0, 16) };
}

/** sha1 over the sorted [token, timestamp, nonce, encrypt], lowercase hex. */
export function sign(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return getSignature(token, timestamp, nonce, encrypt);
}

/** Constant-time check of `msgSignature` against the expected signature. */
export function verifySignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  msgSignature: string,
): boolean {
  const expected = Buffer.from(sign(token, timestamp, nonce, encrypt), 'utf8');
  const given = Buffer.from(msgSignature, 'utf8');
  // Length differs only for malformed input; comparing equal-length buffers keeps the check constant-time.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// WeCom pads to multiples of 32 bytes, not AES's 16.
const BLOCK = 32;

/**
 * Decrypts `encrypt` and returns the message, after checking the padding (1..32, all bytes equal), the
 * length field (within the plaintext, and at most `maxMessageBytes`) and the trailing receive id.
 */
export function openCiphertext(
  k: CipherKey,
  encrypt: string,
  expectedReceiveId: string,
  maxMessageBytes: number,
): string {
  if (!BASE64.test(encrypt) || encrypt.length % 4 !== 0) {
    throw new EnvelopeError('invalid_base64', 'ciphertext is not base64');
  }
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new EnvelopeError(
      'invalid_block',
      `ciphertext length ${data.length} is not a multiple of ${BLOCK}`,
    );
  }
  const decipher = createDecipheriv('aes-256-cbc', k.key, k.iv);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || pad > plain.length) {
    throw new EnvelopeError('invalid_padding', `padding byte ${pad} is outside 1..${BLOCK}`);
  }
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) throw new EnvelopeError('invalid_padding', 'padding bytes differ');
  }
  const content = plain.subarray(0, plain.length - pad);
  if (content.length < 20) throw new EnvelopeError('invalid_length', 'plaintext is shorter than its header');
  const length = content.readUInt32BE(16);
  if (length > maxMessageBytes || 20 + length > content.length) {
    throw new EnvelopeError('invalid_length', `message length ${length} does not fit the plaintext`);
  }
  const receiveId = content.subarray(20 + length).toString('utf8');
  if (receiveId !== expectedReceiveId) {
    throw new EnvelopeError('receive_id_mismatch', 'receive id does not match this corp or bot');
  }
  return content.subarray(20, 20 + length).toString('utf8');
}

/** Encrypts `message` for `receiveId` (WeCom's layout: random16 ‖ len ‖ message ‖ receiveId, PKCS#7/32). */
export function sealMessage(
  k: CipherKey,
  message: string,
  receiveId: string,
  random: Buffer = randomBytes(16),
): string {
  return wecomEncrypt(k.encodingAesKey, message, receiveId, random);
}

/** Checks the callback timestamp against a replay window; `windowS` 0 disables the check. */
export function checkReplayWindow(timestamp: string, nowMs: number, windowS: number): void {
  if (windowS <= 0) return;
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(nowMs / 1000 - ts) > windowS) {
    throw new EnvelopeError('stale_timestamp', `timestamp is outside the ${windowS}s replay window`);
  }
}
