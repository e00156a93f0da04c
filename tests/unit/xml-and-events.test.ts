import { describe, expect, it } from 'vitest';
import { classifyPayload } from '../../src/modules/inbox/inbox.classify.ts';
import { parseAppEvent } from '../../src/wecom/protocol/app-events.ts';
import { parseBotEvent } from '../../src/wecom/protocol/bot-events.ts';
import { parseWecomXml, parseXmlStrict, scanSimpleXml, XmlError } from '../../src/wecom/protocol/xml.ts';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><Content>&lol3;</Content></xml>`;
const XXE = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>`;

describe('parseWecomXml', () => {
  it('refuses DOCTYPE and entity declarations without expanding anything', () => {
    expect(() => parseWecomXml(BILLION_LAUGHS)).toThrow(XmlError);
    expect(() => parseWecomXml(XXE)).toThrow(/DOCTYPE/);
    expect(() => parseWecomXml('<xml><!ENTITY x "y"><A>1</A></xml>')).toThrow(/DOCTYPE/);
  });

  it('rejects malformed XML', () => {
    expect(() => parseWecomXml('<xml><A>1</B></xml>')).toThrow(/malformed/);
    expect(() => parseWecomXml('not xml at all')).toThrow(XmlError);
    expect(() => parseWecomXml('<root><A>1</A></root>')).toThrow(/root/);
  });

  it('keeps ids as strings, with or without CDATA', () => {
    const node = parseWecomXml(
      '<xml><MsgId>7213456789012345678</MsgId><CreateTime>1700000000</CreateTime><Content><![CDATA[ 保本?  ]]></Content><AgentID>1000002</AgentID></xml>',
    );
    expect(node.MsgId).toBe('7213456789012345678');
    expect(node.CreateTime).toBe('1700000000');
    expect(node.AgentID).toBe('1000002');
    expect(node.Content).toBe(' 保本?  ');
  });

  it('decodes only the predefined character references', () => {
    expect(parseWecomXml('<xml><A>a &lt; b &amp; c</A></xml>').A).toBe('a < b & c');
  });
});

const common =
  '<ToUserName>ww1</ToUserName><FromUserName>sys</FromUserName><CreateTime>1700000000</CreateTime>';

describe('parseAppEvent', () => {
  it('types a text message', () => {
    const e = parseAppEvent(
      parseWecomXml(
        `<xml>${common}<MsgType>text</MsgType><Content>你好</Content><MsgId>12345678901234567890</MsgId><AgentID>1</AgentID></xml>`,
      ),
    );
    expect(e.kind).toBe('text');
    if (e.kind === 'text') expect(e.body.MsgId).toBe('12345678901234567890');
  });

  it('types add_external_contact with its State and WelcomeCode', () => {
    const e = parseAppEvent(
      parseWecomXml(
        `<xml>${common}<MsgType>event</MsgType><Event>change_external_contact</Event><ChangeType>add_external_contact</ChangeType><UserID>rm01</UserID><ExternalUserID>wmABC</ExternalUserID><State>ch-metro-01</State><WelcomeCode>WC123</WelcomeCode></xml>`,
      ),
    );
    expect(e.kind).toBe('event:change_external_contact:add_external_contact');
    if (e.kind === 'event:change_external_contact:add_external_contact') {
      expect(e.body.State).toBe('ch-metro-01');
      expect(e.body.WelcomeCode).toBe('WC123');
    }
  });

  it('turns a single MemChangeList item into an array', () => {
    const e = parseAppEvent(
      parseWecomXml(
        `<xml>${common}<MsgType>event</MsgType><Event>change_external_chat</Event><ChatId>wrOg</ChatId><ChangeType>update</ChangeType><UpdateDetail>add_member</UpdateDetail><JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item>wmA</Item></MemChangeList></xml>`,
      ),
    );
    expect(e.kind).toBe('event:change_external_chat');
    if (e.kind === 'event:change_external_chat') expect(e.body.MemChangeList).toEqual(['wmA']);
  });

  it('keeps unknown types and malformed known types as unknown, never failing', () => {
    const unknown = parseAppEvent(
      parseWecomXml(`<xml>${common}<MsgType>event</MsgType><Event>brand_new_event</Event></xml>`),
    );
    expect(unknown).toMatchObject({ kind: 'unknown', rawKind: 'event:brand_new_event' });
    const broken = parseAppEvent(parseWecomXml(`<xml>${common}<MsgType>text</MsgType></xml>`));
    expect(broken).toMatchObject({ kind: 'unknown', rawKind: 'text' });
  });
});

