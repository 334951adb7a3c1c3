/**
 * Resource limits for untrusted input, in one place.
 *
 * Every signature, certificate, CRL, XML document and download this library
 * reads comes from someone who may be hostile. Each limit below bounds one
 * kind of work (bytes held, parser recursion, objects allocated, search
 * steps, waiting). Exceeding one is never a verdict about the signature: it is
 * a `LimitExceededError` (code `ERR_LIMIT_EXCEEDED`) naming the limit and its
 * maximum, so the caller can tell "too big for this configuration" apart from
 * "invalid". Defaults are sized for real national PKIs (large CRLs, CAdES-LT
 * with embedded revocation data) while keeping one call within a few hundred
 * MB of memory and a bounded number of steps.
 *
 * Override any subset through `verify(input, { limits: { ... } })`.
 */
import * as asn1js from 'asn1js';
import { InputFormatError, InvalidOptionError, LimitExceededError } from './errors.js';

/**
 * Deepest nesting of counter-signatures validated (a counter-signature of a signature is depth 1, one of
 * that counter-signature depth 2, ...). Deeper ones are not validated; the counter-signature holding them
 * carries a warning. Each is a full signature validation (path, revocation, time-stamps), so nesting is
 * bounded apart from the ASN.1 / XML depth limits.
 */
export const MAX_COUNTER_SIGNATURE_DEPTH = 4;

/** Bounds on the work one untrusted input may cause (sizes, nesting, counts); exceeding one is a LimitExceededError (`ERR_LIMIT_EXCEEDED`), not a verdict. */
export interface Limits {
  /** Largest signature input accepted, in bytes (CMS or XML, before decoding). Default 64 MiB. */
  readonly maxInputBytes: number;
  /**
   * Deepest ASN.1 nesting of constructed values (including BER parsed inside
   * OCTET/BIT STRINGs) in a CMS signature. Bounds parser recursion. Default 100
   * (a CAdES-A with nested time-stamp tokens stays below 40).
   */
  readonly maxAsn1Depth: number;
  /**
   * Most ASN.1 elements (TLVs) decoded from one CMS signature. Bounds the
   * objects allocated by the decoder: asn1js needs about 1 KB of heap and 13 µs
   * per element, so a 3 MB input of tiny elements would otherwise cost ~1 GB.
   * Default 200,000 (~200 MB worst case). The entries of an embedded CRL's
   * revokedCertificates are not counted: ParsedCrl indexes them by header
   * walking without decoding them, so CRLs of any length within
   * maxInputBytes load at the default.
   */
  readonly maxAsn1Elements: number;
  /** Most certificates in one SignedData (`certificates` field). Default 64. */
  readonly maxCertificates: number;
  /**
   * Most SignerInfos in one SignedData, and most (non-counter) ds:Signatures in one XML document. Default 32.
   * Counter-signatures count against it too: those beyond it (signatures plus counter-signatures) are not
   * validated, and the signature they counter-sign carries a warning saying so.
   */
  readonly maxSigners: number;
  /** Longest certification path searched, in certificates from the signer up (anchor excluded). Default 10. */
  readonly maxPathDepth: number;
  /** Most issuer candidates examined across all branches while building paths for one certificate. Default 500. */
  readonly maxPathCandidates: number;
  /** Most complete candidate paths validated for one certificate. Default 16. */
  readonly maxPaths: number;
  /** Largest XML document accepted, in bytes. Default 32 MiB. */
  readonly maxXmlBytes: number;
  /** Deepest XML element nesting. Default 64. */
  readonly maxXmlDepth: number;
  /**
   * Most XML nodes (elements, text, comments, ...) in one document, counted
   * before the DOM is built (xmldom needs ~1 KB of heap per node). Default
   * 250,000 (~250 MB worst case).
   */
  readonly maxXmlNodes: number;
  /**
   * Most ds:Reference elements in one ds:SignedInfo. Each reference may
   * trigger a dereference, transforms and a canonicalization. Default 64.
   * More is a FORMAT_FAILURE of that signature.
   */
  readonly maxXmlReferences: number;
  /**
   * Total work allowed on one XML document, over all its signatures: one unit
   * per character canonicalized, 48 per node visited, one per 4 bytes digested,
   * and 4,096 + its size per certificate parsed or key tried
   * (src/util/work-budget.ts). Each step is charged before it runs, so a
   * document whose references, signatures and KeyInfo certificates multiply
   * into minutes of work fails fast. Default 10,000,000: about 2 s of
   * canonicalization at most, room for an enveloped document of ~5 MB of text
   * (less for markup-dense ones) — raise it for larger signed documents.
   */
  readonly maxXmlWork: number;
  /**
   * Largest response accepted from a network fetch (OCSP, CRL, AIA), in bytes. Default 4 MiB.
   * Applies to the opt-in fetcher (src/net/fetcher.ts); `fetchLimits.maxBytes` still overrides it.
   */
  readonly maxDownloadBytes: number;
  /** Longest wait for one network fetch, in milliseconds. Default 5,000 (`fetchLimits.timeoutMs` still overrides it). */
  readonly downloadTimeoutMs: number;
  /** Most entries (files and folders) in one ASiC container's ZIP directory. Default 1,000. */
  readonly maxContainerEntries: number;
  /**
   * Most bytes one ASiC container may expand to: the sum of its entries' uncompressed sizes, as declared
   * and as actually inflated (an entry inflating past its declared size is refused). Default 256 MiB.
   */
  readonly maxContainerBytes: number;
  /**
   * Highest uncompressed/compressed size ratio of a deflated entry larger than 1 MiB uncompressed (a zip
   * bomb's signature: DEFLATE reaches ~1,000:1 on zeros; real documents stay well below 100:1). Default 200.
   */
  readonly maxCompressionRatio: number;
  /**
   * Deepest nesting of containers in containers that is opened (an ASiC-S whose data object is itself a
   * container is depth 2). Default 3.
   */
  readonly maxContainerDepth: number;
}

