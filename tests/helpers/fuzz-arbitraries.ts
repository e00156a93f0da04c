import fc from 'fast-check';

/**
 * fast-check generators for hostile input: strings that lean on what breaks parsers and databases
 * (U+0000, lone surrogates, percent signs, markup, JSON punctuation), and XML/JSON shapes near the
 * documents WeCom sends.
 */

const NASTY = [
  '\u0000',
  '\uD800',
  '\uFFFF',
  '%',
  '%00',
  '%E0%A4%A',
  '%C3%28',
  '&',
  '&#0;',
  '&amp;',
  '<',
  '>',
  ']]>',
  '<![CDATA[',
  '<!DOCTYPE x>',
  '"',
  "'",
  '\\',
  '+',
  '=',
  '?',
  '#',
  '/',
  '..',
  '\n',
  ' ',
  '中文',
  '9999999999',
];

/** Short strings mixing ordinary characters with the troublesome fragments above. */
export const nastyString = (maxLength = 40) =>
  fc
    .array(fc.oneof(fc.string({ maxLength: 6, unit: 'binary' }), fc.constantFrom(...NASTY)), {
      maxLength: maxLength / 4,
    })
    .map((parts) => parts.join('').slice(0, maxLength));

const TAGS = [
  'xml',
  'ToUserName',
  'FromUserName',
  'CreateTime',
  'MsgType',
  'Content',
  'MsgId',
  'AgentID',
  'Event',
  'ChangeType',
  'UserID',
  'ExternalUserID',
  'ChatId',
  'UpdateDetail',
  'MemChangeList',
  'Item',
  'Encrypt',
  'a',
];
const MSG_TYPES = ['text', 'image', 'event', 'voice', 'location', 'link', 'stream', 'mixed', 'nope'];

type Xml = { tag: string; value: string | Xml[] };

const element: fc.Memo<Xml> = fc.memo((depth) =>
  fc.record({
    tag: fc.constantFrom(...TAGS),
    value:
      depth <= 1 ? nastyString() : fc.oneof(nastyString(), fc.array(element(depth - 1), { maxLength: 4 })),
  }),
);

const render = (e: Xml, cdataText: boolean): string =>
  typeof e.value === 'string'
    ? `<${e.tag}>${cdataText ? `<![CDATA[${e.value}]]>` : e.value}</${e.tag}>`
    : `<${e.tag}>${e.value.map((c) => render(c, cdataText)).join('')}</${e.tag}>`;

/** XML documents: mostly `<xml>` roots with WeCom-like fields, sometimes broken on purpose. */
export const xmlDocument = fc
  .tuple(
    fc.array(element(4), { maxLength: 8 }),
    fc.constantFrom(...MSG_TYPES),
    fc.boolean(),
    fc.constantFrom('', '<?xml version="1.0"?>', '<!DOCTYPE xml>'),
    // Mostly shallow, sometimes past any sane depth.
    fc.oneof(fc.nat({ max: 40 }), fc.integer({ min: 100, max: 400 })),
    nastyString(),
  )
  .map(([children, msgType, cdataText, prolog, nesting, tail]) => {
    const inner = children.map((c) => render(c, cdataText)).join('');
    const deep = `${'<a>'.repeat(nesting)}x${'</a>'.repeat(nesting)}`;
    return `${prolog}<xml><MsgType>${msgType}</MsgType>${inner}${deep}</xml>${tail.length % 3 === 0 ? tail : ''}`;
  });

/** JSON texts: bot-like objects with hostile values, arbitrary JSON values, and non-JSON. */
export const jsonDocument = fc.oneof(
  fc
    .record(
      {
        msgid: fc.oneof(nastyString(), fc.integer()),
        aibotid: nastyString(),
        chattype: fc.constantFrom('single', 'group', 'x'),
        from: fc.record({ userid: nastyString() }),
        msgtype: fc.constantFrom(...MSG_TYPES),
        text: fc.record({ content: nastyString(200) }),
        event: fc.record({ eventtype: nastyString() }),
        extra: fc.dictionary(nastyString(8), nastyString()),
      },
      { requiredKeys: ['msgtype'] },
    )
    .map((o) => JSON.stringify(o)),
  fc.json({ maxDepth: 6 }),
  nastyString(100),
);
