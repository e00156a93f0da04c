import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Raised for XML Helix refuses to read: malformed, or carrying DOCTYPE/ENTITY declarations. */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

// Any markup declaration other than CDATA (<!DOCTYPE, <!ENTITY, <!ELEMENT ...) is refused before parsing,
// so neither external entities (XXE) nor entity expansion ("billion laughs") can ever be processed.
const DECLARATION = /<!(?!\[CDATA\[)/;

/**
 * How deep elements may nest below `<xml>`. WeCom's deepest documents (template card events, member change
 * lists) nest four or five levels; anything far deeper is hostile. Both parse paths enforce the same bound,
 * so neither recursion nor work grows with an attacker's nesting.
 */
export const MAX_XML_DEPTH = 32;

const parser = new XMLParser({
  // Counted from the root's children, the same way scanSimpleXml counts.
  maxNestedTags: MAX_XML_DEPTH,
  ignoreAttributes: true,
  // Ids such as MsgId exceed 2^53: keep every value a string.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only XML's five predefined and numeric character references remain possible once declarations are refused.
  processEntities: true,
  htmlEntities: false,
  cdataPropName: false,
  commentPropName: false,
});

/** A parsed element: text, or nested elements (a repeated tag becomes an array). */
export type XmlValue = string | XmlNode | XmlValue[];
/** An element with children. */
export type XmlNode = { [tag: string]: XmlValue };

/** Parses a WeCom XML document and returns the children of its `<xml>` root. */
export function parseWecomXml(text: string): XmlNode {
  return scanSimpleXml(text) ?? parseXmlStrict(text);
}

/** The general path: refuse declarations, validate well-formedness, then parse with fast-xml-parser. */
export function parseXmlStrict(text: string): XmlNode {
  if (DECLARATION.test(text)) throw new XmlError('DOCTYPE and entity declarations are not allowed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    // The parser's own limits (nesting, entity expansion) throw plain Errors: they are bad input too.
    throw new XmlError(`unreadable XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const root = doc.xml;
  if (root === undefined || typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new XmlError('the document root must be a single <xml> element');
  }
  return root as XmlNode;
}

const TAG_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The fast path for the documents WeCom actually sends: an optional `<?xml?>` declaration, then `<xml>`
 * with elements holding either text, one CDATA section, or child elements; no attributes, comments,
 * entities or mixed content. It returns exactly what the general path would, or `undefined` as soon as the
 * input strays from that shape, in which case the general path decides (and rejects what is malformed).
 * Intake parses two documents per callback, so this is where a good part of its time goes. Nesting deeper
 * than MAX_XML_DEPTH throws XmlError, as the general path would.
 */
export function scanSimpleXml(text: string): XmlNode | undefined {
  let i = 0;
  const n = text.length;
  const skipWs = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      i++;
    }
  };
  const readOpenTag = (): string | undefined => {
    if (text.charCodeAt(i) !== 60 /* < */) return undefined;
    const end = text.indexOf('>', i + 1);
    if (end < 0) return undefined;
    const name = text.slice(i + 1, end);
    if (!TAG_NAME.test(name) || FORBIDDEN_KEYS.has(name)) return undefined;
    i = end + 1;
    return name;
  };
  const expectClose = (name: string): boolean => {
    const close = `</${name}>`;
    if (!text.startsWith(close, i)) return false;
    i += close.length;
    return true;
  };
  // Recursion depth is bounded by MAX_XML_DEPTH: deeper input is refused, never followed down the stack.
  const parseChildren = (parent: string, depth: number): XmlNode | undefined => {
    if (depth > MAX_XML_DEPTH) throw new XmlError(`elements nest deeper than ${MAX_XML_DEPTH} levels`);
    const node: XmlNode = {};
    for (;;) {
      skipWs();
      if (text.startsWith('</', i)) return expectClose(parent) ? node : undefined;
      const name = readOpenTag();
      if (name === undefined) return undefined;
      const value = parseContent(name, depth);
      if (value === undefined) return undefined;
      const prev = node[name];
      if (prev === undefined) node[name] = value;
      else if (Array.isArray(prev)) prev.push(value);
      else node[name] = [prev, value];
    }
  };
  const parseContent = (name: string, depth: number): XmlValue | undefined => {
    const start = i;
    skipWs();
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) return undefined;
      const value = text.slice(i + 9, end);
      i = end + 3;
      skipWs();
      return expectClose(name) ? value : undefined;
    }
    if (text.startsWith('</', i)) return expectClose(name) ? '' : undefined;
    if (text.charCodeAt(i) === 60) {
      const child = parseChildren(name, depth + 1);
      return child && Object.keys(child).length > 0 ? child : undefined;
    }
    const end = text.indexOf('<', start);
    if (end < 0) return undefined;
    const raw = text.slice(start, end);
    // Character references and stray markup characters take the general path.
    if (raw.includes('&') || raw.includes('>')) return undefined;
    i = end;
    return expectClose(name) ? raw.trim() : undefined;
  };

  skipWs();
  if (text.startsWith('<?xml', i)) {
    const end = text.indexOf('?>', i);
    if (end < 0 || text.slice(i + 1, end).includes('<')) return undefined;
    i = end + 2;
    skipWs();
  }
  if (!text.startsWith('<xml>', i)) return undefined;
  i += 5;
  const root = parseChildren('xml', 1);
  if (!root) return undefined;
  skipWs();
  return i === n ? root : undefined;
}

/**
 * Finds the text of the first `<tag>…</tag>` in `text` with two forward searches: linear in the input, no
 * recursion, no parse. The result is only a candidate: callers use it where a wrong candidate is harmless
 * (a signature check that then fails) and parse the document in full before trusting it.
 */
export function scanFirstElementText(text: string, tag: string): string | undefined {
  const open = `<${tag}>`;
  const at = text.indexOf(open);
  if (at < 0) return undefined;
  const start = at + open.length;
  const end = text.indexOf(`</${tag}>`, start);
  if (end < 0) return undefined;
  const raw = text.slice(start, end).trim();
  return raw.startsWith('<![CDATA[') && raw.endsWith(']]>') ? raw.slice(9, -3) : raw;
}

/** Escapes text for an XML CDATA section (a literal "]]>" is split across two sections). */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
