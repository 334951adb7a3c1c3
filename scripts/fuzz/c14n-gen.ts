/**
 * Generator of XML documents with hostile namespace layouts, each carrying an unsigned enveloped
 * ds:Signature template, for differential C14N testing against libxmlsec1 (scripts/fuzz/c14n-xmlsec.ts).
 * Seeded: document `index` of seed `seed` is always the same text.
 *
 * What it mixes: prefixes ending in "xmlns" (axmlns, xsixmlns), non-ASCII and dotted/hyphenated
 * prefixes, rebinding of a prefix on descendants, redundant re-declarations, default-namespace
 * declaration and undeclaration (xmlns=""), attributes under several prefixes bound to one URI,
 * xml:lang/xml:space/xml:id/xml:base, escapes in text and attribute values (&, <, >, ", tab, CR, LF,
 * literal tabs/newlines the parser normalises), CDATA, comments and PIs inside and outside the
 * document element. The template references the whole document (URI="" or #xpointer(/)) and one
 * element (xml:id="target", by #target or #xpointer(id('target'))), each with a random C14N
 * transform (inclusive 1.0/1.1, exclusive with a random InclusiveNamespaces PrefixList, with or
 * without comments); SignedInfo gets a random CanonicalizationMethod too.
 */
import { rngFor, type Rng } from './prng.js';

export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const C14N_ALGORITHMS = [
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  'http://www.w3.org/2006/12/xml-c14n11',
  'http://www.w3.org/2006/12/xml-c14n11#WithComments',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
] as const;
const EXC_NS = 'http://www.w3.org/2001/10/xml-exc-c14n#';

export interface HostileDocument {
  /** The document with an unsigned ds:Signature template (empty DigestValue/SignatureValue). */
  readonly xml: string;
  /** Algorithms used: SignedInfo, then each reference's C14N transform. */
  readonly methods: readonly string[];
  readonly description: string;
}

const PREFIXES = ['p', 'q', 'a', 'axmlns', 'xsixmlns', 'xmlnsx', 'p.q', 'p-1', '_u', 'ä', 'ş', 'ı', 'ж', 'ns', 'xsi', 'ec'];
// Absolute URIs only (C14N fails on relative namespace URIs; xmlsec1 and we both refuse them), and
// valid URIs (libxml2 refuses a namespace name with ", < or non-ASCII characters). No "&" either:
// libxml2's C14N prints it in a namespace declaration as "&#38;" where C14N 1.0 §2.3 says "&amp;"
// (the attack tests check our escaping of namespace values).
const URIS = [
  'urn:a',
  'urn:b',
  'urn:a:b',
  'http://www.w3.org/2001/XMLSchema-instance',
  'http://example.org/%C3%A4?x=1;y=2',
  'urn:example:invoice',
  'http://www.w3.org/2000/09/xmldsig#',
];
const LOCAL_ELEMENTS = ['e', 'Amount', 'x', 'ä', 'Item', 'n-1', 'n.2', '_z', 'nil'];
const LOCAL_ATTRS = ['a', 'b', 'nil', 'type', 'currency', 'ä', 'z', 'xmlns2'];
const ATTR_VALUES = ['v', 'a&amp;b', '&lt;x>', '&quot;q&quot;', "it's", 't&#9;ab', 'l&#10;f', 'c&#13;r', ' sp  aces ', 'ü', '', 'lit\teral\nws', 'p:q', '&#xD;&#xA;'];
const TEXTS = ['x', ' ', 'a&amp;b&lt;c>d', 'r&#13;n', 'crlf\r\nlf\ncr\rend', 'ü ş ı', ']]&gt;', '\t tab ', '&#x20AC;', '"\''];

interface Scope {
  readonly ns: ReadonlyMap<string, string>; // prefix ('' default) -> escaped URI text ('' none)
}

