import { InputFormatError, LimitExceededError } from '../errors.js';
import { DEFAULT_LIMITS, xmlLimitsOf, type XmlLimits } from '../limits.js';
import { parseToXmldom } from './saxes-dom.js';

export type { XmlLimits };

/** The secure parser's share of `Limits` (src/limits.ts documents each one and its default). */
export const DEFAULT_XML_LIMITS: XmlLimits = xmlLimitsOf(DEFAULT_LIMITS);

/**
 * Parses untrusted XML into a DOM. Any DOCTYPE is refused before parsing (no
 * DTD, no entity expansion, no external fetch); every parser error or warning
 * is fatal, so the tree we verify is the tree a strict signer would have seen.
 * In browsers the platform DOMParser is used (its errors come back as a
 * <parsererror> document, which is refused); elsewhere saxes builds an
 * @xmldom/xmldom DOM (src/xml/saxes-dom.ts), and its first error is fatal.
 */
export function parseXml(input: Uint8Array | string, limits: XmlLimits = DEFAULT_XML_LIMITS): Document {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > limits.maxBytes) throw new LimitExceededError('xml.bytes', limits.maxBytes);
  const text = typeof input === 'string' ? input : decodeUtf8Strict(input);
  checkDeclaredEncoding(text);
  if (/<!DOCTYPE/i.test(text)) throw new InputFormatError('XML with a DOCTYPE is refused (no DTDs or entities in signed XML)');
  if (/<!ENTITY/i.test(text)) throw new InputFormatError('XML with an ENTITY declaration is refused');
  const source = text.replace(/^\uFEFF/, '');
  preScan(source, limits);
  const doc = nativeParser() ? parseNative(source) : parseToXmldom(source);
  if (!doc?.documentElement) throw new InputFormatError('XML has no document element');
  checkShape(doc.documentElement, limits);
  return doc;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Signed XML is read as UTF-8 only, and only when it is valid UTF-8. The XML declaration lies outside the
 * canonical form, so a document whose bytes are read differently by a consumer honouring its BOM or
 * declaration (UTF-16, windows-1251...) would verify here while that consumer sees other text; and a lenient
 * decoder maps different invalid byte sequences to the same U+FFFD, so the signature would not fix the bytes.
 */
function decodeUtf8Strict(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe)) throw new InputFormatError('XML with a UTF-16/UTF-32 byte-order mark is refused: signed XML is accepted in UTF-8 only');
  if ((b0 === 0x00 && b1 !== undefined) || (b0 !== undefined && b1 === 0x00)) throw new InputFormatError('XML that looks UTF-16/UTF-32 encoded (NUL bytes in the first character) is refused: signed XML is accepted in UTF-8 only');
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    throw new InputFormatError('XML is not valid UTF-8: signed XML is accepted in UTF-8 only (invalid byte sequences would all read as U+FFFD)');
  }
}

/** The encoding an XML declaration names must be UTF-8 (names are case-insensitive, XML 1.0 4.3.3; "UTF8" is its alias); any other is refused. */
function checkDeclaredEncoding(text: string): void {
  // A declaration can only open the document (parsers refuse one anywhere else), after an optional BOM.
  const decl = /^\uFEFF?<\?xml(?=[\s?])([\s\S]*?)\?>/.exec(text);
  if (!decl) return;
  const body = decl[1]!;
  if (!/encoding/.test(body)) return;
  const m = /^\s+version\s*=\s*(?:"[^"]*"|'[^']*')\s+encoding\s*=\s*(?:"([^"]*)"|'([^']*)')(?:\s+standalone\s*=\s*(?:"[^"]*"|'[^']*'))?\s*$/.exec(body);
  const name = m ? (m[1] ?? m[2]!) : undefined;
  if (name === undefined) throw new InputFormatError('XML declaration with an unreadable encoding declaration is refused');
  // "UTF8" (no hyphen) is what KZ Kalkan writes; every decoder that knows the name reads UTF-8, so it is not another text.
  if (!/^utf-?8$/i.test(name)) {
    throw new InputFormatError(`XML declared as encoding="${name}" is refused: signed XML is accepted in UTF-8 only (the declaration is outside the signed canonical form, so a consumer honouring it would read other text than was verified)`);
  }
}

