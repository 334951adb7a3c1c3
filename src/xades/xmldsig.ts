/**
 * XML-DSig core validation (W3C XML Signature 1.1, "core validation" = reference
 * validation + signature validation), written to be safe to call on hostile input:
 *
 * - The key is ALWAYS given by the caller (`opts.key`: a certificate the caller has
 *   identified, e.g. via XAdES SigningCertificateV2 or a trusted-list signer). Keys
 *   in ds:KeyInfo are never tried; KeyInfo certificates are only returned as
 *   candidates (`keyInfoCertificates`) for the caller to identify and path-validate.
 * - References are resolved here: `""` is the whole document,
 *   `#id` must match exactly one element over the whole document (Id/ID/id/xml:id;
 *   duplicates fail the reference), anything else is a detached reference served
 *   only from caller-supplied bytes (`opts.detachedContent`). No network, no files.
 * - Each reference reports what it covers (`covered`: element path, whether it is
 *   the document element, whether it lies inside the ds:Signature, e.g. ds:Object).
 *   Callers must consume only covered content (see XAdES signed-content policy).
 * - Canonicalisation is our own (./c14n.ts): C14N 1.0/1.1 and exclusive C14N, read
 *   from the DOM's namespace data; C14N 1.1 of a subtree under an inherited xml:base
 *   is refused (no fix-up). The enveloped-signature transform removes
 *   exactly the signature being verified. XPath / XPath-Filter-2 are unsupported
 *   (the reference fails with a message; never silently skipped).
 * - Digest mismatch and bad signature both yield `false` results, never a throw;
 *   structural problems (two SignedInfo, comments in DigestValue...) are reported
 *   in `problems` and make `signatureValid` false.
 * - Stateless: no global engine setup (e.g. xmldsigjs' `Application.setEngine`, which
 *   mutates globalThis.crypto and pkijs' engine slot); crypto goes through the
 *   AlgorithmRegistry, so it can be called any number of times.
 */
import { DIGEST_OIDS } from '../crypto/algorithms.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import { getDefaultRegistry, type AlgorithmRegistry } from '../crypto/registry.js';
import type { PublicKeyFacts } from '../crypto/spki.js';
import { certificateCache } from '../pki/cache.js';
import { ParsedCertificate } from '../pki/certificate.js';
import { decodeUtf8, equalBytes, fromBase64, toBase64 } from '../util/bytes.js';
import { parseXml } from '../xml/parse.js';
import {
  BASE64_TRANSFORM,
  C14N_10,
  C14N_METHODS,
  ecdsaRawToDer,
  ENVELOPED_SIGNATURE,
  signatureAlgorithmId,
  XML_DIGEST_OIDS,
  XML_SIGNATURE_METHODS,
  XPATH_FILTER2,
  XPATH_TRANSFORM,
} from './algorithms.js';
import { canonicalize } from './c14n.js';
import { child, childElements, children, DSIG_NS, followPath, indexIds, is, isAncestorOrSelf, pathFrom, strictText, xpathOf } from './dom.js';

/** Detached content: one unnamed blob (for a single detached reference) or a name → bytes map keyed by the reference URI. */
export type DetachedContent = Uint8Array | ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;

export interface VerifyXmlSignatureOptions {
  /** The key that must have made the signature: a certificate or its public key. Required: KeyInfo is never trusted. */
  readonly key: ParsedCertificate | PublicKeyFacts;
  readonly registry?: AlgorithmRegistry;
  readonly detachedContent?: DetachedContent;
  /** Defaults: 64 references, 8 transforms per reference. */
  readonly maxReferences?: number;
  readonly maxTransforms?: number;
}

/** What one ds:Reference points at. */
export interface ReferenceCoverage {
  readonly kind: 'document' | 'element' | 'detached' | 'unresolved';
  /** The element covered in the caller's document (the document element for `""`); null for detached/unresolved. */
  readonly element: Element | null;
  /** e.g. `/root[1]` or `/ds:Signature[1]/ds:Object[1]/item[1]`, or the detached name. */
  readonly description: string;
  readonly isDocumentElement: boolean;
  /** True when the covered element lies inside the verified ds:Signature (ds:Object, SignedProperties, KeyInfo). */
  readonly insideSignature: boolean;
  /** The enveloped-signature transform removed the verified signature from the covered content. */
  readonly excludesSignature: boolean;
}

