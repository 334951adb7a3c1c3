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
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import { getDefaultRegistry, type AlgorithmRegistry } from '../crypto/registry.js';
import type { PublicKeyFacts } from '../crypto/spki.js';
import { certificateCache } from '../pki/cache.js';
import { ParsedCertificate } from '../pki/certificate.js';
import { LimitExceededError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { decodeUtf8, equalBytes, fromBase64, toBase64 } from '../util/bytes.js';
import { chargeSubtree, WorkBudget, XML_WORK } from '../util/work-budget.js';
import { parseXml } from '../xml/parse.js';
import {
  BASE64_TRANSFORM,
  C14N_10,
  C14N_METHODS,
  type C14nMethod,
  ecdsaRawToDer,
  ENVELOPED_SIGNATURE,
  signatureAlgorithmId,
  unsupportedXmlAlgorithm,
  xmlDigestOid,
  xmlSignatureMethod,
  XPATH_FILTER2,
  XPATH_TRANSFORM,
} from './algorithms.js';
import { canonicalize } from './c14n.js';
import { child, childElements, children, DSIG_NS, indexIds, is, isAncestorOrSelf, isElement, strictText, xpathOf } from './dom.js';

/** `signatureError` when verification was asked with no key at all (only the references' coverage is resolved). */
export const NO_VERIFICATION_KEY = 'no key to verify the SignatureValue with';

/** Detached content: one unnamed blob (for a single detached reference) or a name → bytes map keyed by the reference URI. */
export type DetachedContent = Uint8Array | ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;

export type VerificationKey = ParsedCertificate | PublicKeyFacts;

export interface VerifyXmlSignatureOptions {
  /**
   * The key that must have made the signature: a certificate or its public key. Required: KeyInfo is never trusted.
   * A list means "one of these" (e.g. KeyInfo candidates, pinned list signers): SignatureValue is checked with
   * each over the one canonical SignedInfo, and only the first that verifies has its references digested.
   */
  readonly key: VerificationKey | readonly VerificationKey[];
  readonly registry?: AlgorithmRegistry;
  readonly detachedContent?: DetachedContent;
  /** Defaults: 64 references, 8 transforms per reference. */
  readonly maxReferences?: number;
  readonly maxTransforms?: number;
  /** The document's work budget (shared by all its signatures); default: a fresh one of `DEFAULT_LIMITS.maxXmlWork`. */
  readonly budget?: WorkBudget;
  /** `indexIds(doc)` when the caller already has it (one walk per document, not per signature); the DOM must not have changed since. */
  readonly ids?: ReadonlyMap<string, readonly Element[]>;
  /**
   * Diagnostics only (C14N conformance over third-party vectors whose keys are unknown): digest the references
   * even when no key verified the SignatureValue, within the same budget. Validation never sets it.
   */
  readonly digestUnverified?: boolean;
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
  /** Comments in the covered nodes are part of the digested octets (an XPointer URI with a WithComments C14N). */
  readonly comments: boolean;
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
  /** False when the reference was only resolved, not digested (the SignatureValue did not verify first). */
  readonly digested: boolean;
  readonly digestOk: boolean;
  /** Why the digest could not be computed or did not match. */
  readonly error: string | null;
  /** The octets that were digested (kept for diagnostics and XAdES time-stamp inputs). */
  readonly digestInput: Uint8Array | null;
  /** The digest computed over `digestInput` (base64), when one was computed. */
  readonly digestValue: string | null;
  /** The ds:Reference element itself. */
  readonly element: Element;
}

export interface XmlSignatureResult {
  /** SignatureValue verifies over canonical SignedInfo with the given key AND structure is sound. */
  readonly signatureValid: boolean;
  readonly signatureError: string | null;
  /** Every reference digest matches (false when the references were not digested). */
  readonly referencesValid: boolean;
  readonly references: readonly ReferenceResult[];
  /** Certificates found in ds:KeyInfo/ds:X509Data — untrusted candidates only. */
  readonly keyInfoCertificates: readonly ParsedCertificate[];
  readonly signedInfoAlgorithm: string;
  readonly canonicalizationMethod: string;
  readonly resolvedAlgorithm: ResolvedSignatureAlgorithm | null;
  /** The key (one of `opts.key`) the SignatureValue verified with; null when none did. */
  readonly key: VerificationKey | null;
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

/** The ds:X509Certificate elements of ds:KeyInfo/ds:X509Data (cheap: nothing is decoded). */
export function keyInfoCertificateElements(keyInfo: Element | undefined): Element[] {
  return keyInfo ? children(keyInfo, DSIG_NS, 'X509Data').flatMap((xd) => children(xd, DSIG_NS, 'X509Certificate')) : [];
}

/** Parsed once per ds:KeyInfo element: validation and verification both ask, and parsing is charged once. */
const keyInfoParsed = new WeakMap<Element, { readonly certs: ParsedCertificate[]; readonly problems: string[] }>();

/** Certificates in ds:KeyInfo/ds:X509Data/ds:X509Certificate (unparsable ones are reported); each parse is charged to `budget`. */
export function keyInfoCertificates(keyInfo: Element | undefined, problems: string[], budget?: WorkBudget): ParsedCertificate[] {
  if (!keyInfo) return [];
  const known = keyInfoParsed.get(keyInfo);
  if (known) {
    problems.push(...known.problems);
    return [...known.certs];
  }
  const out: ParsedCertificate[] = [];
  const mine: string[] = [];
  for (const xc of keyInfoCertificateElements(keyInfo)) {
    try {
      const der = fromBase64(strictText(xc));
      budget?.charge(XML_WORK.certificate + der.length, 'parsing ds:KeyInfo certificates');
      out.push(certificateCache.get(der));
    } catch (e) {
      if (e instanceof LimitExceededError) throw e;
      mine.push(`unreadable ds:X509Certificate: ${(e as Error).message}`);
    }
  }
  keyInfoParsed.set(keyInfo, { certs: out, problems: mine });
  problems.push(...mine);
  return [...out];
}

/**
 * Verifies one ds:Signature in `doc` with the caller's key(s). See the module comment for the guarantees.
 * Order matters for hostile input: the SignatureValue is checked over the canonical SignedInfo (canonicalised
 * once, whatever the number of candidate keys) BEFORE any reference is digested, and references are digested
 * only for the key that verified — a signature nobody made costs one SignedInfo, not its references.
 */
export async function verifyXmlSignature(doc: Document, signatureElement: Element, opts: VerifyXmlSignatureOptions): Promise<XmlSignatureResult> {
  const registry = opts.registry ?? getDefaultRegistry();
  const budget = opts.budget ?? new WorkBudget(DEFAULT_LIMITS.maxXmlWork);
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
      key: null,
      problems: [(e as Error).message],
    };
  }
  const certs = keyInfoCertificates(structure.keyInfo, problems, budget);
  if (structure.references.length > (opts.maxReferences ?? 64)) problems.push(`more than ${opts.maxReferences ?? 64} references`);

  // Signature value over canonical SignedInfo, first.
  let signatureError: string | null = null;
  let signatureOk = false;
  let resolved: ResolvedSignatureAlgorithm | null = null;
  let verifiedWith: VerificationKey | null = null;
  const method = xmlSignatureMethod(structure.signatureMethod, registry);
  const c14n = C14N_METHODS[structure.canonicalizationMethod];
  const keys: readonly VerificationKey[] = Array.isArray(opts.key) ? opts.key : [opts.key as VerificationKey];
  if (problems.length) signatureError = problems[0]!;
  else if (!method) signatureError = unsupportedXmlAlgorithm('SignatureMethod', structure.signatureMethod, registry);
  else if (!c14n) signatureError = `unsupported CanonicalizationMethod ${structure.canonicalizationMethod}`;
  else if (!keys.length) signatureError = NO_VERIFICATION_KEY;
  else {
    try {
      chargeSubtree(budget, structure.signedInfo, 'canonicalizing ds:SignedInfo');
      const signedInfoBytes = new TextEncoder().encode(canonicalize(structure.signedInfo, structure.signedInfo, c14n, structure.inclusivePrefixes));
      let sig = fromBase64(strictText(structure.signatureValueElement));
      if (method.ecdsaRaw) {
        const der = ecdsaRawToDer(sig);
        if (!der) throw new Error('ECDSA SignatureValue is not an even-length r||s');
        sig = der;
      }
      const signatureAlgorithm = signatureAlgorithmId(method);
      for (const key of keys) {
        const publicKey = key instanceof ParsedCertificate ? key.publicKey : key;
        let r: ResolvedSignatureAlgorithm;
        try {
          r = registry.resolveSignature({ signatureAlgorithm, publicKey });
        } catch (e) {
          // Only one candidate: its error is the answer. Several: a key of another type is just not the signer's.
          if (keys.length === 1) throw e;
          signatureError ??= (e as Error).message;
          continue;
        }
        resolved ??= r;
        budget.charge(Math.ceil(signedInfoBytes.length / XML_WORK.digestBytesPerUnit) + XML_WORK.certificate, 'verifying SignatureValue');
        if (await registry.verify({ signatureAlgorithm, publicKey, data: signedInfoBytes, signature: sig })) {
          signatureOk = true;
          resolved = r;
          verifiedWith = key;
          signatureError = null;
          break;
        }
        signatureError = `${r.name} SignatureValue does not verify with the given key${keys.length > 1 ? ` (nor with any of the ${keys.length} candidates)` : ''}`;
      }
    } catch (e) {
      if (e instanceof LimitExceededError) throw e;
      signatureError = (e as Error).message;
    }
  }

  // References: resolved always (what they point at is format information), digested only under a verified key.
  const ids = opts.ids ?? indexIds(doc);
  const references: ReferenceResult[] = [];
  if (!problems.length) {
    const memo: ReferenceMemo = new Map();
    const why = signatureOk || opts.digestUnverified ? undefined : `not digested: ${signatureError ?? 'the SignatureValue does not verify'}`;
    for (let i = 0; i < structure.references.length; i++) {
      references.push(await processReference(doc, structure, structure.references[i]!, i, ids, opts, registry, budget, memo, why));
    }
  }
  return {
    signatureValid: signatureOk,
    signatureError,
    referencesValid: signatureOk && references.length > 0 && references.every((r) => r.digestOk),
    references,
    keyInfoCertificates: certs,
    signedInfoAlgorithm: structure.signatureMethod,
    canonicalizationMethod: structure.canonicalizationMethod,
    resolvedAlgorithm: resolved,
    key: verifiedWith,
    problems,
  };
}

