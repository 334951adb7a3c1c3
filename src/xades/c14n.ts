import { InputFormatError } from '../errors.js';
import type { C14nMethod } from './algorithms.js';
import { isElement, XML_NS, XMLNS_NS } from './dom.js';

/**
 * Canonical XML of our own: W3C Canonical XML 1.0 and 1.1 (inclusive) and
 * Exclusive XML Canonicalization 1.0, each with or without comments.
 *
 * Every namespace decision is read from the DOM's namespace data, never from
 * attribute names: a namespace declaration is an attribute whose namespaceURI
 * is the xmlns namespace (and whose name is `xmlns` or `xmlns:*`); an element's
 * or attribute's binding is its namespaceURI/prefix/localName. The bindings in
 * scope are recomputed from those declarations and must agree with the
 * namespaceURI the parser gave every element and attribute; any disagreement,
 * or a declaration XML Namespaces 1.0 forbids, is refused (thrown) rather than
 * rendered, so two different documents can never meet in one canonical form.
 *
 * What is rendered is the node-set XML-DSig hands us: a whole document, or an
 * element (the apex) with all its descendants — possibly a copy from which the
 * enveloped signature was removed. `source` is that node; `original` is where it
 * sits in the real document and gives the context the apex inherits: the
 * namespaces in scope, and for inclusive C14N the xml:* attributes of its
 * ancestors (C14N 1.0 §2.4; C14N 1.1 inherits only xml:lang and xml:space,
 * never xml:id, and its xml:base fix-up is not implemented: a subtree under an
 * inherited xml:base, or under another xml:* attribute whose 1.1 treatment is
 * not defined, is refused for 1.1 with an error).
 *
 * `exclude`: descendants of `source` rendered as if absent (a node-set minus
 * those subtrees), so transforms never copy or alter the document.
 *
 * Uses only standard DOM (nodeType, attributes, namespaceURI, prefix,
 * localName), so @xmldom/xmldom and the browsers' DOMParser both work.
 */
export function canonicalize(source: Node, original: Node, method: C14nMethod, inclusivePrefixes?: string, exclude?: ReadonlySet<Node>): string {
  const out: string[] = [];
  const prefixList = method.exclusive ? parsePrefixList(inclusivePrefixes) : undefined;
  const ctx: Ctx = { out, method, prefixList, exclude };
  if (source.nodeType === DOCUMENT_NODE) {
    let seenRoot = false;
    for (let c = source.firstChild; c; c = c.nextSibling) {
      if (isElement(c)) {
        renderTree(ctx, c, ROOT_SCOPE, ROOT_RENDERED, []);
        seenRoot = true;
      } else if (c.nodeType === COMMENT_NODE || c.nodeType === PROCESSING_INSTRUCTION_NODE) {
        if (c.nodeType === COMMENT_NODE && !method.withComments) continue;
        // @xmldom/xmldom keeps the XML declaration as a first "xml" PI; it is not a PI and not in the data model.
        if (c.nodeType === PROCESSING_INSTRUCTION_NODE && c === source.firstChild && (c as ProcessingInstruction).target === 'xml') continue;
        // C14N §2.1: outside the document element, a #xA separates each comment/PI from it.
        if (seenRoot) out.push('\n');
        renderLeaf(ctx, c);
        if (!seenRoot) out.push('\n');
      }
      // Text (only whitespace is allowed here) and the DOCTYPE are not in the canonical form.
    }
  } else if (isElement(source)) {
    const { scope, inherited } = apexContext(original, method);
    renderTree(ctx, source, scope, ROOT_RENDERED, inherited);
  } else {
    throw c14nError(`cannot canonicalize a node of type ${source.nodeType}`);
  }
  return out.join('');
}

const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;
const DOCUMENT_NODE = 9;

/**
 * Namespace bindings, prefix ('' = default namespace) → URI ('' = none), as a chain of the
 * elements that changed them: a lookup walks at most the document depth, and an element that
 * declares nothing shares its parent's link. (Copying a map per element, or looking at every
 * binding in scope on every element, is quadratic: 5000 declarations over 5000 elements took a minute.)
 */
interface Scope {
  readonly parent: Scope | undefined;
  readonly own: ReadonlyMap<string, string>;
}
const ROOT_SCOPE: Scope = { parent: undefined, own: new Map([['', '']]) };
/** What output ancestors already rendered. Nothing rendered means the default namespace is empty. */
const ROOT_RENDERED: Scope = ROOT_SCOPE;