export interface ReferenceResult {
  readonly index: number;
  readonly id: string | null;
  readonly uri: string | null;
  readonly type: string | null;
  readonly digestMethod: string;
  readonly digestAlgorithm: string;
  readonly transforms: readonly string[];
  readonly covered: ReferenceCoverage;
  readonly digestOk: boolean;
  /** Why the digest could not be computed or did not match. */
  readonly error: string | null;
  /** The octets that were digested (kept for diagnostics and XAdES time-stamp inputs). */
  readonly digestInput: Uint8Array | null;
  /** The ds:Reference element itself. */
  readonly element: Element;
}

export interface XmlSignatureResult {
  /** SignatureValue verifies over canonical SignedInfo with the given key AND structure is sound. */
  readonly signatureValid: boolean;
  readonly signatureError: string | null;
  /** Every reference digest matches. */
  readonly referencesValid: boolean;
  readonly references: readonly ReferenceResult[];
  /** Certificates found in ds:KeyInfo/ds:X509Data — untrusted candidates only. */
  readonly keyInfoCertificates: readonly ParsedCertificate[];
  readonly signedInfoAlgorithm: string;
  readonly canonicalizationMethod: string;
  readonly resolvedAlgorithm: ResolvedSignatureAlgorithm | null;
  /** Structural problems found (each also makes signatureValid false). */
  readonly problems: readonly string[];
}

/** The parsed skeleton of a ds:Signature, without any verification. */
export interface SignatureStructure {
  readonly signature: Element;
  readonly signedInfo: Element;
  readonly signatureValueElement: Element;
  readonly canonicalizationMethod: string;
  readonly inclusivePrefixes?: string;
  readonly signatureMethod: string;
  readonly references: readonly Element[];
  readonly keyInfo?: Element;
  readonly objects: readonly Element[];
}

/** Reads the ds:Signature skeleton strictly (XML-DSig 4.1 order); throws a message for anything malformed. */
export function readSignatureStructure(signature: Element): SignatureStructure {
  if (!is(signature, DSIG_NS, 'Signature')) throw new Error('not a ds:Signature element');
  const kids = childElements(signature);
  const signedInfo = kids[0];
  const sv = kids[1];
  if (!is(signedInfo, DSIG_NS, 'SignedInfo')) throw new Error('ds:Signature must start with ds:SignedInfo');
  if (!is(sv, DSIG_NS, 'SignatureValue')) throw new Error('ds:SignedInfo must be followed by ds:SignatureValue');
  let rest = kids.slice(2);
  let keyInfo: Element | undefined;
  if (is(rest[0], DSIG_NS, 'KeyInfo')) {
    keyInfo = rest[0];
    rest = rest.slice(1);
  }
  for (const o of rest) if (!is(o, DSIG_NS, 'Object')) throw new Error(`unexpected <${(o as Element).nodeName}> in ds:Signature`);
  const siKids = childElements(signedInfo);
  const cm = siKids[0];
  const sm = siKids[1];
  if (!is(cm, DSIG_NS, 'CanonicalizationMethod')) throw new Error('ds:SignedInfo must start with ds:CanonicalizationMethod');
  if (!is(sm, DSIG_NS, 'SignatureMethod')) throw new Error('ds:CanonicalizationMethod must be followed by ds:SignatureMethod');
  const references = siKids.slice(2);
  if (references.length === 0) throw new Error('ds:SignedInfo has no ds:Reference');
  for (const r of references) if (!is(r, DSIG_NS, 'Reference')) throw new Error(`unexpected <${(r as Element).nodeName}> in ds:SignedInfo`);
  if (children(sm, DSIG_NS, 'HMACOutputLength').length) throw new Error('HMAC signatures are not accepted');
  const incl = childElements(cm).find((e) => e.localName === 'InclusiveNamespaces');
  return {
    signature,
    signedInfo,
    signatureValueElement: sv,
    canonicalizationMethod: cm.getAttribute('Algorithm') ?? '',
    inclusivePrefixes: incl?.getAttribute('PrefixList') ?? undefined,
    signatureMethod: sm.getAttribute('Algorithm') ?? '',
    references,
    keyInfo,
    objects: rest,
  };
}

/** Certificates in ds:KeyInfo/ds:X509Data/ds:X509Certificate (unparsable ones are reported). */
export function keyInfoCertificates(keyInfo: Element | undefined, problems: string[]): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  if (!keyInfo) return out;
  for (const xd of children(keyInfo, DSIG_NS, 'X509Data')) {
    for (const xc of children(xd, DSIG_NS, 'X509Certificate')) {
      try {
        out.push(certificateCache.get(fromBase64(strictText(xc))));
      } catch (e) {
        problems.push(`unreadable ds:X509Certificate: ${(e as Error).message}`);
      }
    }
  }
  return out;
}