/**
 * Node sets are never copied: a transform that removes nodes (enveloped-signature, the
 * not(ancestor-or-self::ds:Signature) XPath) records them in `exclude`, and they are left
 * out while serializing.
 */
type Data =
  | { readonly kind: 'nodes'; readonly node: Node; readonly withComments: boolean; readonly exclude: readonly Element[] }
  | { readonly kind: 'octets'; readonly bytes: Uint8Array; readonly comments: boolean };

/** One verification's transform results, keyed by what determines them (URI + transforms): identical references cost once. */
type ReferenceMemo = Map<string, { readonly covered: ReferenceCoverage; readonly bytes?: Uint8Array; readonly error?: string; readonly digests: Map<string, Uint8Array> }>;

const UNRESOLVED: ReferenceCoverage = { kind: 'unresolved', element: null, description: 'unresolved', isDocumentElement: false, insideSignature: false, excludesSignature: false, comments: false };

/**
 * `canonicalize` of `source` as if the elements in `exclude` (descendants of `source`) were absent:
 * the enveloped-signature transform applied while serializing, with no copy of the document.
 */
export function canonicalizeWithout(source: Node, original: Node, method: C14nMethod, inclusivePrefixes: string | undefined, exclude: readonly Element[] = []): string {
  return canonicalize(source, original, method, inclusivePrefixes, exclude.length ? new Set<Node>(exclude) : undefined);
}

