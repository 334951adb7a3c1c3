import {
  XmlDsigC14NTransform,
  XmlDsigC14NWithCommentsTransform,
  XmlDsigExcC14NTransform,
  XmlDsigExcC14NWithCommentsTransform,
} from 'xmldsigjs';
import type { C14nMethod } from './algorithms.js';
import { isElement, XML_NS, XMLNS_NS } from './dom.js';

/**
 * Canonicalises a document or an element subtree with xmldsigjs' canonicalizer
 * (no C14N of our own). That canonicalizer only sees the subtree it is given,
 * so for an element apex we hand it a clone carrying the namespace declarations
 * (and, for inclusive C14N 1.0, the xml:* attributes) in scope at the apex in
 * the original tree — what C14N of a document subset renders on the apex.
 *
 * `source` is the node to render (possibly a clone already altered by an
 * enveloped-signature transform); `original` is where it sits in the real
 * document, used to read the in-scope context. Throws for C14N 1.1 when the
 * result could differ from C14N 1.0 (xml:* attributes inherited from outside).
 */
export function canonicalize(source: Node, original: Node, method: C14nMethod, inclusivePrefixes?: string): string {
  const t = method.exclusive
    ? method.withComments
      ? new XmlDsigExcC14NWithCommentsTransform()
      : new XmlDsigExcC14NTransform()
    : method.withComments
      ? new XmlDsigC14NWithCommentsTransform()
      : new XmlDsigC14NTransform();
  if (method.exclusive && inclusivePrefixes && t instanceof XmlDsigExcC14NTransform) {
    // "#default" names the default namespace in the PrefixList (exc-C14N 3); xmldsigjs keys it by ''.
    t.InclusiveNamespacesPrefixList = inclusivePrefixes
      .trim()
      .split(/\s+/)
      .map((p) => (p === '#default' ? '' : p))
      .join(' ');
  }
  let input: Node = source;
  if (isElement(original) && original.parentNode && isElement(original.parentNode)) {
    const apex = (source === original ? source.cloneNode(true) : source) as Element;
    const declared = new Set<string>();
    for (let i = 0; i < apex.attributes.length; i++) {
      const a = apex.attributes.item(i)!;
      if (a.namespaceURI === XMLNS_NS) declared.add(a.prefix ? a.localName : '');
    }
    const xmlAttrs = new Map<string, string>();
    for (let n: Node | null = original.parentNode; n && isElement(n); n = n.parentNode) {
      for (let i = 0; i < n.attributes.length; i++) {
        const a = n.attributes.item(i)!;
        if (a.namespaceURI === XMLNS_NS) {
          const prefix = a.prefix ? a.localName : '';
          if (declared.has(prefix)) continue;
          declared.add(prefix);
          // An ancestor's xmlns="" is the absence of a default namespace: nothing to render.
          if (prefix === '' && !a.value) continue;
          apex.setAttributeNS(XMLNS_NS, prefix ? `xmlns:${prefix}` : 'xmlns', a.value);
        } else if (a.namespaceURI === XML_NS && !xmlAttrs.has(a.localName)) {
          xmlAttrs.set(a.localName, a.value);
        }
      }
    }
    if (xmlAttrs.size) {
      if (method.v11) throw new Error('C14N 1.1 of a subtree under inherited xml:* attributes is not supported');
      if (!method.exclusive) {
        for (const [name, value] of xmlAttrs) if (!apex.hasAttributeNS(XML_NS, name)) apex.setAttributeNS(XML_NS, `xml:${name}`, value);
      }
    }
    input = apex;
  }
  t.LoadInnerXml(input);
  return t.GetOutput();
}
