import { TrustListError } from './errors.js';

/** Small namespace-aware DOM helpers for reading trusted lists; no XPath, no implicit namespaces. */

export function childElements(el: Element, ns?: string, local?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const e = n as Element;
    if ((ns === undefined || e.namespaceURI === ns) && (local === undefined || e.localName === local)) out.push(e);
  }
  return out;
}

export function child(el: Element, ns: string, local: string): Element | undefined {
  return childElements(el, ns, local)[0];
}

export function required(el: Element, ns: string, local: string, where: string): Element {
  const c = child(el, ns, local);
  if (!c) throw new TrustListError(`${where}: missing ${local}`);
  return c;
}

export function text(el: Element | undefined): string {
  return (el?.textContent ?? '').trim();
}

/** Prefers the English entry of a multilingual name list (`Name xml:lang`), else the first. */
export function multiLang(el: Element | undefined, ns: string, local: string): string {
  if (!el) return '';
  const items = childElements(el, ns, local);
  const en = items.find((i) => (i.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') || i.getAttribute('xml:lang')) === 'en');
  return text(en ?? items[0]);
}

/** Strips whitespace from base64 content as found in XML. */
export function base64Text(el: Element): string {
  return text(el).replace(/\s+/g, '');
}

export function isoTime(s: string, where: string): string {
  const t = Date.parse(s);
  if (!s || Number.isNaN(t)) throw new TrustListError(`${where}: not a date-time: "${s}"`);
  return new Date(t).toISOString();
}