/** `node.textContent` as if the elements in `exclude` were absent (text of the node-set, in document order). */
function textWithout(node: Node, exclude: readonly Element[]): string {
  if (!exclude.length) return node.textContent ?? '';
  const skip = new Set<Node>(exclude);
  const parts: string[] = [];
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (skip.has(n)) continue;
    if (n.nodeType === 3 || n.nodeType === 4) parts.push((n as CharacterData).data);
    const kids: Node[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return parts.join('');
}

/** The outermost ds:Signature elements strictly inside `root` (nested ones go with them). */
function signaturesUnder(root: Node): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [];
  for (let c = root.firstChild; c; c = c.nextSibling) stack.push(c);
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (n.namespaceURI === DSIG_NS && n.localName === 'Signature') {
      out.push(n);
      continue;
    }
    for (let c = n.firstChild; c; c = c.nextSibling) stack.push(c);
  }
  return out;
}

/** What a transform chain's result depends on besides the URI (XPath: only whether it is the one form supported). */
function transformsKey(transformEls: readonly Element[]): string {
  return transformEls
    .map((t) => {
      const alg = t.getAttribute('Algorithm') ?? '';
      const incl = childElements(t).find((e) => e.localName === 'InclusiveNamespaces')?.getAttribute('PrefixList');
      return `${alg}|${incl ?? '\u0000'}|${alg === XPATH_TRANSFORM ? String(isNotAncestorOrSelfSignature(t)) : ''}`;
    })
    .join('\n');
}