/** Verifies one ds:Signature in `doc` with the caller's key. See the module comment for the guarantees. */
export async function verifyXmlSignature(doc: Document, signatureElement: Element, opts: VerifyXmlSignatureOptions): Promise<XmlSignatureResult> {
  const registry = opts.registry ?? getDefaultRegistry();
  const problems: string[] = [];
  let structure: SignatureStructure;
  try {
    structure = readSignatureStructure(signatureElement);
  } catch (e) {
    return {
      signatureValid: false,
      signatureError: (e as Error).message,
      referencesValid: false,
      references: [],
      keyInfoCertificates: [],
      signedInfoAlgorithm: '',
      canonicalizationMethod: '',
      resolvedAlgorithm: null,
      problems: [(e as Error).message],
    };
  }
  const certs = keyInfoCertificates(structure.keyInfo, problems);
  if (structure.references.length > (opts.maxReferences ?? 64)) problems.push(`more than ${opts.maxReferences ?? 64} references`);
  const ids = indexIds(doc);
  const references: ReferenceResult[] = [];
  if (!problems.length) {
    for (let i = 0; i < structure.references.length; i++) {
      references.push(await processReference(doc, structure, structure.references[i]!, i, ids, opts, registry));
    }
  }

  // Signature value over canonical SignedInfo.
  let signatureError: string | null = null;
  let signatureOk = false;
  let resolved: ResolvedSignatureAlgorithm | null = null;
  const method = XML_SIGNATURE_METHODS[structure.signatureMethod];
  const c14n = C14N_METHODS[structure.canonicalizationMethod];
  const publicKey = opts.key instanceof ParsedCertificate ? opts.key.publicKey : opts.key;
  if (problems.length) signatureError = problems[0]!;
  else if (!method) signatureError = `unsupported SignatureMethod ${structure.signatureMethod}`;
  else if (!c14n) signatureError = `unsupported CanonicalizationMethod ${structure.canonicalizationMethod}`;
  else {
    try {
      const signedInfoBytes = new TextEncoder().encode(canonicalize(structure.signedInfo, structure.signedInfo, c14n, structure.inclusivePrefixes));
      let sig = fromBase64(strictText(structure.signatureValueElement));
      if (method.ecdsaRaw) {
        const der = ecdsaRawToDer(sig);
        if (!der) throw new Error('ECDSA SignatureValue is not an even-length r||s');
        sig = der;
      }
      const signatureAlgorithm = signatureAlgorithmId(method);
      resolved = registry.resolveSignature({ signatureAlgorithm, publicKey });
      signatureOk = await registry.verify({ signatureAlgorithm, publicKey, data: signedInfoBytes, signature: sig });
      if (!signatureOk) signatureError = `${resolved.name} SignatureValue does not verify with the given key`;
    } catch (e) {
      signatureError = (e as Error).message;
    }
  }
  return {
    signatureValid: signatureOk,
    signatureError,
    referencesValid: references.length > 0 && references.every((r) => r.digestOk),
    references,
    keyInfoCertificates: certs,
    signedInfoAlgorithm: structure.signatureMethod,
    canonicalizationMethod: structure.canonicalizationMethod,
    resolvedAlgorithm: resolved,
    problems,
  };
}

type Data = { readonly kind: 'nodes'; readonly node: Node; readonly original: Node; readonly withComments: boolean } | { readonly kind: 'octets'; readonly bytes: Uint8Array };

const UNRESOLVED: ReferenceCoverage = { kind: 'unresolved', element: null, description: 'unresolved', isDocumentElement: false, insideSignature: false, excludesSignature: false };

