/** Small DOM helpers shared by the XML-DSig and XAdES code; namespace-exact, never by prefix. */
import { nextInDocumentOrder } from '../util/dom-walk.js';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
export const XADES141_NS = 'http://uri.etsi.org/01903/v1.4.1#';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** OASIS WS-Security utility namespace: its wsu:Id identifies SOAP parts (Body, Timestamp, tokens). */
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

export function isElement(n: Node | null | undefined): n is Element {
  return !!n && n.nodeType === ELEMENT_NODE;
}

export function childElements(parent: Node): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) if (isElement(c)) out.push(c);
  return out;
}

export function is(el: Element | undefined | null, ns: string, localName: string): el is Element {
  return !!el && el.namespaceURI === ns && el.localName === localName;
}

export function children(parent: Node, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) if (isElement(c) && c.namespaceURI === ns && c.localName === localName) out.push(c);
  return out;
}

/** The first child element named {ns}localName (no array built: it is asked for at every step of reading a signature). */
export function child(parent: Node, ns: string, localName: string): Element | undefined {
  for (let c = parent.firstChild; c; c = c.nextSibling) if (isElement(c) && c.namespaceURI === ns && c.localName === localName) return c;
  return undefined;
}

/**
 * The text of an element that must hold text only (DigestValue, SignatureValue,
 * X509Certificate...). Comments or child elements inside are refused, not
 * skipped: "abc<!---->def" is the CVE-2025-29775 class of confusion.
 */
export function strictText(el: Element): string {
  let s = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_NODE) s += c.nodeValue ?? '';
    else throw new Error(`<${el.localName}> must contain text only (found node type ${c.nodeType})`);
  }
  return s;
}

/** Every element in document order (iterative: no recursion depth issues). */
export function allElements(root: Node): Element[] {
  const out: Element[] = [];
  forEachElement(root, (el) => {
    out.push(el);
  });
  return out;
}

/** Calls `visit` on `root` (when an element) and every element below it, in document order (nextInDocumentOrder). */
export function forEachElement(root: Node, visit: (el: Element) => void): void {
  for (let n: Node | null = root; n; n = nextInDocumentOrder(n, root)) if (n.nodeType === ELEMENT_NODE) visit(n as Element);
}

/** Is `a` one of the identifier attributes (Id, ID, id, xml:id, wsu:Id)? */
function isIdAttribute(a: Attr): boolean {
  const ns = a.namespaceURI;
  const local = a.localName;
  if (!ns) return local === 'Id' || local === 'ID' || local === 'id';
  return (ns === XML_NS && local === 'id') || (ns === WSU_NS && local === 'Id');
}

/**
 * Attributes that XML-DSig applications treat as identifiers (Id, ID, id, xml:id, and WS-Security's wsu:Id).
 * Every one of them counts for uniqueness: an Id carried as Id on one element and wsu:Id on another is ambiguous.
 */
export function idsOf(el: Element): string[] {
  const out: string[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if (isIdAttribute(a)) out.push(a.value);
  }
  return out;
}

/** Id value → every element carrying it, over the whole document (duplicates are how wrapping attacks begin). */
export function indexIds(doc: Document): Map<string, Element[]> {
  const map = new Map<string, Element[]>();
  forEachElement(doc, (el) => {
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (!isIdAttribute(a)) continue;
      const list = map.get(a.value);
      if (list) {
        if (!list.includes(el)) list.push(el);
      } else map.set(a.value, [el]);
    }
  });
  return map;
}

/** A readable, unambiguous location such as `/root[1]/ds:Signature[1]/ds:Object[1]/item[1]`. */
export function xpathOf(node: Node): string {
  const parts: string[] = [];
  let n: Node | null = node;
  while (n && isElement(n)) {
    const el: Element = n;
    let pos = 1;
    for (let s = el.previousSibling; s; s = s.previousSibling) {
      if (isElement(s) && s.namespaceURI === el.namespaceURI && s.localName === el.localName) pos++;
    }
    parts.unshift(`${el.nodeName}[${pos}]`);
    n = el.parentNode;
  }
  return '/' + parts.join('/');
}

export function isAncestorOrSelf(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

/** Child indices from `ancestor` down to `node`, to find the same node in a deep clone. */
export function pathFrom(ancestor: Node, node: Node): number[] | undefined {
  const path: number[] = [];
  let n: Node | null = node;
  while (n && n !== ancestor) {
    const p: Node | null = n.parentNode;
    if (!p) return undefined;
    let i = 0;
    for (let c = p.firstChild; c && c !== n; c = c.nextSibling) i++;
    path.unshift(i);
    n = p;
  }
  return n === ancestor ? path : undefined;
}

export function followPath(root: Node, path: readonly number[]): Node | undefined {
  let n: Node | null = root;
  for (const i of path) {
    let c: Node | null = n ? n.firstChild : null;
    for (let k = 0; k < i && c; k++) c = c.nextSibling;
    if (!c) return undefined;
    n = c;
  }
  return n ?? undefined;
}