async function processReference(
  doc: Document,
  s: SignatureStructure,
  ref: Element,
  index: number,
  ids: ReadonlyMap<string, readonly Element[]>,
  opts: Pick<VerifyXmlSignatureOptions, 'detachedContent' | 'maxTransforms'>,
  registry: AlgorithmRegistry,
  budget: WorkBudget,
  memo: ReferenceMemo,
  /** Set: resolve only, and report this reason instead of a digest outcome. */
  notDigested?: string,
): Promise<ReferenceResult> {
  const uri = ref.hasAttribute('URI') ? ref.getAttribute('URI') : null;
  const type = ref.getAttribute('Type') || null;
  const transformsEl = child(ref, DSIG_NS, 'Transforms');
  const transformEls = transformsEl ? children(transformsEl, DSIG_NS, 'Transform') : [];
  const transforms = transformEls.map((t) => t.getAttribute('Algorithm') ?? '');
  const dm = child(ref, DSIG_NS, 'DigestMethod');
  const dv = child(ref, DSIG_NS, 'DigestValue');
  const digestMethod = dm?.getAttribute('Algorithm') ?? '';
  const digestOid = xmlDigestOid(digestMethod, registry);
  let covered: ReferenceCoverage = UNRESOLVED;
  let digested = false;
  let digestValue: string | null = null;
  const result = (digestOk: boolean, error: string | null, digestInput: Uint8Array | null = null): ReferenceResult => ({
    index,
    id: ref.getAttribute('Id') || null,
    uri,
    type,
    digestMethod,
    digestAlgorithm: digestOid ? registry.digestName(digestOid) : digestMethod,
    transforms,
    covered,
    digested,
    digestOk,
    error,
    digestInput,
    digestValue,
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
    covered = { kind: 'document', element: root, description: xpathOf(root), isDocumentElement: true, insideSignature: isAncestorOrSelf(s.signature, root), excludesSignature: false, comments: false };
    data = { kind: 'nodes', node: doc, withComments: uri !== '', exclude: [] };
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
      comments: false,
    };
    data = { kind: 'nodes', node: el, withComments, exclude: [] };
  } else {
    const bytes = detachedBytes(opts.detachedContent, uri, s.references.length);
    covered = { kind: 'detached', element: null, description: uri === null ? '(reference without URI)' : uri, isDocumentElement: false, insideSignature: false, excludesSignature: false, comments: false };
    if (!bytes) return result(false, `detached content for ${uri === null ? 'the reference without URI' : `"${uri}"`} was not supplied`);
    data = { kind: 'octets', bytes, comments: false };
  }

  // --- transforms (once per distinct URI + transform chain) ---
  const key = `${uri ?? '\u0000'}\n${transformsKey(transformEls)}`;
  let done = memo.get(key);
  if (!done) {
    let outcome: { covered: ReferenceCoverage; bytes?: Uint8Array; error?: string };
    if (notDigested) outcome = { covered: coverageAfter(covered, transformEls, s) };
    else {
      try {
        const r = applyTransforms(data, transformEls, s, budget, covered);
        outcome = { covered: r.covered, bytes: r.bytes };
      } catch (e) {
        if (e instanceof LimitExceededError) throw e;
        outcome = { covered: coverageAfter(covered, transformEls, s), error: `transform failed: ${(e as Error).message}` };
      }
    }
    done = { ...outcome, digests: new Map() };
    memo.set(key, done);
  }
  covered = done.covered;
  if (notDigested) return result(false, notDigested);
  if (done.error !== undefined || !done.bytes) return result(false, done.error ?? 'transform failed');
  const bytes = done.bytes;
  if (!digestOid || !registry.supportsDigest(digestOid)) return result(false, unsupportedXmlAlgorithm('DigestMethod', digestMethod, registry), bytes);
  let actual = done.digests.get(digestOid);
  if (!actual) {
    budget.charge(Math.ceil(bytes.length / XML_WORK.digestBytesPerUnit), 'digesting a reference');
    actual = await registry.digest(digestOid, bytes);
    done.digests.set(digestOid, actual);
  }
  digested = true;
  digestValue = toBase64(actual);
  if (equalBytes(actual, expected)) return result(true, null, bytes);
  return result(false, `digest mismatch: computed ${toBase64(actual)}, DigestValue ${toBase64(expected)}`, bytes);
}