async function processReference(
  doc: Document,
  s: SignatureStructure,
  ref: Element,
  index: number,
  ids: Map<string, Element[]>,
  opts: VerifyXmlSignatureOptions,
  registry: AlgorithmRegistry,
): Promise<ReferenceResult> {
  const uri = ref.hasAttribute('URI') ? ref.getAttribute('URI') : null;
  const type = ref.getAttribute('Type') || null;
  const transformsEl = child(ref, DSIG_NS, 'Transforms');
  const transformEls = transformsEl ? children(transformsEl, DSIG_NS, 'Transform') : [];
  const transforms = transformEls.map((t) => t.getAttribute('Algorithm') ?? '');
  const dm = child(ref, DSIG_NS, 'DigestMethod');
  const dv = child(ref, DSIG_NS, 'DigestValue');
  const digestMethod = dm?.getAttribute('Algorithm') ?? '';
  const digestOid = XML_DIGEST_OIDS[digestMethod];
  let covered: ReferenceCoverage = UNRESOLVED;
  const result = (digestOk: boolean, error: string | null, digestInput: Uint8Array | null = null): ReferenceResult => ({
    index,
    id: ref.getAttribute('Id') || null,
    uri,
    type,
    digestMethod,
    digestAlgorithm: digestOid ? (DIGEST_OIDS[digestOid] ?? digestOid) : digestMethod,
    transforms,
    covered,
    digestOk,
    error,
    digestInput,
    element: ref,
  });
  if (!dm || !dv) return result(false, 'ds:Reference lacks DigestMethod or DigestValue');
  let expected: Uint8Array;
  try {
    expected = fromBase64(strictText(dv));
  } catch (e) {
    return result(false, `malformed DigestValue: ${(e as Error).message}`);
  }
  if (transformEls.length > (opts.maxTransforms ?? 8)) return result(false, `more than ${opts.maxTransforms ?? 8} transforms`);

  // --- dereference the URI ---
  let data: Data;
  if (uri === '' || uri === '#xpointer(/)') {
    const root = doc.documentElement;
    covered = { kind: 'document', element: root, description: xpathOf(root), isDocumentElement: true, insideSignature: isAncestorOrSelf(s.signature, root), excludesSignature: false };
    data = { kind: 'nodes', node: doc, original: doc, withComments: uri !== '' };
  } else if (uri !== null && uri.startsWith('#')) {
    let id = uri.slice(1);
    let withComments = false;
    const xp = /^xpointer\(id\(['"]([^'"]+)['"]\)\)$/.exec(id);
    if (xp) {
      id = xp[1]!;
      withComments = true;
    } else if (id.startsWith('xpointer(')) return result(false, `unsupported XPointer ${uri}`);
    const found = ids.get(id) ?? [];
    if (found.length === 0) return result(false, `no element with Id "${id}"`);
    if (found.length > 1) {
      covered = { ...UNRESOLVED, description: found.map(xpathOf).join(' and ') };
      return result(false, `Id "${id}" is carried by ${found.length} elements (${found.map(xpathOf).join(', ')}): ambiguous reference refused`);
    }
    const el = found[0]!;
    covered = {
      kind: 'element',
      element: el,
      description: xpathOf(el),
      isDocumentElement: el === doc.documentElement,
      insideSignature: isAncestorOrSelf(s.signature, el),
      excludesSignature: false,
    };
    data = { kind: 'nodes', node: el, original: el, withComments };
  } else {
    const bytes = detachedBytes(opts.detachedContent, uri, s.references.length);
    covered = { kind: 'detached', element: null, description: uri === null ? '(reference without URI)' : uri, isDocumentElement: false, insideSignature: false, excludesSignature: false };
    if (!bytes) return result(false, `detached content for ${uri === null ? 'the reference without URI' : `"${uri}"`} was not supplied`);
    data = { kind: 'octets', bytes };
  }

  // --- transforms ---
  try {
    for (const t of transformEls) {
      const alg = t.getAttribute('Algorithm') ?? '';
      const c14n = C14N_METHODS[alg];
      if (alg === ENVELOPED_SIGNATURE) {
        if (data.kind !== 'nodes') throw new Error('enveloped-signature transform on octets');
        const path = pathFrom(data.node, s.signature);
        if (path) {
          const clone = data.node.cloneNode(true);
          const twin = followPath(clone, path);
          if (!twin || !is(twin as Element, DSIG_NS, 'Signature')) throw new Error('enveloped signature not found in the copy');
          twin.parentNode!.removeChild(twin);
          data = { ...data, node: clone };
          covered = { ...covered, excludesSignature: true };
        }
      } else if (c14n) {
        const incl = childElements(t).find((e) => e.localName === 'InclusiveNamespaces')?.getAttribute('PrefixList') ?? undefined;
        if (data.kind === 'octets') {
          const parsed = parseXml(data.bytes);
          data = { kind: 'nodes', node: parsed, original: parsed, withComments: true };
        }
        const method = { ...c14n, withComments: c14n.withComments && data.withComments };
        data = { kind: 'octets', bytes: new TextEncoder().encode(canonicalize(data.node, data.original, method, incl)) };
      } else if (alg === BASE64_TRANSFORM) {
        const node = data.kind === 'nodes' ? (data.node.nodeType === 9 ? (data.node as Document).documentElement : data.node) : undefined;
        const text = node ? (node.textContent ?? '') : decodeUtf8((data as { bytes: Uint8Array }).bytes);
        data = { kind: 'octets', bytes: fromBase64(text) };
      } else if (alg === XPATH_TRANSFORM && isNotAncestorOrSelfSignature(t)) {
        // The one XPath expression XAdES signers use (EN 319 132-1 examples, DSS):
        // not(ancestor-or-self::ds:Signature) drops every ds:Signature subtree.
        if (data.kind !== 'nodes') throw new Error('XPath transform on octets');
        const clone = data.node.cloneNode(true);
        const root = clone.nodeType === 9 ? (clone as Document) : clone;
        const sigs = (root as Element | Document).getElementsByTagNameNS(DSIG_NS, 'Signature');
        for (const sig of Array.from(sigs)) sig.parentNode?.removeChild(sig);
        if (clone.nodeType === 1 && is(clone as Element, DSIG_NS, 'Signature')) throw new Error('XPath transform removes the whole referenced node');
        data = { ...data, node: clone };
        covered = { ...covered, excludesSignature: true };
      } else if (alg === XPATH_TRANSFORM || alg === XPATH_FILTER2) {
        throw new Error(`transform ${alg} is not supported (only XPath not(ancestor-or-self::ds:Signature))`);
      } else {
        throw new Error(`unknown transform ${alg || '(no Algorithm)'}`);
      }
    }
    if (data.kind === 'nodes') {
      data = { kind: 'octets', bytes: new TextEncoder().encode(canonicalize(data.node, data.original, C14N_METHODS[C14N_10]!)) };
    }
  } catch (e) {
    return result(false, `transform failed: ${(e as Error).message}`);
  }
  if (!digestOid || !registry.supportsDigest(digestOid)) return result(false, `unsupported DigestMethod ${digestMethod}`, data.bytes);
  const actual = await registry.digest(digestOid, data.bytes);
  if (equalBytes(actual, expected)) return result(true, null, data.bytes);
  return result(false, `digest mismatch: computed ${toBase64(actual)}, DigestValue ${toBase64(expected)}`, data.bytes);
}

