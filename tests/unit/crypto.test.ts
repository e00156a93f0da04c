import { decrypt as wecomDecrypt, encrypt as wecomEncrypt } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { createCallbackCodec, parseCallbackQuery } from '../../src/wecom/protocol/callback-codec.ts';
import {
  checkReplayWindow,
  deriveKey,
  EnvelopeError,
  openCiphertext,
  sealMessage,
  verifySignature,
} from '../../src/wecom/protocol/crypto.ts';
import { parseWecomXml } from '../../src/wecom/protocol/xml.ts';

// Tencent's official WXBizMsgCrypt sample (企业微信 Sample.py): URL check and message decryption vectors.
const OFFICIAL = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  corpId: 'ww1436e0e65a779aee',
  verify: {
    msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
    timestamp: '1476416373',
    nonce: '47744683',
    echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
  },
  message: {
    msg_signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
    timestamp: '1476422779',
    nonce: '1597212914',
    body: '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>',
  },
};

const officialCodec = (replayWindowS = 0, now = new Date()) =>
  createCallbackCodec({
    token: OFFICIAL.token,
    encodingAesKey: OFFICIAL.encodingAesKey,
    receiveId: OFFICIAL.corpId,
    format: 'xml',
    replayWindowS,
    maxMessageBytes: 1 << 20,
    clock: fixedClock(now),
  });

describe('official WXBizMsgCrypt vectors', () => {
  it('verifies the URL-check vector and decrypts echostr', () => {
    const echo = officialCodec().verifyUrl(OFFICIAL.verify);
    expect(echo).toMatch(/^\d+$/);
    expect(echo).toBe(wecomDecrypt(OFFICIAL.encodingAesKey, OFFICIAL.verify.echostr).message);
  });

  it('verifies and decrypts the message vector to the sample text message', () => {
    const { body, ...query } = OFFICIAL.message;
    const plaintext = officialCodec().open(query, body);
    const msg = parseWecomXml(plaintext);
    expect(msg).toMatchObject({
      ToUserName: 'ww1436e0e65a779aee',
      FromUserName: 'ChenJiaShun',
      MsgType: 'text',
    });
    expect(msg.Content).toBe('你好');
    expect(typeof msg.MsgId).toBe('string');
  });

  it('rejects the official message under a changed signature, nonce or timestamp', () => {
    const { body, ...query } = OFFICIAL.message;
    const codec = officialCodec();
    expect(() => codec.open({ ...query, msg_signature: '0'.repeat(40) }, body)).toThrow(EnvelopeError);
    expect(() => codec.open({ ...query, nonce: '1597212915' }, body)).toThrow(/signature/);
    expect(() => codec.open({ ...query, timestamp: '1476422780' }, body)).toThrow(/signature/);
  });

  it('matches the public deterministic encryption vector', () => {
    const key = deriveKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    const sealed = sealMessage(key, '我是中文abcd123', 'wxb11529c136998cb6', Buffer.from('aaaabbbbccccdddd'));
    expect(sealed).toBe(
      'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
    );
    expect(openCiphertext(key, sealed, 'wxb11529c136998cb6', 1024)).toBe('我是中文abcd123');
  });
});