describe('parseBotEvent', () => {
  it('types a group @-message', () => {
    const e = parseBotEvent({
      msgid: 'CAIQ16HMjQYY',
      aibotid: 'AIBOT',
      chatid: 'CHAT',
      chattype: 'group',
      from: { userid: 'u1' },
      msgtype: 'text',
      text: { content: '@小助手 理财产品怎么赎回' },
    });
    expect(e.kind).toBe('text');
  });

  it('keeps unknown shapes as unknown', () => {
    expect(parseBotEvent({ msgtype: 'hologram' })).toMatchObject({ kind: 'unknown', rawKind: 'hologram' });
  });
});

describe('classifyPayload dedup keys', () => {
  it('uses MsgId for messages and a plaintext hash for events', () => {
    const msg = classifyPayload(
      'app',
      `<xml>${common}<MsgType>text</MsgType><Content>a</Content><MsgId>99</MsgId></xml>`,
    );
    expect(msg).toMatchObject({ kind: 'text', msgId: '99', dedupKey: 'msg:99' });
    const evtA = classifyPayload(
      'app',
      `<xml>${common}<MsgType>event</MsgType><Event>enter_agent</Event><EventKey>a</EventKey></xml>`,
    );
    const evtB = classifyPayload(
      'app',
      `<xml>${common}<MsgType>event</MsgType><Event>enter_agent</Event><EventKey>b</EventKey></xml>`,
    );
    expect(evtA.dedupKey).toMatch(/^evt:[0-9a-f]{64}$/);
    // Same sender ("sys") and same second, yet distinct events: they must not collide.
    expect(evtA.dedupKey).not.toBe(evtB.dedupKey);
  });

  it('uses msgid for bot payloads', () => {
    expect(classifyPayload('bot', JSON.stringify({ msgid: 'm1', msgtype: 'text' }))).toMatchObject({
      dedupKey: 'msg:m1',
      kind: 'text',
    });
    expect(() => classifyPayload('bot', '[1,2]')).toThrow(/object/);
  });
});

describe('the fast path for simple documents', () => {
  const docs = [
    `<xml>${common}<MsgType>text</MsgType><Content><![CDATA[ 你好 <b>&amp; ]]></Content><MsgId>7213456789012345678</MsgId></xml>`,
    `<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <ToUserName><![CDATA[ww1]]></ToUserName>\n  <Encrypt><![CDATA[abc+/=]]></Encrypt>\n  <AgentID><![CDATA[1000002]]></AgentID>\n</xml>\n`,
    `<xml>${common}<MsgType>event</MsgType><Event>change_external_chat</Event><MemChangeList><Item>wmA</Item><Item>wmB</Item></MemChangeList><Empty></Empty><Blank>   </Blank></xml>`,
    `<xml><A><B><C>deep</C></B><B><C>twice</C></B></A><T>  padded text  </T></xml>`,
  ];

  it('returns exactly what the general parser returns', () => {
    for (const d of docs) {
      const fast = scanSimpleXml(d);
      expect(fast, d).toBeDefined();
      expect(fast).toEqual(parseXmlStrict(d));
    }
  });

  it('hands everything outside its shape to the general parser', () => {
    const others = [
      '<xml><A x="1">v</A></xml>',
      '<xml><!-- c --><A>v</A></xml>',
      '<xml><A>a &lt; b</A></xml>',
      '<xml><A>text<B>mixed</B></A></xml>',
      '<xml><A>1</B></xml>',
      '<xml><A>1</A>',
      '<xml><A/></xml>',
      '<xml><__proto__>x</__proto__></xml>',
      XXE,
      BILLION_LAUGHS,
      '<xml><A>1</A></xml><xml/>',
    ];
    for (const d of others) expect(scanSimpleXml(d), d).toBeUndefined();
    // …where the general parser accepts what is well-formed and rejects the rest.
    expect(parseWecomXml('<xml><A>a &lt; b</A></xml>').A).toBe('a < b');
    expect(() => parseWecomXml('<xml><A>1</B></xml>')).toThrow(XmlError);
    expect(() => parseWecomXml('<xml><A>1</A>')).toThrow(XmlError);
  });
});