function isNotAncestorOrSelfSignature(transform: Element): boolean {
  const xp = child(transform, DSIG_NS, 'XPath');
  if (!xp) return false;
  const m = /^not\(\s*ancestor-or-self::([A-Za-z_][\w.-]*):Signature\s*\)$/.exec((xp.textContent ?? '').trim());
  return !!m && xp.lookupNamespaceURI(m[1]!) === DSIG_NS;
}

function detachedBytes(content: DetachedContent | undefined, uri: string | null, referenceCount: number): Uint8Array | undefined {
  if (!content) return undefined;
  if (content instanceof Uint8Array) return content;
  const get = (k: string) => (content instanceof Map ? content.get(k) : (content as Record<string, Uint8Array>)[k]);
  if (uri === null) return referenceCount >= 1 ? get('') : undefined;
  const candidates = [uri];
  try {
    candidates.push(decodeURIComponent(uri));
  } catch {
    // not percent-encoded
  }
  const base = uri.split(/[\\/]/).pop();
  if (base) candidates.push(base, decodeURIComponentSafe(base));
  for (const c of candidates) {
    const b = get(c);
    if (b) return b;
  }
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The octets each ds:Reference of `signatureElement` digests, resolved and
 * transformed exactly as verification does (null where resolution fails).
 * For signers and fixture generators; verification never needs it.
 */
export async function referenceDigestInputs(
  doc: Document,
  signatureElement: Element,
  opts: { readonly registry?: AlgorithmRegistry; readonly detachedContent?: DetachedContent } = {},
): Promise<(Uint8Array | null)[]> {
  const s = readSignatureStructure(signatureElement);
  const ids = indexIds(doc);
  const registry = opts.registry ?? getDefaultRegistry();
  const out: (Uint8Array | null)[] = [];
  for (let i = 0; i < s.references.length; i++) {
    const r = await processReference(doc, s, s.references[i]!, i, ids, { key: undefined as never, detachedContent: opts.detachedContent }, registry);
    out.push(r.digestInput);
  }
  return out;
}

/** Canonical octets of ds:SignedInfo under its CanonicalizationMethod: what SignatureValue signs. */
export function canonicalSignedInfo(signatureElement: Element): Uint8Array {
  const s = readSignatureStructure(signatureElement);
  const c14n = C14N_METHODS[s.canonicalizationMethod];
  if (!c14n) throw new Error(`unsupported CanonicalizationMethod ${s.canonicalizationMethod}`);
  return new TextEncoder().encode(canonicalize(s.signedInfo, s.signedInfo, c14n, s.inclusivePrefixes));
}