describe('strict decryption', () => {
  const key = deriveKey(OFFICIAL.encodingAesKey);

  it('agrees with @wecom/crypto on round trips of every padding length', () => {
    for (let n = 0; n < 70; n++) {
      const message = 'x'.repeat(n);
      const ours = sealMessage(key, message, OFFICIAL.corpId);
      expect(openCiphertext(key, ours, OFFICIAL.corpId, 1024)).toBe(message);
      expect(wecomDecrypt(OFFICIAL.encodingAesKey, ours).message).toBe(message);
      const theirs = wecomEncrypt(OFFICIAL.encodingAesKey, message, OFFICIAL.corpId);
      expect(openCiphertext(key, theirs, OFFICIAL.corpId, 1024)).toBe(message);
    }
  });

  it('rejects a wrong receive id, including an empty one', () => {
    const sealed = sealMessage(key, '<xml/>', 'wwsomeoneelse');
    expect(() => openCiphertext(key, sealed, OFFICIAL.corpId, 1024)).toThrow(/receive id/);
    expect(() => openCiphertext(key, sealMessage(key, '<xml/>', OFFICIAL.corpId), '', 1024)).toThrow(
      /receive id/,
    );
  });

  it('rejects corrupt ciphertext: bad base64, wrong block size, bad padding, impossible length', () => {
    const sealed = sealMessage(key, 'hello', OFFICIAL.corpId);
    expect(() => openCiphertext(key, '!!!notbase64', OFFICIAL.corpId, 1024)).toThrow(/base64/);
    expect(() => openCiphertext(key, Buffer.alloc(48).toString('base64'), OFFICIAL.corpId, 1024)).toThrow(
      /multiple of 32/,
    );
    // Flip a bit in the last block: the padding no longer decodes.
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    expect(() => openCiphertext(key, bytes.toString('base64'), OFFICIAL.corpId, 1024)).toThrow(EnvelopeError);
    // A length field over the configured bound is refused before any slicing.
    expect(() => openCiphertext(key, sealed, OFFICIAL.corpId, 2)).toThrow(/length/);
  });

  it('never passes garbage through with the AI bot’s empty receive id', () => {
    // Random ciphertext of a valid size: @wecom/crypto would return whatever bytes it decodes to.
    let rejected = 0;
    for (let i = 0; i < 50; i++) {
      const junk = Buffer.alloc(64);
      for (let j = 0; j < junk.length; j++) junk[j] = (i * 31 + j * 7) & 0xff;
      try {
        openCiphertext(key, junk.toString('base64'), '', 1 << 20);
      } catch (e) {
        expect(e).toBeInstanceOf(EnvelopeError);
        rejected++;
      }
    }
    expect(rejected).toBe(50);
  });
});

describe('signature and query handling', () => {
  it('compares signatures of any length without throwing', () => {
    expect(verifySignature('t', '1', '2', 'enc', 'short')).toBe(false);
    expect(verifySignature('t', '1', '2', 'enc', '')).toBe(false);
  });

  it('decodes query values once and keeps "+" as "+"', () => {
    const q = parseCallbackQuery(
      '/wecom/callback?msg_signature=abc&timestamp=1&nonce=2&echostr=a%2Bb+c%3D%3D&other=ignored',
    );
    expect(q).toEqual({ msg_signature: 'abc', timestamp: '1', nonce: '2', echostr: 'a+b+c==' });
  });

  it('enforces the replay window only when configured', () => {
    const now = Date.UTC(2026, 10, 22);
    expect(() => checkReplayWindow('1476422779', now, 0)).not.toThrow();
    expect(() => checkReplayWindow('1476422779', now, 300)).toThrow(/replay window/);
    expect(() => checkReplayWindow(String(now / 1000 - 100), now, 300)).not.toThrow();
    expect(() => checkReplayWindow('not-a-number', now, 300)).toThrow(/replay window/);
  });
});

describe('passive reply builder', () => {
  it('produces an envelope that WeCom can verify and decrypt', () => {
    const codec = officialCodec();
    const reply = '<xml><MsgType>text</MsgType><Content>您好</Content></xml>';
    const sealed = codec.seal(reply, { timestamp: '1476422779', nonce: '1597212914' });
    const env = parseWecomXml(sealed);
    expect(env.TimeStamp).toBe('1476422779');
    expect(
      verifySignature(
        OFFICIAL.token,
        '1476422779',
        '1597212914',
        env.Encrypt as string,
        env.MsgSignature as string,
      ),
    ).toBe(true);
    expect(wecomDecrypt(OFFICIAL.encodingAesKey, env.Encrypt as string)).toMatchObject({
      message: reply,
      id: OFFICIAL.corpId,
    });
  });

  it('signs with a seconds timestamp by default', () => {
    const at = new Date('2026-11-22T08:00:00Z');
    const env = parseWecomXml(officialCodec(0, at).seal('<xml/>'));
    expect(env.TimeStamp).toBe(String(at.getTime() / 1000));
  });
});