function lookup(scope: Scope | undefined, prefix: string): string | undefined {
  for (let s = scope; s; s = s.parent) {
    const v = s.own.get(prefix);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Every binding in scope (nearest wins): needed once, on the apex. */
function flatten(scope: Scope): Map<string, string> {
  const links: Scope[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) links.push(s);
  const all = new Map<string, string>();
  for (let i = links.length - 1; i >= 0; i--) for (const [p, uri] of links[i]!.own) all.set(p, uri);
  return all;
}

interface Ctx {
  readonly out: string[];
  readonly method: C14nMethod;
  /** Exclusive C14N: prefixes ('' for #default) handled the inclusive way. */
  readonly prefixList: ReadonlySet<string> | undefined;
  /**
   * Descendants rendered as if absent (the enveloped-signature transform, XPath not(ancestor-or-self::ds:Signature)):
   * the node-set without them, serialized without copying or changing the document.
   */
  readonly exclude: ReadonlySet<Node> | undefined;
}

interface XmlAttr {
  readonly localName: string;
  readonly value: string;
}

function c14nError(message: string): InputFormatError {
  return new InputFormatError(`C14N: ${message}`);
}

/** InclusiveNamespaces/@PrefixList (exc-C14N §3): whitespace-separated prefixes, `#default` for the default namespace. */
function parsePrefixList(list: string | undefined): Set<string> {
  const set = new Set<string>();
  for (const token of (list ?? '').split(/[\t\n\r ]+/)) {
    if (!token) continue;
    set.add(token === '#default' ? '' : token);
  }
  return set;
}

/** Is `a` one of the namespace-declaration attributes (`xmlns` or `xmlns:p`)? Anything else in the xmlns namespace is refused. */
function isNamespaceDeclaration(a: Attr): boolean {
  if (a.namespaceURI !== XMLNS_NS) {
    if ((a.prefix === 'xmlns' || (!a.prefix && a.localName === 'xmlns')) && a.namespaceURI !== XMLNS_NS) {
      throw c14nError(`attribute ${a.name} looks like a namespace declaration but is not one in the DOM`);
    }
    return false;
  }
  if (a.prefix === 'xmlns' || (!a.prefix && a.localName === 'xmlns')) return true;
  throw c14nError(`attribute ${a.name} is in the xmlns namespace without being a namespace declaration`);
}

/** The binding one declaration makes: [prefix, uri], validated against XML Namespaces 1.0 §3. */
function declaration(a: Attr): [string, string] {
  const prefix = a.prefix === 'xmlns' ? a.localName : '';
  const uri = a.value;
  if (prefix === 'xmlns') throw c14nError('the xmlns prefix cannot be declared');
  if (prefix === 'xml') {
    if (uri !== XML_NS) throw c14nError(`the xml prefix bound to ${uri}`);
    return [prefix, uri];
  }
  if (uri === XML_NS || uri === XMLNS_NS) throw c14nError(`prefix "${prefix}" bound to the reserved namespace ${uri}`);
  if (prefix && !uri) throw c14nError(`xmlns:${prefix}="" (prefix undeclaration) is not XML Namespaces 1.0`);
  // C14N 1.0 §2 (and libxml2, which xmlsec1 uses): a relative namespace URI is an operation failure.
  if (uri && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) throw c14nError(`relative namespace URI "${uri}"`);
  return [prefix, uri];
}

/** Namespaces in scope at the apex's parent and the xml:* attributes the apex inherits (inclusive C14N only). */
function apexContext(original: Node, method: C14nMethod): { scope: Scope; inherited: XmlAttr[] } {
  const ancestors: Element[] = [];
  for (let n = original.parentNode; n && isElement(n); n = n.parentNode) ancestors.push(n);
  const scope = new Map(ROOT_SCOPE.own);
  const xmlAttrs = new Map<string, string>();
  // Outermost first, so nearer declarations / xml:* values override farther ones.
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const el = ancestors[i]!;
    for (let k = 0; k < el.attributes.length; k++) {
      const a = el.attributes.item(k)!;
      if (isNamespaceDeclaration(a)) {
        const [p, uri] = declaration(a);
        if (p !== 'xml') scope.set(p, uri);
      } else if (a.namespaceURI === XML_NS) xmlAttrs.set(a.localName, a.value);
    }
  }
  const inherited: XmlAttr[] = [];
  if (!method.exclusive) {
    for (const [localName, value] of xmlAttrs) {
      if (!method.v11) inherited.push({ localName, value });
      else if (localName === 'lang' || localName === 'space') inherited.push({ localName, value });
      else if (localName === 'id') continue; // C14N 1.1 §2.4: xml:id is not inherited
      else throw c14nError(`C14N 1.1 of a subtree under an inherited xml:${localName} is not supported (xml:base fix-up is not implemented)`);
    }
  }
  return { scope: { parent: undefined, own: scope }, inherited };
}

interface Frame {
  readonly el: Element;
  /** Its qualified name, for the closing tag. */
  readonly name: string;
  readonly scope: Scope;
  readonly rendered: Scope;
}

/**
 * Renders `root` and its descendants; iterative, so document depth never meets the call stack.
 * The walk follows the DOM's own links (firstChild / nextSibling / parentNode) and keeps a stack of the
 * open elements only: no work item is allocated per text node or closing tag.
 */
function renderTree(ctx: Ctx, root: Element, parentScope: Scope, parentRendered: Scope, inherited: readonly XmlAttr[]): void {
  const { out, exclude } = ctx;
  const open: Frame[] = [openElement(ctx, root, parentScope, parentRendered, inherited, true)];
  let next: Node | null = root.firstChild;
  for (;;) {
    if (next) {
      const c: Node = next;
      if (exclude?.has(c)) {
        next = c.nextSibling;
      } else if (isElement(c)) {
        const parent = open[open.length - 1]!;
        open.push(openElement(ctx, c, parent.scope, parent.rendered, NO_XML_ATTRS, false));
        next = c.firstChild;
      } else {
        renderLeaf(ctx, c);
        next = c.nextSibling;
      }
      continue;
    }
    // No more children: close the innermost open element and go on with its next sibling.
    const done = open.pop()!;
    out.push(`</${done.name}>`);
    if (!open.length) return;
    next = done.el.nextSibling;
  }
}

const NO_XML_ATTRS: readonly XmlAttr[] = [];

/** An attribute as rendered: its expanded name (sort key) and its qualified name and value. */
interface RenderedAttr {
  readonly ns: string;
  readonly local: string;
  readonly name: string;
  readonly value: string;
}

/**
 * Writes the start tag of `el`; returns the scope and rendered namespaces its children see.
 * `scope` / `rendered`: bindings in scope at the parent, and what output ancestors rendered; `inherited`: xml:*
 * attributes inherited from outside the node-set (the apex of a subset, inclusive C14N); `apex`: the top of
 * what is rendered (no output ancestor).
 */
function openElement(ctx: Ctx, el: Element, parentScope: Scope, parentRendered: Scope, inherited: readonly XmlAttr[], apex: boolean): Frame {
  const { method, prefixList, out } = ctx;
  const attrs: Attr[] = [];
  // Most elements declare nothing: their scope is the parent's, and no map is built for them.
  let own: Map<string, string> | undefined;
  const attributes = el.attributes;
  for (let k = 0; k < attributes.length; k++) {
    const a = attributes.item(k)!;
    if (isNamespaceDeclaration(a)) {
      const [p, uri] = declaration(a);
      if (p === 'xml') continue; // always in scope, never rendered
      own ??= new Map();
      if (own.has(p)) throw c14nError(`namespace prefix "${p}" declared twice on <${el.nodeName}>`);
      own.set(p, uri);
    } else attrs.push(a);
  }
  const scope: Scope = own ? { parent: parentScope, own } : parentScope;

  // The DOM's bindings must be the ones the declarations make.
  const elPrefix = el.prefix ?? '';
  checkBinding(scope, elPrefix, el.namespaceURI, el);
  // Prefixes visibly utilized (exclusive C14N): a handful at most, so an array with includes() is enough.
  const used: string[] = [elPrefix];
  for (let k = 0; k < attrs.length; k++) {
    const a = attrs[k]!;
    if (!a.prefix) {
      if (a.namespaceURI) throw c14nError(`unprefixed attribute ${a.name} has namespace ${a.namespaceURI}`);
      continue;
    }
    checkBinding(scope, a.prefix, a.namespaceURI, a);
    if (!used.includes(a.prefix)) used.push(a.prefix);
  }

  // Which namespace bindings this element might render. Below the apex a binding can only differ
  // from what the output ancestors rendered where this element declares it, so only those (and,
  // for exclusive C14N, the prefixes it visibly utilizes) need a look.
  const candidates: string[] = [];
  if (!method.exclusive) {
    if (apex) for (const p of flatten(scope).keys()) addOnce(candidates, p);
    else if (own) for (const p of own.keys()) addOnce(candidates, p);
  } else {
    for (const p of used) if (p !== 'xml') addOnce(candidates, p);
    if (apex) {
      for (const p of prefixList!) if (lookup(scope, p) !== undefined) addOnce(candidates, p);
    } else if (own) for (const p of own.keys()) if (prefixList!.has(p)) addOnce(candidates, p);
  }
  let rendered = parentRendered;
  let decls: [string, string][] | undefined;
  for (const p of candidates) {
    const uri = lookup(scope, p) ?? '';
    if ((lookup(rendered, p) ?? '') === uri) continue; // the nearest output ancestor already says so (superfluous)
    if (p && !uri) continue; // cannot happen after declaration() checks; never print xmlns:p=""
    (decls ??= []).push([p, uri]);
  }

  const name = qualifiedName(el);
  let tag = `<${name}`;
  if (decls) {
    rendered = { parent: rendered, own: new Map(decls) };
    if (decls.length > 1) decls.sort((x, y) => compareCodePoints(x[0], y[0]));
    for (const [p, uri] of decls) tag += `${p ? ` xmlns:${p}` : ' xmlns'}="${escapeAttr(uri)}"`;
  }

  if (attrs.length === 1 && !inherited.length) {
    // One attribute (the common case beside none): nothing to order, nothing to compare.
    const a = attrs[0]!;
    tag += ` ${qualifiedName(a)}="${escapeAttr(a.value)}"`;
  } else if (attrs.length || inherited.length) {
    const list: RenderedAttr[] = attrs.map((a) => ({ ns: a.namespaceURI ?? '', local: a.localName, name: qualifiedName(a), value: a.value }));
    if (inherited.length) {
      const present = new Set(attrs.filter((a) => a.namespaceURI === XML_NS).map((a) => a.localName));
      for (const x of inherited) if (!present.has(x.localName)) list.push({ ns: XML_NS, local: x.localName, name: `xml:${x.localName}`, value: x.value });
    }
    if (list.length > 1) {
      list.sort((x, y) => compareCodePoints(x.ns, y.ns) || compareCodePoints(x.local, y.local));
      for (let i = 1; i < list.length; i++) {
        if (list[i]!.ns === list[i - 1]!.ns && list[i]!.local === list[i - 1]!.local) throw c14nError(`attribute {${list[i]!.ns}}${list[i]!.local} appears twice on <${el.nodeName}>`);
      }
    }
    for (const a of list) tag += ` ${a.name}="${escapeAttr(a.value)}"`;
  }
  out.push(tag + '>');
  return { el, name, scope, rendered };
}

function addOnce(list: string[], p: string): void {
  if (!list.includes(p)) list.push(p);
}

/** `node`'s prefix must be bound, in `scope`, to the namespace the DOM gave it (the message is built only on failure). */
function checkBinding(scope: Scope, prefix: string, namespaceURI: string | null, node: Element | Attr): void {
  const actual = namespaceURI ?? '';
  const expected = prefix === 'xml' ? XML_NS : lookup(scope, prefix);
  if (expected === undefined) throw c14nError(`${describe(node)}: prefix "${prefix}" is not declared`);
  if (expected !== actual) throw c14nError(`${describe(node)}: namespace "${actual}" in the DOM, but its prefix is bound to "${expected}"`);
  if (prefix !== 'xml' && actual === XML_NS) throw c14nError(`${describe(node)}: the XML namespace under prefix "${prefix}"`);
}

function describe(node: Element | Attr): string {
  return isElement(node) ? `element <${node.nodeName}>` : `attribute ${node.name}`;
}

function qualifiedName(n: Element | Attr): string {
  return n.prefix ? `${n.prefix}:${n.localName}` : n.localName;
}

function renderLeaf(ctx: Ctx, n: Node): void {
  switch (n.nodeType) {
    case TEXT_NODE:
    case CDATA_SECTION_NODE:
      ctx.out.push(escapeText(n.nodeValue ?? ''));
      return;
    case COMMENT_NODE:
      if (ctx.method.withComments) ctx.out.push(`<!--${n.nodeValue ?? ''}-->`);
      return;
    case PROCESSING_INSTRUCTION_NODE: {
      const pi = n as ProcessingInstruction;
      if (pi.target.toLowerCase() === 'xml') throw c14nError('an XML declaration inside the document');
      ctx.out.push(pi.data ? `<?${pi.target} ${pi.data}?>` : `<?${pi.target}?>`);
      return;
    }
    default:
      // Entity references and anything else a DTD-free parse never yields.
      throw c14nError(`unexpected node of type ${n.nodeType}`);
  }
}

const TEXT_SPECIALS = /[&<>\r]/;
const ATTR_SPECIALS = /[&<"\t\n\r]/;

/** C14N §2.3 text nodes: &, <, > and #xD escaped. */
function escapeText(s: string): string {
  // Most text needs no escaping: a test is much cheaper than a replace with a callback.
  if (!TEXT_SPECIALS.test(s)) return s;
  return s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

/** C14N §2.3 attribute values: &, <, ", #x9, #xA and #xD escaped. */
function escapeAttr(s: string): string {
  if (!ATTR_SPECIALS.test(s)) return s;
  return s.replace(/[&<"\t\n\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '"' ? '&quot;' : c === '\t' ? '&#x9;' : c === '\n' ? '&#xA;' : '&#xD;'));
}

/** Orders strings by Unicode code point (C14N's "lexicographic"), which UTF-16 `<` does not for characters above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Surrogates (U+D800..DFFF) stand for code points above U+FFFF, so they must sort after U+E000..FFFF. */
function rank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}
