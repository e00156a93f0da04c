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

const parser = new XMLParser({
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
  if (DECLARATION.test(text)) throw new XmlError('DOCTYPE and entity declarations are not allowed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = doc.xml;
  if (root === undefined || typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new XmlError('the document root must be a single <xml> element');
  }
  return root as XmlNode;
}

/** Escapes text for an XML CDATA section (a literal "]]>" is split across two sections). */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
