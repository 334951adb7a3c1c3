/**
 * Checks a list's XML against the TS 119 612 v2 structure table (tsl-schema.ts): required elements, their
 * order, cardinality, the value types that matter and xml:lang on multilingual entries. One finding per
 * violation, each with the element path (`/TrustServiceStatusList/SchemeInformation/TSLType`), so an
 * operator can fix a list before a relying party's schema-validating reader (DSS validates against the XSD)
 * rejects it. Elements in other namespaces where the table expects TSL ones are violations like any other.
 */
import { NS } from '../trust/uris.js';
import { ENGLISH_REQUIRED, TSL_ROOT, TSL_TYPES, type ComplexType, type Particle, type ValueType } from './tsl-schema.js';
import type { Finding } from './findings.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const TSL_TYPE_PREFIX = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/';

/** A value check: undefined when fine, else what is wrong and how bad (a vocabulary deviation is a warning). */
type Check = (v: string) => { severity: 'error' | 'warning'; message: string } | undefined;
const err = (message: string) => ({ severity: 'error' as const, message });

/** xsd:dateTime (with a time zone, which TS 119 612 requires: times are UTC). */
const DATE_TIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

const VALUE_TYPES: Readonly<Record<ValueType, Check>> = {
  string: () => undefined,
  nonEmptyString: (v) => (v.trim() ? undefined : err('empty')),
  tslVersion: (v) => (v === '5' || v === '6' ? undefined : err(`"${v}" is not 5 or 6 (TS 119 612 v2 lists are version 5, v2.2+ lists 6)`)),
  positiveInteger: (v) => (/^\+?0*[1-9]\d*$/.test(v) ? undefined : err(`"${v}" is not a positive integer`)),
  nonNegativeInteger: (v) => (/^\+?\d+$/.test(v) ? undefined : err(`"${v}" is not a non-negative integer`)),
  uri: (v) => (ABSOLUTE_URI.test(v) ? undefined : err(`"${v}" is not an absolute URI`)),
  tslType: (v) => {
    if (!ABSOLUTE_URI.test(v)) return err(`"${v}" is not an absolute URI`);
    // TS 119 612 5.3.3: EUgeneric / EUlistofthelists, and for other schemes <territory>list / <territory>listofthelists.
    if (v.startsWith(TSL_TYPE_PREFIX) && /^(EUgeneric|[A-Za-z]{2,}list(ofthelists)?|schemes)$/.test(v.slice(TSL_TYPE_PREFIX.length))) return undefined;
    if (v === 'http://ec.europa.eu/tools/lotl/mra/ades-lotl-tsl-type') return undefined;
    return { severity: 'warning', message: `"${v}" is not a TSLType of TS 119 612 5.3.3 (${TSL_TYPE_PREFIX}EUgeneric, …/CClist, …/CClistofthelists)` };
  },
  dateTime: (v) => {
    if (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) return err(`"${v}" is not an xsd:dateTime with a time zone`);
    return /Z$/.test(v) ? undefined : { severity: 'warning', message: `"${v}" is not in UTC (TS 119 612 5.1.2: Z)` };
  },
  base64: (v) => (/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v) && v.replace(/\s/g, '').length % 4 === 0 && v.trim() ? undefined : err('not base64')),
  countryCode: (v) =>
    /^[A-Z]{2}$/.test(v) ? undefined : { severity: 'warning', message: `"${v}" is not an ISO 3166-1 alpha-2 code or EU (TS 119 612 5.3.10)` },
  boolean: (v) => (/^(true|false|1|0)$/.test(v) ? undefined : err(`"${v}" is not an xsd:boolean`)),
};

/** Findings for every structure violation of the list in `doc`; empty when it follows the table. */
export function lintTslSchema(doc: Document): Finding[] {
  const out: Finding[] = [];
  const root = doc.documentElement;
  const path = `/${root.localName}`;
  if (root.namespaceURI !== TSL_ROOT.ns || root.localName !== TSL_ROOT.name) {
    out.push({ severity: 'error', rule: 'schema.root', message: `root is {${root.namespaceURI ?? ''}}${root.localName}, not tsl:${TSL_ROOT.name}`, where: path });
    return out;
  }
  checkElement(root, TSL_ROOT.type, path, out);
  return out;
}

function elementsOf(el: Element): Element[] {
  const r: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) r.push(n as Element);
  return r;
}

function hasText(el: Element): boolean {
  for (let n = el.firstChild; n; n = n.nextSibling) if ((n.nodeType === 3 || n.nodeType === 4) && n.nodeValue?.trim()) return true;
  return false;
}

const matches = (e: Element, q: Particle) => e.localName === q.name && e.namespaceURI === (q.ns ?? NS.tsl);
const label = (e: Element) => (e.namespaceURI === NS.tsl ? e.localName : `{${e.namespaceURI ?? ''}}${e.localName}`);

function checkElement(el: Element, type: string, path: string, out: Finding[]): void {
  if (type === 'any') return;
  const simple = VALUE_TYPES[type as ValueType];
  if (simple) {
    if (elementsOf(el).length) out.push({ severity: 'error', rule: 'schema.content', message: `${el.localName} has child elements; it holds a value only`, where: path });
    else checkValue(simple, el.textContent ?? '', path, out);
    return;
  }
  const t = TSL_TYPES[type];
  if (!t) throw new Error(`tsl-schema: no type ${type}`);
  checkAttributes(el, t, path, out);
  if (t.text) checkValue(VALUE_TYPES[t.text], el.textContent ?? '', path, out);
  if (t.open || t.text) return;
  if (hasText(el)) out.push({ severity: 'error', rule: 'schema.content', message: `${el.localName} has text content; it holds elements only`, where: path });
  const children = elementsOf(el);
  if (t.kind === 'sequence') checkSequence(el, t, children, path, out);
  else checkChoice(el, t, children, path, out);
}

