import { randomBytes } from 'node:crypto';
import { deriveKey, sealMessage, sign } from './crypto.ts';
import { cdata } from './xml.ts';

/** A callback request as WeCom would send it: the query string and the body. */
export type SignedCallback = {
  query: string;
  body: string;
  encrypt: string;
  timestamp: string;
  nonce: string;
};

/**
 * Builds a callback exactly as WeCom does: encrypts `plaintext` for `receiveId`, signs it, and wraps it in
 * the app's XML or the AI bot's JSON envelope. The emulator's callback driver, the tests and the benchmark
 * use it to talk to Helix the way WeCom would.
 */
export function buildSignedCallback(opts: {
  format: 'xml' | 'json';
  token: string;
  encodingAesKey: string;
  receiveId: string;
  plaintext: string;
  timestamp?: string;
  nonce?: string;
  toUserName?: string;
  agentId?: string;
}): SignedCallback {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE());
  const encrypt = sealMessage(deriveKey(opts.encodingAesKey), opts.plaintext, opts.receiveId);
  const signature = sign(opts.token, timestamp, nonce, encrypt);
  const query = `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
  const body =
    opts.format === 'json'
      ? JSON.stringify({ encrypt })
      : `<xml><ToUserName>${cdata(opts.toUserName ?? opts.receiveId)}</ToUserName><AgentID>${cdata(opts.agentId ?? '')}</AgentID><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
  return { query, body, encrypt, timestamp, nonce };
}

/** Builds a signed URL-verification query (GET) carrying `echo` encrypted as echostr. */
export function buildUrlVerification(opts: {
  token: string;
  encodingAesKey: string;
  receiveId: string;
  echo: string;
  timestamp?: string;
  nonce?: string;
}): string {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE());
  const echostr = sealMessage(deriveKey(opts.encodingAesKey), opts.echo, opts.receiveId);
  const signature = sign(opts.token, timestamp, nonce, echostr);
  return `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`;
}
