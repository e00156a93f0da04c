import { beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyPayload, decodeStoredPayload } from '../../src/modules/inbox/inbox.classify.ts';
import { buildSignedCallback } from '../../src/wecom/protocol/callback-builder.ts';
import { createCallbackCodec, parseCallbackQuery } from '../../src/wecom/protocol/callback-codec.ts';
import { EnvelopeError } from '../../src/wecom/protocol/crypto.ts';
import {
  MAX_XML_DEPTH,
  parseWecomXml,
  parseXmlStrict,
  scanSimpleXml,
  XmlError,
} from '../../src/wecom/protocol/xml.ts';

// Counts every use of the full XML parser, so the tests can tell "rejected by the linear scan" from
// "parsed, then rejected" without timing anything.
const calls = vi.hoisted(() => ({ validate: 0, parse: 0 }));
vi.mock('fast-xml-parser', async (importOriginal) => {
  const real = await importOriginal<typeof import('fast-xml-parser')>();
  class CountingParser extends real.XMLParser {
    override parse(xmlData: string | Uint8Array) {
      calls.parse++;
      return super.parse(xmlData);
    }
  }
  return {
    ...real,
    XMLParser: CountingParser,
    XMLValidator: {
      validate: (...args: Parameters<typeof real.XMLValidator.validate>) => {
        calls.validate++;
        return real.XMLValidator.validate(...args);
      },
    },
  };
});

const KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const codec = createCallbackCodec({
  token: 'tok',
  encodingAesKey: KEY,
  receiveId: 'corp',
  format: 'xml',
  replayWindowS: 0,
  maxMessageBytes: 1024 * 1024,
  clock: { now: () => new Date() },
});
const UNSIGNED = { msg_signature: '0123456789abcdef0123456789abcdef01234567', timestamp: '1', nonce: '1' };

beforeEach(() => {
  calls.validate = 0;
  calls.parse = 0;
});

describe('an unsigned XML envelope', () => {
  it('deeply nested, is refused by the scan without the full parser and without recursion', () => {
    expect(() => codec.open(UNSIGNED, `<xml>${'<a>'.repeat(300_000)}`)).toThrow(XmlError);
    expect(() =>
      codec.open(
        UNSIGNED,
        `<xml>${'<a>'.repeat(300_000)}<Encrypt>QUJD</Encrypt>${'</a>'.repeat(300_000)}</xml>`,
      ),
    ).toThrow(EnvelopeError);
    expect(calls).toEqual({ validate: 0, parse: 0 });
  });

  it('a crafted 1 MB one fails its signature check before any parse', () => {
    // Many elements, attributes and character references: all work for a parser, none for the scan.
    const filler = '<Item a="1" b="2">&#20320;&#22909;</Item>'.repeat(23_000);
    const body = `<xml><ToUserName>x</ToUserName>${filler}<Encrypt><![CDATA[QUJD]]></Encrypt></xml>`;
    expect(body.length).toBeGreaterThan(900_000);
    let error: unknown;
    try {
      codec.open(UNSIGNED, body);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvelopeError);
    expect((error as EnvelopeError).reason).toBe('invalid_signature');
    expect(calls).toEqual({ validate: 0, parse: 0 });
  });

  it('is parsed in full once signed, and must then hold its <Encrypt> at the top level', () => {
    const plaintext = '<xml><Content>hi</Content></xml>';
    const cb = buildSignedCallback({
      format: 'xml',
      token: 'tok',
      encodingAesKey: KEY,
      receiveId: 'corp',
      plaintext,
    });
    expect(codec.open(parseCallbackQuery(`/?${cb.query}`), cb.body)).toBe(plaintext);
    // A signed envelope whose only <Encrypt> hides inside another element is not an envelope.
    const hidden = cb.body.replace('<Encrypt>', '<Wrap><Encrypt>').replace('</Encrypt>', '</Encrypt></Wrap>');
    expect(() => codec.open(parseCallbackQuery(`/?${cb.query}`), hidden)).toThrow(/top-level <Encrypt>/);
  });
});

describe('nesting depth', () => {
  const nested = (depth: number) => `<xml>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</xml>`;

  it('both parse paths accept MAX_XML_DEPTH levels and refuse one more, alike', () => {
    expect(scanSimpleXml(nested(MAX_XML_DEPTH))).toEqual(parseXmlStrict(nested(MAX_XML_DEPTH)));
    expect(() => scanSimpleXml(nested(MAX_XML_DEPTH + 1))).toThrow(XmlError);
    expect(() => parseXmlStrict(nested(MAX_XML_DEPTH + 1))).toThrow(XmlError);
    // The counting mock is live: the general path did go through the full parser here.
    expect(calls.validate).toBeGreaterThan(0);
  });

  it('a deep decrypted payload is an XmlError, not a stack overflow', () => {
    expect(() => parseWecomXml(`<xml>${'<a>'.repeat(300_000)}${'</a>'.repeat(300_000)}</xml>`)).toThrow(
      XmlError,
    );
    // Attributes send it down the general path, which must refuse it as cleanly.
    expect(() =>
      parseWecomXml(`<xml><b x="1">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</b></xml>`),
    ).toThrow(XmlError);
  });
});

describe('U+0000 in a decrypted payload', () => {
  it('reaches the typed event as U+FFFD, in JSON and XML, values and keys', () => {
    const json = JSON.stringify({
      msgid: 'm\u00001',
      aibotid: 'b',
      chattype: 'single',
      from: { userid: 'u' },
      msgtype: 'text',
      text: { content: 'a\u0000b' },
      extra: { 'k\u0000': 'v' },
    });
    expect(classifyPayload('bot', json)).toMatchObject({ msgId: 'm\uFFFD1', dedupKey: 'msg:m\uFFFD1' });
    const bot = decodeStoredPayload('bot', json);
    expect(bot).toMatchObject({ kind: 'text', body: { text: { content: 'a\uFFFDb' } } });
    expect(JSON.stringify(bot)).not.toContain('\\u0000');

    const xml = '<xml><MsgType>text</MsgType><Content>a&#0;b</Content><MsgId>1</MsgId></xml>';
    expect(JSON.stringify(decodeStoredPayload('app', xml))).not.toContain('\\u0000');
  });
});