function checkValue(check: Check, raw: string, path: string, out: Finding[]): void {
  const v = raw.trim();
  const r = check(v);
  if (r) out.push({ severity: r.severity, rule: 'schema.value', message: r.message, where: path });
}

function checkAttributes(el: Element, t: ComplexType, path: string, out: Finding[]): void {
  for (const [name, vt] of Object.entries(t.attributes ?? {})) {
    const v = name === 'xml:lang' ? el.getAttributeNS(XML_NS, 'lang') || el.getAttribute('xml:lang') : el.getAttribute(name);
    if (v === null || v === '') {
      out.push({ severity: 'error', rule: name === 'xml:lang' ? 'schema.lang' : 'schema.attribute', message: `${el.localName} has no ${name} attribute`, where: path });
      continue;
    }
    const r = VALUE_TYPES[vt](v);
    if (r) out.push({ severity: r.severity, rule: 'schema.attribute', message: `${name}: ${r.message}`, where: path });
  }
}

/** Children in schema order: each particle takes its run of matching children; whatever is left over is out of order or unknown. */
function checkSequence(el: Element, t: ComplexType, children: Element[], path: string, out: Finding[]): void {
  let i = 0;
  const unknown = (c: Element) => !t.particles.some((q) => matches(c, q));
  for (const [k, q] of t.particles.entries()) {
    // An element of no particle here is reported once and passed over, so it does not make the rest look out of order.
    while (i < children.length && unknown(children[i]!)) {
      const c = children[i++]!;
      out.push({ severity: 'error', rule: 'schema.unexpected', message: `${label(c)} is not allowed in ${el.localName}`, where: `${path}/${label(c)}` });
    }
    const run: Element[] = [];
    while (i < children.length && matches(children[i]!, q)) run.push(children[i++]!);
    if (run.length < q.min) {
      // Present but further on: the order is wrong; absent: it is missing.
      const later = children.slice(i).some((c) => matches(c, q));
      out.push(
        later
          ? { severity: 'error', rule: 'schema.order', message: `${q.name} is out of order: it must come ${k ? `after ${t.particles[k - 1]!.name}` : 'first'}`, where: `${path}/${q.name}` }
          : { severity: 'error', rule: 'schema.missing', message: `${el.localName} has no ${q.name} (required)`, where: `${path}/${q.name}` },
      );
      if (later) {
        // Take the misplaced run where it is, so the rest is checked in place.
        while (i < children.length && !matches(children[i]!, q)) i++;
        while (i < children.length && matches(children[i]!, q)) run.push(children[i++]!);
      }
    }
    if (run.length > q.max) out.push({ severity: 'error', rule: 'schema.cardinality', message: `${run.length} ${q.name} elements; at most ${q.max} allowed`, where: `${path}/${q.name}` });
    descend(run, q, path, out);
  }
  for (const c of children.slice(i)) {
    const known = t.particles.find((q) => matches(c, q));
    out.push(
      known
        ? { severity: 'error', rule: 'schema.order', message: `${c.localName} is out of order in ${el.localName} (schema order: ${t.particles.map((q) => q.name).join(', ')})`, where: `${path}/${label(c)}` }
        : { severity: 'error', rule: 'schema.unexpected', message: `${label(c)} is not allowed in ${el.localName}`, where: `${path}/${label(c)}` },
    );
  }
}

function checkChoice(el: Element, t: ComplexType, children: Element[], path: string, out: Finding[]): void {
  const min = t.min ?? 1;
  const max = t.max ?? 1;
  if (children.length < min) out.push({ severity: 'error', rule: 'schema.missing', message: `${el.localName} needs one of ${t.particles.map((q) => q.name).join(', ')}`, where: path });
  if (children.length > max) out.push({ severity: 'error', rule: 'schema.cardinality', message: `${el.localName} has ${children.length} children; ${max} allowed`, where: path });
  const used = new Set<string>();
  for (const q of t.particles) {
    const run = children.filter((c) => matches(c, q));
    if (run.length) used.add(q.name);
    descend(run, q, path, out);
  }
  if (t.homogeneous && used.size > 1) out.push({ severity: 'error', rule: 'schema.content', message: `${el.localName} mixes ${[...used].join(' and ')}; it holds one kind only`, where: path });
  for (const c of children.filter((c) => !t.particles.some((q) => matches(c, q)))) {
    out.push({ severity: 'error', rule: 'schema.unexpected', message: `${label(c)} is not allowed in ${el.localName}`, where: `${path}/${label(c)}` });
  }
}

function descend(run: readonly Element[], q: Particle, path: string, out: Finding[]): void {
  for (const [n, c] of run.entries()) {
    const here = `${path}/${q.name}${q.max > 1 ? `[${n + 1}]` : ''}`;
    checkElement(c, q.type, here, out);
  }
  if (ENGLISH_REQUIRED.has(q.name)) {
    for (const [n, c] of run.entries()) {
      const names = elementsOf(c).filter((x) => x.localName === 'Name');
      if (names.length && !names.some((x) => (x.getAttributeNS(XML_NS, 'lang') || x.getAttribute('xml:lang') || '').toLowerCase().startsWith('en'))) {
        out.push({ severity: 'warning', rule: 'schema.lang-en', message: `${q.name} has no English (xml:lang="en") entry`, where: `${path}/${q.name}${q.max > 1 ? `[${n + 1}]` : ''}` });
      }
    }
  }
}
