import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import {
  type CipherKey,
  checkReplayWindow,
  deriveKey,
  EnvelopeError,
  openCiphertext,
  sealMessage,
  sign,
  verifySignature,
} from './crypto.ts';
import { cdata, parseWecomXml, scanFirstElementText, XmlError } from './xml.ts';

/** The query WeCom signs a callback with. */
export type CallbackQuery = { msg_signature?: string; timestamp?: string; nonce?: string; echostr?: string };

/** How an endpoint's envelope is framed: XML for the self-built app, JSON for the AI bot. */
export type EnvelopeFormat = 'xml' | 'json';

/** Verifies, decrypts and builds replies for one callback endpoint (one token, key and receive id). */
export type CallbackCodec = ReturnType<typeof createCallbackCodec>;

/**
 * Reads the query string of `url` decoding each value once with decodeURIComponent. WeCom's base64 values
 * contain '+', which form-decoding (URLSearchParams, Express's parser) would wrongly turn into a space.
 */
export function parseCallbackQuery(url: string): CallbackQuery {
  const q = url.indexOf('?');
  const out: Record<string, string> = {};
  if (q < 0) return out;
  for (const part of url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key !== 'msg_signature' && key !== 'timestamp' && key !== 'nonce' && key !== 'echostr') continue;
    try {
      out[key] = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      throw new EnvelopeError(
        'invalid_query_encoding',
        `query parameter ${key} is not valid percent-encoding`,
      );
    }
  }
  return out;
}

/**
 * Extracts the Encrypt field from an envelope body before its signature is checked, so the work an unsigned
 * request can cause stays linear in its (bounded) size: the XML envelope is scanned, not parsed; the JSON
 * one goes through JSON.parse, which is native, iterative and linear. Throws XmlError/JsonError.
 */
export function extractEncrypt(format: EnvelopeFormat, body: string): string {
  if (format === 'xml') {
    const encrypt = scanFirstElementText(body, 'Encrypt');
    if (encrypt === undefined || encrypt === '') throw new XmlError('envelope has no <Encrypt>');
    return encrypt;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new JsonError('envelope is not valid JSON');
  }
  const encrypt = (parsed as { encrypt?: unknown } | null)?.encrypt;
  if (typeof encrypt !== 'string' || encrypt === '') throw new JsonError('envelope has no "encrypt" string');
  return encrypt;
}

/**
 * Checks, once the signature is known good, that the XML envelope is a well-formed document whose Encrypt
 * is the one the scan found (the scan would also find an `<Encrypt>` hidden inside another element).
 */
function confirmXmlEnvelope(body: string, encrypt: string): void {
  const root = parseWecomXml(body);
  if (root.Encrypt !== encrypt) throw new XmlError('envelope must hold exactly one top-level <Encrypt>');
}

/** Raised for a JSON body Helix cannot read. */
export class JsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonError';
  }
}

/** Creates the codec for an endpoint. `receiveId` is the CorpID for the app and "" for the AI bot. */
export function createCallbackCodec(opts: {
  token: string;
  encodingAesKey: string;
  receiveId: string;
  format: EnvelopeFormat;
  replayWindowS: number;
  maxMessageBytes: number;
  clock: Clock;
}) {
  const key: CipherKey = deriveKey(opts.encodingAesKey);

  const requireSigned = (q: CallbackQuery, encrypt: string) => {
    const { msg_signature: sig, timestamp, nonce } = q;
    if (!sig || !timestamp || !nonce) {
      throw new EnvelopeError('invalid_signature', 'msg_signature, timestamp and nonce are required');
    }
    if (!verifySignature(opts.token, timestamp, nonce, encrypt, sig)) {
      throw new EnvelopeError('invalid_signature', 'signature does not match');
    }
    checkReplayWindow(timestamp, opts.clock.now().getTime(), opts.replayWindowS);
  };

  return {
    format: opts.format,
    /** GET URL check: verifies and decrypts echostr, returning the plaintext to echo back verbatim. */
    verifyUrl(q: CallbackQuery): string {
      if (!q.echostr) throw new EnvelopeError('invalid_signature', 'echostr is required');
      requireSigned(q, q.echostr);
      return openCiphertext(key, q.echostr, opts.receiveId, opts.maxMessageBytes);
    },
    /** POST: verifies the signature over the envelope's ciphertext and returns the decrypted payload. */
    open(q: CallbackQuery, body: string): string {
      const encrypt = extractEncrypt(opts.format, body);
      // Signature first: only a request signed with our token earns a full parse and a decryption.
      requireSigned(q, encrypt);
      if (opts.format === 'xml') confirmXmlEnvelope(body, encrypt);
      return openCiphertext(key, encrypt, opts.receiveId, opts.maxMessageBytes);
    },
    /**
     * Builds a passive reply: encrypts `plaintext`, signs it with our own timestamp (seconds) and nonce,
     * and wraps it in the endpoint's envelope format.
     */
    seal(plaintext: string, at: { timestamp?: string; nonce?: string } = {}): string {
      const timestamp = at.timestamp ?? String(Math.floor(opts.clock.now().getTime() / 1000));
      const nonce = at.nonce ?? randomBytes(8).readBigUInt64BE().toString().slice(0, 10);
      const encrypt = sealMessage(key, plaintext, opts.receiveId);
      const signature = sign(opts.token, timestamp, nonce, encrypt);
      if (opts.format === 'json') {
        return JSON.stringify({ encrypt, msgsignature: signature, timestamp: Number(timestamp), nonce });
      }
      return `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`;
    },
  };
}