/** The limits applied when `VerifyOptions.limits` does not override them. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxInputBytes: 64 * 1024 * 1024,
  maxAsn1Depth: 100,
  maxAsn1Elements: 200_000,
  maxCertificates: 64,
  maxSigners: 32,
  maxPathDepth: 10,
  maxPathCandidates: 500,
  maxPaths: 16,
  maxXmlBytes: 32 * 1024 * 1024,
  maxXmlDepth: 64,
  maxXmlNodes: 250_000,
  maxXmlReferences: 64,
  maxXmlWork: 10_000_000,
  maxDownloadBytes: 4 * 1024 * 1024,
  downloadTimeoutMs: 5_000,
  maxContainerEntries: 1_000,
  maxContainerBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxContainerDepth: 3,
});

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/**
 * The defaults overridden by `overrides`. Unknown names and values that are not
 * positive integers are an InvalidOptionError: a typo must not silently leave a
 * default (or no limit) in place.
 */
export function resolveLimits(overrides?: Partial<Limits>): Limits {
  if (overrides === undefined) return DEFAULT_LIMITS;
  if (overrides === null || typeof overrides !== 'object') throw new InvalidOptionError('limits must be an object');
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    if (!(LIMIT_KEYS as string[]).includes(k)) throw new InvalidOptionError(`unknown limit ${k} (known: ${LIMIT_KEYS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new InvalidOptionError(`limit ${k} must be a positive integer`);
    out[k] = v;
  }
  return Object.freeze(out as unknown as Limits);
}

// Each consumer's share of `Limits` is declared here, with the limits, so limits.ts depends on no
// parser (the parsers import it; re-declaring the shares in them made import cycles).

/** The CMS parser's share of `Limits` (cades/parse.ts). */
export interface CmsLimits {
  readonly maxInputBytes: number;
  readonly maxCertificates: number;
  readonly maxSigners: number;
  readonly maxAsn1Depth: number;
  readonly maxAsn1Elements: number;
}

/** The secure XML parser's share of `Limits` (xml/parse.ts). */
export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxNodes: number;
}

/** The path builder's share of `Limits` (pki/path-builder.ts). */
export interface PathBuildLimits {
  /**
   * Maximum certificates between target and anchor (inclusive of target).
   * Self-issued CA certificates (key rollover) are not counted, as for
   * pathLenConstraint; a branch never exceeds twice this many certificates.
   */
  readonly maxDepth: number;
  /** Maximum issuer candidates examined in total, across all branches. */
  readonly maxCandidates: number;
  /** Maximum complete paths returned. */
  readonly maxPaths: number;
}

/** The CMS parser's view of the limits. */
export function cmsLimitsOf(l: Limits): CmsLimits {
  return {
    maxInputBytes: l.maxInputBytes,
    maxCertificates: l.maxCertificates,
    maxSigners: l.maxSigners,
    maxAsn1Depth: l.maxAsn1Depth,
    maxAsn1Elements: l.maxAsn1Elements,
  };
}

/** The path builder's view of the limits. */
export function pathLimitsOf(l: Limits): PathBuildLimits {
  return { maxDepth: l.maxPathDepth, maxCandidates: l.maxPathCandidates, maxPaths: l.maxPaths };
}

/** The secure XML parser's view of the limits. */
export function xmlLimitsOf(l: Limits): XmlLimits {
  return { maxBytes: Math.min(l.maxXmlBytes, l.maxInputBytes), maxDepth: l.maxXmlDepth, maxNodes: l.maxXmlNodes };
}

export interface Asn1DecodeLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
}

/**
 * `asn1js.fromBER` with our limits and typed errors. asn1js (4.x) enforces a
 * depth, node-count and content-length bound itself but with small defaults
 * (100 / 10,000 / 16 MiB) and reports a breach as a plain decoding error; here
 * the bounds are ours and a breach is a LimitExceededError naming them.
 * `what` prefixes the limit names (`cms.asn1Depth`, ...).
 */
export function decodeBerWithLimits(bytes: Uint8Array, limits: Asn1DecodeLimits, what: string): asn1js.FromBerResult {
  if (bytes.byteLength > limits.maxBytes) throw new LimitExceededError(`${what}.inputBytes`, limits.maxBytes);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let asn: asn1js.FromBerResult;
  try {
    asn = asn1js.fromBER(buf, { maxDepth: limits.maxDepth, maxNodes: limits.maxElements, maxContentLength: limits.maxBytes });
  } catch (e) {
    // asn1js recurses per level; the depth bound keeps us far from the stack limit, but never let a RangeError escape.
    if (e instanceof RangeError) throw new LimitExceededError(`${what}.asn1Depth`, limits.maxDepth, `ASN.1 decoding exhausted the stack: ${e.message}`);
    throw new InputFormatError(`not BER/DER: ${(e as Error).message}`, { cause: e });
  }
  if (asn.offset === -1) {
    const err = asn.result.error ?? '';
    if (/nesting depth/i.test(err)) throw new LimitExceededError(`${what}.asn1Depth`, limits.maxDepth);
    if (/node count/i.test(err)) throw new LimitExceededError(`${what}.asn1Elements`, limits.maxElements);
    if (/content length/i.test(err)) throw new LimitExceededError(`${what}.inputBytes`, limits.maxBytes);
  }
  return asn;
}