export function hostileNamespaceDocument(seed: string, index: number): HostileDocument {
  const rng = rngFor(`c14n:${seed}`, index);
  const methods = [rng.pick(C14N_ALGORITHMS), rng.pick(C14N_ALGORITHMS), rng.pick(C14N_ALGORITHMS)];
  const anyV11 = methods.some((m) => m.includes('c14n11'));
  let ids = 0;
  let elements = 0;
  let targetPlaced = false;
  let signaturePlaced = false;
  const template = (scope: Scope) => signatureTemplate(rng, methods, scope);

  function element(scope: Scope, depth: number, inTarget: boolean): string {
    elements++;
    const ns = new Map(scope.ns);
    const decls: string[] = [];
    if (rng.chance(0.3)) {
      const uri = rng.chance(0.35) ? '' : rng.pick(URIS);
      ns.set('', uri);
      decls.push(`xmlns="${uri}"`);
    }
    const nDecl = rng.int(4);
    const declared = new Set<string>();
    for (let i = 0; i < nDecl; i++) {
      const p = rng.pick(PREFIXES);
      if (declared.has(p)) continue;
      declared.add(p);
      // Often re-declare with the binding already in scope (superfluous), or rebind.
      const uri = ns.has(p) && rng.chance(0.4) ? ns.get(p)! : rng.pick(URIS);
      ns.set(p, uri);
      decls.push(`xmlns:${p}="${uri}"`);
    }
    const prefixed = [...ns.keys()].filter((p) => p !== '');
    const prefix = prefixed.length && rng.chance(0.6) ? rng.pick(prefixed) : '';
    const name = (prefix ? `${prefix}:` : '') + rng.pick(LOCAL_ELEMENTS);
    const attrs: string[] = [];
    const expanded = new Set<string>();
    const nAttr = rng.int(4);
    for (let i = 0; i < nAttr; i++) {
      const local = rng.pick(LOCAL_ATTRS);
      const ap = prefixed.length && rng.chance(0.5) ? rng.pick(prefixed) : '';
      const key = `${ap ? ns.get(ap) : ''}|${local}`;
      if (expanded.has(key)) continue;
      expanded.add(key);
      attrs.push(`${ap ? `${ap}:` : ''}${local}="${rng.pick(ATTR_VALUES)}"`);
    }
    if (rng.chance(0.2)) attrs.push(`xml:lang="${rng.pick(['kk', 'tr', 'ru', ''])}"`);
    if (rng.chance(0.15)) attrs.push(`xml:space="${rng.pick(['preserve', 'default'])}"`);
    if (!anyV11 && rng.chance(0.1)) attrs.push(`xml:base="${rng.pick(['http://example.org/a/', 'b/c', '../d'])}"`);
    let isTarget = false;
    if (!targetPlaced && !inTarget && depth >= 1 && rng.chance(0.5)) {
      attrs.push('xml:id="target"');
      targetPlaced = isTarget = true;
    } else if (rng.chance(0.1)) attrs.push(`xml:id="i${++ids}"`);
    const here: Scope = { ns };
    const parts: string[] = [];
    const nKids = depth >= 4 || elements > 40 ? 0 : rng.int(4);
    for (let i = 0; i < nKids; i++) {
      const r = rng.int(10);
      if (r < 4) parts.push(element(here, depth + 1, inTarget || isTarget));
      else if (r < 7) parts.push(rng.pick(TEXTS));
      else if (r === 7) parts.push(rng.pick(['<![CDATA[<&>]]>', '<![CDATA[]]>', '<![CDATA[\r\nx]]>']));
      else if (r === 8) parts.push(rng.pick(['<!-- c -->', '<!---->', '<!--\tä\r\n-->']));
      else parts.push(rng.pick(['<?pi data?>', '<?pi?>', '<?p-i  a="1" ?>']));
    }
    // The signature goes outside the target (its digest must not cover the signature being made):
    // into some descendant, else into the document element, which is rendered last.
    if (!inTarget && !isTarget && !signaturePlaced && (depth === 0 || rng.chance(0.3))) {
      parts.splice(rng.int(parts.length + 1), 0, SIGNATURE_MARK);
      signaturePlaced = true;
    }
    const all = [...decls, ...attrs];
    // Shuffle: attribute order in the source must not matter.
    for (let i = all.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    let body = parts.join('');
    if (body.includes(SIGNATURE_MARK)) body = body.replace(SIGNATURE_MARK, template(here));
    const open = `<${name}${all.length ? ' ' + all.join(' ') : ''}`;
    return body || rng.chance(0.5) ? `${open}>${body}</${name}>` : `${open}/>`;
  }

  let root = '';
  for (let attempt = 0; attempt < 20 && !targetPlaced; attempt++) {
    ids = 0;
    elements = 0;
    signaturePlaced = false;
    targetPlaced = false;
    root = element({ ns: new Map([['', '']]) }, 0, false);
  }
  const outside = () => rng.pick(['', '\n', '<!-- out -->', '<?out x?>', '\n<!--b-->\n', '<?o?>\n']);
  const xml = (rng.chance(0.5) ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') + outside() + root + outside();
  return {
    // Without a target (rare: 20 tries failed) the second reference is dropped.
    xml: targetPlaced ? xml : xml.replace(/<ds:Reference URI="#(?:target|xpointer\(id\('target'\)\))">.*?<\/ds:Reference>/, ''),
    methods,
    description: `seed ${seed} #${index}: SignedInfo ${short(methods[0]!)}, document ${short(methods[1]!)}, target ${short(methods[2]!)}`,
  };
}

const SIGNATURE_MARK = '\u0000SIGNATURE\u0000';

function short(uri: string): string {
  return uri.replace('http://www.w3.org/TR/2001/REC-xml-c14n-20010315', 'c14n10').replace('http://www.w3.org/2006/12/xml-c14n11', 'c14n11').replace('http://www.w3.org/2001/10/xml-exc-c14n#', 'exc');
}

function prefixList(rng: Rng, scope: Scope): string {
  const candidates = [...scope.ns.keys()].map((p) => (p === '' ? '#default' : p));
  candidates.push('#default', 'unbound');
  const out = new Set<string>();
  const n = rng.int(4);
  for (let i = 0; i < n; i++) out.add(rng.pick(candidates));
  // One space between prefixes: xmlsec1 reads an empty token between two spaces as #default
  // (exc-C14N §3 makes the list whitespace-separated; we ignore empty tokens).
  return [...out].join(' ');
}

function c14nElement(rng: Rng, tag: 'CanonicalizationMethod' | 'Transform', alg: string, scope: Scope): string {
  if (alg.startsWith(EXC_NS) && rng.chance(0.6)) {
    return `<ds:${tag} Algorithm="${alg}"><ec:InclusiveNamespaces xmlns:ec="${EXC_NS}" PrefixList="${prefixList(rng, scope)}"/></ds:${tag}>`;
  }
  return `<ds:${tag} Algorithm="${alg}"/>`;
}

function signatureTemplate(rng: Rng, methods: readonly string[], scope: Scope): string {
  const docUri = rng.chance(0.5) ? '' : '#xpointer(/)';
  const targetUri = rng.chance(0.5) ? '#target' : "#xpointer(id('target'))";
  const ref = (uri: string, transforms: string) =>
    `<ds:Reference URI="${uri}"><ds:Transforms>${transforms}</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference>`;
  return (
    `<ds:Signature xmlns:ds="${DSIG}"><ds:SignedInfo>${c14nElement(rng, 'CanonicalizationMethod', methods[0]!, scope)}` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
    ref(docUri, `<ds:Transform Algorithm="${DSIG}enveloped-signature"/>${c14nElement(rng, 'Transform', methods[1]!, scope)}`) +
    ref(targetUri, c14nElement(rng, 'Transform', methods[2]!, scope)) +
    `</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>`
  );
}
