/**
 * Where an enveloping signature's signed data may be (signature-wrapping defence).
 *
 * Enveloping (XML-DSig 2.0 "enveloping signature"): the data sits in a ds:Object that is a child of the
 * ds:Signature itself. The caller sees that data as "the document" only when nothing else in the document
 * can be taken for it:
 *   - the ds:Signature is the document element, or
 *   - "parallel" enveloping signatures (TÜBİTAK MA3 writes `<envelope><data/><signatures>` with one
 *     enveloping ds:Signature per signer): every node outside the document's top-level ds:Signature
 *     elements is an empty container — an element with no attributes (namespace declarations aside),
 *     no text but whitespace, not in the XML-DSig / XAdES namespaces — so the only content of the
 *     document is inside signatures, each of which is validated and reported on its own.
 * A signed ds:Object moved anywhere else, content next to the signatures, or a signature inside another
 * signature leaves the signed data apart from what the caller sees: SIGNED_DATA_NOT_FOUND (validate.ts).
 */
import { childElements, DSIG_NS, isAncestorOrSelf, isElement, xpathOf, XADES141_NS, XMLNS_NS } from './dom.js';
import { findQualifyingProperties, XADES_NAMESPACES } from './properties.js';

const RESERVED_NAMESPACES: readonly string[] = [DSIG_NS, ...XADES_NAMESPACES, XADES141_NS];

const TEXT_NODE = 3;
const CDATA_NODE = 4;

/** A document that holds nothing but ds:Signature elements in content-free containers. */
export interface SignatureContainer {
  /** The container elements, in document order (their paths). */
  readonly containers: readonly string[];
  /** The ds:Signature elements directly in the containers, in document order. */
  readonly signatures: readonly Element[];
}

const isObject = (n: Node | null): boolean => !!n && isElement(n) && n.namespaceURI === DSIG_NS && n.localName === 'Object';

/** `el` is a ds:Object child of `signature`, or an element directly in one (a ds:Object nested in another ds:Object is a moved one). */
export function isDirectObjectData(signature: Element, el: Element): boolean {
  if (isObject(el) && el.parentNode === signature) return true;
  return !isObject(el) && isObject(el.parentNode) && el.parentNode!.parentNode === signature;
}

/**
 * The document's shape when it holds only signatures in empty containers (the parallel enveloping layout),
 * `undefined` when anything else is in it (text, attributes, XML-DSig / XAdES elements outside a
 * ds:Signature) or the document element is itself a ds:Signature.
 */
export function signatureContainer(doc: Document): SignatureContainer | undefined {
  const root = doc.documentElement;
  if (!root || isSignature(root)) return undefined;
  const containers: string[] = [];
  const signatures: Element[] = [];
  const stack: Element[] = [root];
  while (stack.length) {
    const el = stack.pop()!;
    if (isSignature(el)) {
      signatures.push(el);
      continue;
    }
    if (RESERVED_NAMESPACES.includes(el.namespaceURI ?? '')) return undefined;
    for (let i = 0; i < el.attributes.length; i++) if (el.attributes.item(i)!.namespaceURI !== XMLNS_NS) return undefined;
    containers.push(xpathOf(el));
    const kids: Element[] = [];
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (isElement(c)) kids.push(c);
      else if ((c.nodeType === TEXT_NODE || c.nodeType === CDATA_NODE) && (c.nodeValue ?? '').trim() !== '') return undefined;
      // Comments and processing instructions: not content here; the coverage finding names them.
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return signatures.length ? { containers, signatures } : undefined;
}

function isSignature(el: Element): boolean {
  return el.namespaceURI === DSIG_NS && el.localName === 'Signature';
}

/**
 * Content of the signature's own ds:Object elements that no signed reference covers (the QualifyingProperties
 * holder aside, whose unsigned properties are unsigned by design): an enveloping document shows its objects,
 * so the report names those the signature does not sign.
 */
export function unsignedObjectContent(signature: Element, signed: readonly Element[]): string[] {
  const out: string[] = [];
  const holders: (Node | null)[] = findQualifyingProperties(signature).map((q) => q.parentNode);
  for (const o of childElements(signature)) {
    if (!isObject(o) || holders.includes(o)) continue;
    if (signed.some((s) => isAncestorOrSelf(s, o))) continue;
    const inner = signed.filter((s) => isAncestorOrSelf(o, s));
    if (!inner.length) {
      if (hasContent(o)) out.push(`not covered by the signature: ds:Object ${xpathOf(o)}${o.getAttribute('Id') ? ` (Id "${o.getAttribute('Id')}")` : ''}`);
      continue;
    }
    for (let c = o.firstChild; c; c = c.nextSibling) {
      if (isElement(c) ? !inner.some((s) => isAncestorOrSelf(s, c) || isAncestorOrSelf(c, s)) : (c.nodeType === TEXT_NODE || c.nodeType === CDATA_NODE) && (c.nodeValue ?? '').trim() !== '') {
        out.push(`not covered by the signature: ${isElement(c) ? xpathOf(c) : `text in ${xpathOf(o)}`}`);
      }
    }
  }
  return out;
}

function hasContent(el: Element): boolean {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (isElement(c)) return true;
    if ((c.nodeType === TEXT_NODE || c.nodeType === CDATA_NODE) && (c.nodeValue ?? '').trim() !== '') return true;
  }
  return false;
}
