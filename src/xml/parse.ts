import { DOMParser as XmldomParser } from '@xmldom/xmldom';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { decodeUtf8 } from '../util/bytes.js';
import { DEFAULT_LIMITS, xmlLimitsOf } from '../limits.js';

export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxNodes: number;
}

/** The secure parser's share of `Limits` (src/limits.ts documents each one and its default). */
export const DEFAULT_XML_LIMITS: XmlLimits = xmlLimitsOf(DEFAULT_LIMITS);

/**
 * Parses untrusted XML into a DOM. Any DOCTYPE is refused before parsing (no
 * DTD, no entity expansion, no external fetch); every parser error or warning
 * is fatal, so the tree we verify is the tree a strict signer would have seen.
 * In browsers the platform DOMParser is used (its errors come back as a
 * <parsererror> document, which is refused); elsewhere @xmldom/xmldom 0.9, whose
 * warnings (e.g. an undefined entity kept as text) are fatal here as well.
 */
export function parseXml(input: Uint8Array | string, limits: XmlLimits = DEFAULT_XML_LIMITS): Document {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > limits.maxBytes) throw new LimitExceededError('xml.bytes', limits.maxBytes);
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  if (/<!DOCTYPE/i.test(text)) throw new InputFormatError('XML with a DOCTYPE is refused (no DTDs or entities in signed XML)');
  if (/<!ENTITY/i.test(text)) throw new InputFormatError('XML with an ENTITY declaration is refused');
  const source = text.replace(/^\uFEFF/, '');
  preScan(source, limits);
  const doc = nativeParser() ? parseNative(source) : parseXmldom(source);
  if (!doc?.documentElement) throw new InputFormatError('XML has no document element');
  checkShape(doc.documentElement, limits);
  return doc;
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

function parseXmldom(source: string): Document {
  const problems: string[] = [];
  const parser = new XmldomParser({
    onError: (level, message) => {
      problems.push(`${level}: ${message}`);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(source, 'application/xml') as unknown as Document;
  } catch (e) {
    throw new InputFormatError(`malformed XML: ${(e as Error).message}`, { cause: e });
  }
  if (problems.length) throw new InputFormatError(`malformed XML: ${problems[0]}`);
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

function checkShape(root: Element, limits: XmlLimits): void {
  let nodes = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) throw new LimitExceededError('xml.nodes', limits.maxNodes);
    if (depth > limits.maxDepth) throw new LimitExceededError('xml.depth', limits.maxDepth);
    for (let c = node.firstChild; c; c = c.nextSibling) stack.push([c, depth + 1]);
  }
}