/** The browser's DOMParser, when running in a window (workers have none). */
function nativeParser(): { new (): { parseFromString(s: string, type: string): Document } } | undefined {
  const g = globalThis as { DOMParser?: { new (): { parseFromString(s: string, type: string): Document } }; window?: unknown; document?: unknown };
  return typeof g.window === 'object' && typeof g.document === 'object' && typeof g.DOMParser === 'function' ? g.DOMParser : undefined;
}

function parseNative(source: string): Document {
  const Parser = nativeParser()!;
  const doc = new Parser().parseFromString(source, 'application/xml');
  const err = doc.getElementsByTagName('parsererror')[0];
  if (err) throw new InputFormatError(`malformed XML: ${(err.textContent ?? '').trim().slice(0, 200)}`);
  return doc;
}

/**
 * Node count and nesting *before* a DOM is built: xmldom allocates about 1 KB
 * per node (a 7.6 MB document of empty elements took 1.8 GB and 33 s before
 * the post-parse check could refuse it). Not a parser — it only counts markup
 * (elements, comments, PIs, CDATA, text runs) and element nesting, skipping
 * quoted attribute values; malformed markup is left for the parser to refuse.
 */
function preScan(text: string, limits: XmlLimits): void {
  let nodes = 0;
  let depth = 0;
  const count = () => {
    if (++nodes > limits.maxNodes) throw new LimitExceededError('xml.nodes', limits.maxNodes);
  };
  let i = text.indexOf('<');
  while (i !== -1) {
    let end: number; // index of the '>' closing this markup
    const c = text.charCodeAt(i + 1);
    if (text.startsWith('<!--', i)) end = text.indexOf('-->', i + 4) + 2;
    else if (text.startsWith('<![CDATA[', i)) end = text.indexOf(']]>', i + 9) + 2;
    else if (c === 0x3f /* ? */) end = text.indexOf('?>', i + 2) + 1;
    else if (c === 0x2f /* / */) {
      end = text.indexOf('>', i + 2);
      depth--;
    } else {
      let q = 0;
      end = -1;
      for (let j = i + 1; j < text.length; j++) {
        const ch = text.charCodeAt(j);
        if (q) {
          if (ch === q) q = 0;
        } else if (ch === 0x22 || ch === 0x27) q = ch;
        else if (ch === 0x3e) {
          end = j;
          break;
        }
      }
      if (end > 0 && text.charCodeAt(end - 1) !== 0x2f && ++depth > limits.maxDepth) throw new LimitExceededError('xml.depth', limits.maxDepth);
    }
    if (end <= i) return; // unterminated markup: the parser will refuse it
    if (c !== 0x2f) count();
    const next = text.indexOf('<', end + 1);
    if (next > end + 1 || (next === -1 && end + 1 < text.length)) count(); // a text run
    i = next;
  }
}

/**
 * Node count and nesting of the DOM built, following its links (no work item per node). The walk is
 * nextInDocumentOrder's (src/util/dom-walk.ts), written out here because the depth goes down by each level climbed.
 */
function checkShape(root: Element, limits: XmlLimits): void {
  let nodes = 0;
  let depth = 1;
  let n: Node = root;
  for (;;) {
    if (++nodes > limits.maxNodes) throw new LimitExceededError('xml.nodes', limits.maxNodes);
    if (depth > limits.maxDepth) throw new LimitExceededError('xml.depth', limits.maxDepth);
    if (n.firstChild) {
      n = n.firstChild;
      depth++;
      continue;
    }
    // No children: the next sibling of the nearest node (itself or an ancestor below root) that has one.
    while (n !== root && !n.nextSibling) {
      n = n.parentNode!;
      depth--;
    }
    if (n === root) return;
    n = n.nextSibling!;
  }
}