/** The coverage flags the transforms set, for a reference that is resolved but not transformed. */
function coverageAfter(covered: ReferenceCoverage, transformEls: readonly Element[], s: SignatureStructure): ReferenceCoverage {
  const removesSignature = transformEls.some((t) => {
    const alg = t.getAttribute('Algorithm') ?? '';
    return alg === ENVELOPED_SIGNATURE || (alg === XPATH_TRANSFORM && isNotAncestorOrSelfSignature(t));
  });
  const inside = covered.element !== null && covered.kind !== 'detached' && (covered.kind === 'document' || isAncestorOrSelf(covered.element, s.signature));
  return removesSignature && inside ? { ...covered, excludesSignature: true } : covered;
}

function applyTransforms(
  input: Data,
  transformEls: readonly Element[],
  s: SignatureStructure,
  budget: WorkBudget,
  coveredIn: ReferenceCoverage,
): { bytes: Uint8Array; covered: ReferenceCoverage } {
  let data = input;
  let covered = coveredIn;
  const enc = new TextEncoder();
  const serialize = (d: Extract<Data, { kind: 'nodes' }>, method: C14nMethod, incl: string | undefined): Data => {
    chargeSubtree(budget, d.node, 'canonicalizing a reference', d.exclude.length ? new Set(d.exclude) : undefined);
    const withComments = method.withComments && d.withComments;
    return { kind: 'octets', bytes: enc.encode(canonicalizeWithout(d.node, d.node, { ...method, withComments }, incl, d.exclude)), comments: withComments };
  };
  for (const t of transformEls) {
    const alg = t.getAttribute('Algorithm') ?? '';
    const c14n = C14N_METHODS[alg];
    if (alg === ENVELOPED_SIGNATURE) {
      if (data.kind !== 'nodes') throw new Error('enveloped-signature transform on octets');
      if (data.node === s.signature) throw new Error('the enveloped-signature transform removes the whole referenced node');
      if (isAncestorOrSelf(data.node, s.signature)) {
        if (s.signature === (data.node as Document).documentElement) throw new Error('the enveloped-signature transform removes the whole document');
        data = { ...data, exclude: [...data.exclude, s.signature] };
        covered = { ...covered, excludesSignature: true };
      }
    } else if (c14n) {
      const incl = childElements(t).find((e) => e.localName === 'InclusiveNamespaces')?.getAttribute('PrefixList') ?? undefined;
      if (data.kind === 'octets') {
        budget.charge(data.bytes.length * 2, 'parsing transformed octets as XML');
        const parsed = parseXml(data.bytes);
        data = { kind: 'nodes', node: parsed, withComments: true, exclude: [] };
      }
      data = serialize(data, c14n, incl);
    } else if (alg === BASE64_TRANSFORM) {
      let text: string;
      if (data.kind === 'nodes') {
        const d = data;
        const node = d.node.nodeType === 9 ? (d.node as Document).documentElement : d.node;
        chargeSubtree(budget, node, 'reading base64 text', new Set(d.exclude));
        text = textWithout(node, d.exclude);
      } else text = decodeUtf8(data.bytes);
      data = { kind: 'octets', bytes: fromBase64(text), comments: false };
    } else if (alg === XPATH_TRANSFORM && isNotAncestorOrSelfSignature(t)) {
      // The one XPath expression XAdES signers use (EN 319 132-1 examples, DSS):
      // not(ancestor-or-self::ds:Signature) drops every ds:Signature subtree.
      if (data.kind !== 'nodes') throw new Error('XPath transform on octets');
      for (let n: Node | null = data.node; n; n = n.parentNode) {
        if (is(n as Element, DSIG_NS, 'Signature')) throw new Error('XPath transform removes the whole referenced node');
      }
      const sigs = signaturesUnder(data.node);
      if (sigs.includes((data.node as Document).documentElement)) throw new Error('XPath transform removes the whole document');
      data = { ...data, exclude: [...data.exclude, ...sigs] };
      covered = { ...covered, excludesSignature: true };
    } else if (alg === XPATH_TRANSFORM || alg === XPATH_FILTER2) {
      throw new Error(`transform ${alg} is not supported (only XPath not(ancestor-or-self::ds:Signature))`);
    } else {
      throw new Error(`unknown transform ${alg || '(no Algorithm)'}`);
    }
  }
  const out = data.kind === 'nodes' ? (serialize(data, C14N_METHODS[C14N_10]!, undefined) as Extract<Data, { kind: 'octets' }>) : data;
  return { bytes: out.bytes, covered: { ...covered, comments: out.comments } };
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
  // Own entries of a record only: a URI "constructor" or "__proto__" must not find Object.prototype's members.
  const get = (k: string) => (content instanceof Map ? content.get(k) : Object.hasOwn(content, k) ? (content as Record<string, Uint8Array>)[k] : undefined);
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
  opts: { readonly registry?: AlgorithmRegistry; readonly detachedContent?: DetachedContent; readonly budget?: WorkBudget } = {},
): Promise<(Uint8Array | null)[]> {
  const s = readSignatureStructure(signatureElement);
  const ids = indexIds(doc);
  const registry = opts.registry ?? getDefaultRegistry();
  const budget = opts.budget ?? new WorkBudget(DEFAULT_LIMITS.maxXmlWork);
  const memo: ReferenceMemo = new Map();
  const out: (Uint8Array | null)[] = [];
  for (let i = 0; i < s.references.length; i++) {
    const r = await processReference(doc, s, s.references[i]!, i, ids, { detachedContent: opts.detachedContent }, registry, budget, memo);
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
