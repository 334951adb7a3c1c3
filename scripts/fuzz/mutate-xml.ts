/**
 * DOM-level mutations of XML signatures: the signature-wrapping toolbox
 * (move / duplicate / wrap signed elements, change or duplicate Ids), plus
 * edits of text, attributes and namespaces. Serialized back with xmldom.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Rng } from './prng.js';

type El = Element;

function elements(doc: Document): El[] {
  const out: El[] = [];
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) {
        out.push(c as El);
        walk(c);
      }
    }
  };
  walk(doc);
  return out;
}

function isAncestorOrSelf(a: Node, n: Node | null): boolean {
  for (let p: Node | null = n; p; p = p.parentNode) if (p === a) return true;
  return false;
}

const ID_NAMES = ['Id', 'ID', 'id'];

export type XmlMutation = (doc: Document, rng: Rng) => boolean;

/** Moves an element (often a signed one) under another element: classic XSW. */
export const moveNode: XmlMutation = (doc, rng) => {
  const els = elements(doc).filter((e) => e !== doc.documentElement);
  if (els.length < 2) return false;
  const e = rng.pick(els);
  const targets = [...elements(doc)].filter((t) => !isAncestorOrSelf(e, t));
  if (!targets.length) return false;
  const t = rng.pick(targets);
  e.parentNode!.removeChild(e);
  const kids = Array.from(t.childNodes);
  t.insertBefore(e, kids.length ? rng.pick(kids) : null);
  return true;
};

/** Duplicates an element next to itself or elsewhere (keeps its Id: duplicate-Id wrapping). */
export const duplicateNode: XmlMutation = (doc, rng) => {
  const els = elements(doc).filter((e) => e !== doc.documentElement);
  if (!els.length) return false;
  const e = rng.pick(els);
  const copy = e.cloneNode(true) as El;
  if (rng.chance(0.3)) {
    // Make the copy differ, as an attacker would.
    const texts: Node[] = [];
    const walk = (n: Node) => {
      for (let c = n.firstChild; c; c = c.nextSibling) c.nodeType === 3 ? texts.push(c) : walk(c);
    };
    walk(copy);
    if (texts.length) rng.pick(texts).nodeValue = 'evil';
  }
  const targets = rng.chance(0.5) ? [e.parentNode as El] : elements(doc);
  const t = rng.pick(targets);
  if (t.nodeType === 9) return false;
  const kids = Array.from(t.childNodes);
  t.insertBefore(copy, kids.length ? rng.pick(kids) : null);
  return true;
};

/** Wraps an element in a new element (re-nesting), possibly the document element itself. */
export const wrapNode: XmlMutation = (doc, rng) => {
  const els = elements(doc);
  if (!els.length) return false;
  const e = rng.pick(els);
  const w = rng.chance(0.5) ? doc.createElementNS(e.namespaceURI, e.prefix ? `${e.prefix}:Wrapper` : 'Wrapper') : doc.createElement('Wrapper');
  e.parentNode!.replaceChild(w, e);
  w.appendChild(e);
  return true;
};

export const removeNode: XmlMutation = (doc, rng) => {
  const els = elements(doc).filter((e) => e !== doc.documentElement);
  if (!els.length) return false;
  const e = rng.pick(els);
  e.parentNode!.removeChild(e);
  return true;
};

/** Changes an Id value, copies one element's Id onto another, or removes it. */
export const changeId: XmlMutation = (doc, rng) => {
  const els = elements(doc);
  const withId = els.filter((e) => ID_NAMES.some((n) => e.hasAttribute(n)));
  if (!withId.length) return false;
  const src = rng.pick(withId);
  const name = ID_NAMES.find((n) => src.hasAttribute(n))!;
  const r = rng.int(3);
  if (r === 0) src.setAttribute(name, `${src.getAttribute(name)}x`);
  else if (r === 1) rng.pick(els).setAttribute(name, src.getAttribute(name)!);
  else src.removeAttribute(name);
  return true;
};

/** Edits one character of a text node (content, digest values, base64 certificates, times). */
export const editText: XmlMutation = (doc, rng) => {
  const texts: Node[] = [];
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3 && (c.nodeValue ?? '').trim()) texts.push(c);
      else if (c.nodeType === 1) walk(c);
    }
  };
  walk(doc);
  if (!texts.length) return false;
  const t = rng.pick(texts);
  const v = t.nodeValue!;
  const i = rng.int(v.length);
  const r = rng.int(3);
  t.nodeValue = r === 0 ? v.slice(0, i) + v.slice(i + 1) : r === 1 ? v.slice(0, i) + rng.pick(['A', '0', ' ', '\n', '=', 'Z']) + v.slice(i + 1) : v + ' ';
  return true;
};

/** Changes an attribute: an algorithm URI, a reference URI, a namespace declaration, or removes it. */
export const editAttribute: XmlMutation = (doc, rng) => {
  const els = elements(doc).filter((e) => e.attributes.length > 0);
  if (!els.length) return false;
  const e = rng.pick(els);
  const a = e.attributes[rng.int(e.attributes.length)]!;
  const r = rng.int(4);
  if (r === 0) e.removeAttributeNode(a);
  else if (r === 1) a.value = '';
  else if (r === 2) a.value = a.value.slice(0, -1);
  else a.value = rng.pick(['#', '', 'http://www.w3.org/2000/09/xmldsig#sha1', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', '#xpointer(/)', `${a.value}#`]);
  return true;
};

/** Inserts a comment or whitespace (invisible to most canonicalizations). */
export const insertNoise: XmlMutation = (doc, rng) => {
  const els = elements(doc);
  if (!els.length) return false;
  const e = rng.pick(els);
  const n = rng.chance(0.5) ? doc.createComment('x') : doc.createTextNode(rng.pick([' ', '\n', 'text']));
  const kids = Array.from(e.childNodes);
  e.insertBefore(n, kids.length ? rng.pick(kids) : null);
  return true;
};

export const XML_MUTATIONS = { moveNode, duplicateNode, wrapNode, removeNode, changeId, editText, editAttribute, insertNoise } as const;

export function parseForMutation(xml: string): Document | undefined {
  let bad = false;
  const doc = new DOMParser({ onError: () => (bad = true) }).parseFromString(xml, 'application/xml') as unknown as Document;
  return bad || !doc.documentElement ? undefined : doc;
}

export function serializeXml(doc: Document): string {
  return new XMLSerializer().serializeToString(doc as never);
}
