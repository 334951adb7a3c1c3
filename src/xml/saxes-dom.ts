import { DOMImplementation } from '@xmldom/xmldom';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { InputFormatError } from '../errors.js';

/**
 * The Node parser: saxes reads the text (a strict, namespace-aware XML 1.0 parser that refuses what is not
 * well-formed and namespace-well-formed) and each event becomes an @xmldom/xmldom node through xmldom's public
 * DOM API, the same calls xmldom's own DOMParser makes. xmldom's DOMParser costs a quarter of a distinct
 * XAdES verify (its tokenizer compiles a regular expression per end tag and matches the rest of the document
 * per processing instruction); saxes reads the same text in about a fifth of that time, and the DOM is the
 * same xmldom DOM the XML-DSig code, the C14N and XMLSerializer already use.
 *
 * The tree is the one xmldom's DOMParser built for every document both accept (test/xml-saxes-dom.test.ts
 * compares the two over the corpus, the fixtures and mutations of them), including where xmldom departs from
 * XML 1.0 and a verdict depended on it, except line ends:
 * - line ends are XML 1.0's (saxes: CR LF and a lone CR become LF), not xmldom's (its normalizeLineEndings applies
 *   XML 1.1's rules to every document: U+0085, U+2028 and U+2029 became LF too). With xmldom's, a signed line feed
 *   and an unsigned U+2028 were the same text to us and different text to libxml2, browsers and any other XML 1.0
 *   reader: a signed document could be given line separators in place of its line feeds and still verify
 *   (test/xml-line-ends.test.ts, against xmlsec1);
 * - the XML declaration is a first "xml" processing instruction whose data is the declaration's text (the
 *   C14N skips it), and white space between top-level nodes is kept as Text children of the Document (not
 *   the white space after the last one);
 * - an empty CDATA section leaves no node, and the text around it is one Text node;
 * - text containing U+FFFD is refused (xmldom warns on it, and a warning is fatal in parseXml);
 * - a lone surrogate is refused here, before saxes, which would pair it with the next code unit whatever that is
 *   (xmldom kept it as text; a string argument can carry one, UTF-8 input cannot).
 * saxes is stricter than xmldom's DOMParser where xmldom accepts what XML 1.0 or Namespaces 1.0 forbid:
 * characters outside Char (raw or as references, e.g. &#0;), "]]>" in text, a bare "&", two attributes with
 * one expanded name (xmldom kept one and dropped the other silently), the xml prefix bound to another
 * namespace, a prefix bound to "" (XML 1.0 cannot undeclare), colons in PI targets, "<a/ >", U+00A0 and other
 * characters JavaScript's \s takes for white space after the root element. Those documents are refused.
 *
 * One saxes departure is closed here: it trims a namespace declaration's value before binding it (JavaScript's
 * trim, so no-break and other Unicode spaces too), where the Namespaces recommendation, xmldom and libxml2 take
 * the value as it is; `xmlns:ds=" http://www.w3.org/2000/09/xmldsig#"` would name the signature namespace for
 * us and another one for them. A namespace name with leading or trailing white space is no URI reference, and
 * such a declaration is refused.
 *
 * Every saxes error is fatal: the first one throws (no error handler is installed) and nothing is returned.
 * The document is read as XML 1.0 whatever version it declares (xmldom ignores the version too).
 */
export function parseToXmldom(source: string): Document {
  if (source.includes('\uFFFD')) throw new InputFormatError('malformed XML: the text contains U+FFFD (a replacement character: an encoding problem upstream)');
  // A lone surrogate is no character (text decoded from UTF-8 has none, a string argument may). saxes pairs a high
  // surrogate with whatever code unit follows and reads on: "\uD800<ds:X/>" became text, markup and all.
  if (!isWellFormed(source)) throw new InputFormatError('malformed XML: the text contains a lone UTF-16 surrogate (not a character)');
  // parseXml refuses any DOCTYPE (in any case) before parsing; refused here too rather than read by saxes.
  if (source.includes('<!DOCTYPE')) throw new InputFormatError('XML with a DOCTYPE is refused (no DTDs or entities in signed XML)');
  const doc = impl.createDocument(null, '', null) as unknown as Document;
  const parser = treeBuilder(doc);
  try {
    parser.write(source).close();
  } catch (e) {
    if (e instanceof InputFormatError) throw e;
    throw new InputFormatError(`malformed XML: ${(e as Error).message}`, { cause: e });
  }
  // xmldom keeps white space between top-level nodes but not after the last one.
  if (doc.lastChild?.nodeType === TEXT_NODE) doc.removeChild(doc.lastChild);
  // saxes has checked the declaration (it can only open the document); xmldom's node carries its text.
  const decl = XML_DECLARATION.exec(source);
  if (decl) doc.insertBefore(doc.createProcessingInstruction('xml', decl[1]!.replace(/\r\n?/g, '\n')), doc.firstChild);
  return doc;
}

/**
 * A saxes parser whose events append to `doc`. Six handlers, no more: saxes stores each in a property added to
 * the parser object, and from the seventh on V8 turns the object into a dictionary (Node 20, 22 and 24 alike),
 * making every field read in its character loop a hash lookup; the parse then costs three times as much
 * (test/xml-saxes-dom.test.ts checks the object keeps fast properties). The XML declaration and the DOCTYPE are
 * therefore handled without handlers, in parseToXmldom.
 */
export function treeBuilder(doc: Document): SaxesParser<{ xmlns: true; position: false; defaultXMLVersion: '1.0'; forceXMLVersion: true }> {
  let parent: Node = doc;
  const parser = new SaxesParser({ xmlns: true, position: false, defaultXMLVersion: '1.0', forceXMLVersion: true });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const el = doc.createElementNS(tag.uri || null, tag.name);
    for (const name in tag.attributes) {
      const a = tag.attributes[name]!;
      if (a.uri === XMLNS_NS && a.value !== a.value.trim()) {
        throw new InputFormatError(`malformed XML: namespace declaration ${a.name}=${JSON.stringify(a.value.slice(0, 100))} has white space around the namespace name`);
      }
      el.setAttributeNS(a.uri || null, a.name, a.value);
    }
    parent.appendChild(el);
    parent = el;
  });
  parser.on('closetag', () => {
    parent = parent.parentNode!;
  });
  parser.on('text', (t: string) => {
    // xmldom's DOMParser normalizes the document once built: text on either side of an empty CDATA
    // section is one node. Merging here gives the same tree without the extra walk.
    const last = parent.lastChild;
    if (last?.nodeType === TEXT_NODE) (last as Text).appendData(t);
    else parent.appendChild(doc.createTextNode(t));
  });
  parser.on('cdata', (t: string) => {
    if (t) parent.appendChild(doc.createCDATASection(t));
  });
  parser.on('comment', (t: string) => {
    parent.appendChild(doc.createComment(t));
  });
  parser.on('processinginstruction', (pi: { target: string; body: string }) => {
    parent.appendChild(doc.createProcessingInstruction(pi.target, pi.body));
  });
  return parser;
}

/** String.prototype.isWellFormed (Node 20+), not in the ES2022 lib this package compiles against. */
const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

const impl = new DOMImplementation();
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const TEXT_NODE = 3;
/** The declaration's text as xmldom keeps it: after "<?xml" and the white space that follows, up to the first "?>" (line ends as XML 1.0 reads them). */
const XML_DECLARATION = /^<\?xml[\x20\t\r\n]+([\s\S]*?)\?>/;
