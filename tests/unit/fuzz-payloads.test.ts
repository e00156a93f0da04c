import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyPayload, decodeStoredPayload } from '../../src/modules/inbox/inbox.classify.ts';
import { storableText } from '../../src/platform/db/storable-text.ts';
import { buildSignedCallback } from '../../src/wecom/protocol/callback-builder.ts';
import {
  createCallbackCodec,
  JsonError,
  parseCallbackQuery,
} from '../../src/wecom/protocol/callback-codec.ts';
import { XmlError } from '../../src/wecom/protocol/xml.ts';
import { jsonDocument, xmlDocument } from '../helpers/fuzz-arbitraries.ts';
import { TEST_WECOM } from '../helpers/infra.ts';

// Validly signed and encrypted plaintexts, as only WeCom (or someone with the token) can send: the codec
// must hand back the plaintext, and classifying and decoding it must either succeed or fail with the
// typed parse errors intake turns into a 400. Nothing else may escape, and nothing decoded may hold U+0000.

const codecs = {
  app: createCallbackCodec({
    token: TEST_WECOM.token,
    encodingAesKey: TEST_WECOM.encodingAesKey,
    receiveId: TEST_WECOM.corpId,
    format: 'xml',
    replayWindowS: 0,
    maxMessageBytes: 1024 * 1024,
    clock: { now: () => new Date() },
  }),
  bot: createCallbackCodec({
    token: TEST_WECOM.botToken,
    encodingAesKey: TEST_WECOM.botEncodingAesKey,
    receiveId: '',
    format: 'json',
    replayWindowS: 0,
    maxMessageBytes: 1024 * 1024,
    clock: { now: () => new Date() },
  }),
};

const seal = (source: 'app' | 'bot', plaintext: string) =>
  buildSignedCallback({
    format: source === 'app' ? 'xml' : 'json',
    token: source === 'app' ? TEST_WECOM.token : TEST_WECOM.botToken,
    encodingAesKey: source === 'app' ? TEST_WECOM.encodingAesKey : TEST_WECOM.botEncodingAesKey,
    receiveId: source === 'app' ? TEST_WECOM.corpId : '',
    plaintext,
  });

/** Runs the intake and worker reading of one signed plaintext; returns what escaped, if anything. */
function readSigned(source: 'app' | 'bot', plaintext: string) {
  const cb = seal(source, plaintext);
  const opened = storableText(codecs[source].open(parseCallbackQuery(`/?${cb.query}`), cb.body));
  try {
    const c = classifyPayload(source, opened);
    const event = decodeStoredPayload(source, opened);
    expect(JSON.stringify([c, event])).not.toContain('\\u0000');
    return 'ok';
  } catch (err) {
    if (err instanceof XmlError || err instanceof JsonError) return 'rejected';
    throw err;
  }
}

describe('fuzz: signed plaintexts through the codec and the event parsers', () => {
  it('app XML payloads decode or fail with XmlError, never anything else', () => {
    fc.assert(
      fc.property(xmlDocument, (xml) => {
        expect(['ok', 'rejected']).toContain(readSigned('app', xml));
      }),
      { numRuns: 300 },
    );
  });

  it('bot JSON payloads decode or fail with JsonError, never anything else', () => {
    fc.assert(
      fc.property(jsonDocument, (json) => {
        expect(['ok', 'rejected']).toContain(readSigned('bot', json));
      }),
      { numRuns: 300 },
    );
  });
});
