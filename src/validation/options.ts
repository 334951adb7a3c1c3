import { InvalidOptionError, OtsEsigError } from '../errors.js';
import type { AlgorithmPolicy } from '../crypto/policy.js';
import { getDefaultRegistry, type AlgorithmRegistry } from '../crypto/registry.js';
import { ParsedCertificate } from '../pki/certificate.js';
import { ParsedCrl } from '../pki/crl.js';
import { crlCache } from '../pki/cache.js';
import type { RevocationChecker } from '../pki/revocation.js';
import { Fetcher, type FetchFunction, type FetcherOptions } from '../net/fetcher.js';
import { ParsedOcspResponse } from '../revocation/ocsp.js';
import { revocationChecker, taggedCrls, taggedOcsps } from '../revocation/checker.js';
import { mapped } from '../util/list.js';
import type { PathBuildLimits } from '../pki/path-builder.js';
import { CertificatePool, type TrustAnchor } from '../pki/pool.js';
import { byteAnchorPoolOf } from '../pki/byte-anchor-pool.js';
import { copyBytes, fromBase64, toBytes } from '../util/bytes.js';
import { asBytes, loadCertificates, optionObjects, type CertificateInput } from '../pki/inputs.js';
import type { CmsLimits } from '../cades/parse.js';
import type { XmlLimits } from '../xml/parse.js';
import { cmsLimitsOf, pathLimitsOf, resolveLimits, xmlLimitsOf, type Limits } from '../limits.js';
import type { TrustOptions } from '../trust/inputs.js';
import { directTimestampTrust, type TimestampTrust } from './timestamp-trust.js';
import type { ValidationPolicy } from '../policy/model.js';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../policy/presets.js';
import { parsePolicy } from '../policy/parse.js';

// Caller certificates are read by pki/inputs.ts (trust lists read their pinned signers there too).
export type { CertificateInput };
export { loadCertificates };
/** A CRL as DER or PEM bytes, PEM text, or already parsed. */
export type CrlInput = Uint8Array | ArrayBuffer | string | ParsedCrl;

/** Options of `verify`, `collect` and `verifyCertificate`: trust anchors and lists, revocation data, validation time, policy, recognition inputs and limits. Every field is optional; nothing is trusted by default. */
export interface VerifyOptions {
  /**
   * The validation policy (src/policy/model.ts): a preset name (`default`, `lenient`) or a policy object.
   * Every rule that turns facts into a verdict comes from it; the report names it.
   */
  readonly policy?: ValidationPolicy | string;
  /** Certificates trusted as path ends. The library has no built-in anchors. */
  readonly trustAnchors?: readonly CertificateInput[];
  /**
   * Trust anchors as a CertificatePool built once (e.g. from a large list): used as is,
   * so a validation does no work proportional to the number of anchors (trustAnchors all parsed
   * or all bytes are indexed once per array, reused while the same array holds the same objects,
   * each byte anchor used confirmed against its buffer's current bytes; a mix is indexed on every
   * call). Combined with trustAnchors or trust lists, it is copied.
   */
  readonly trustAnchorPool?: CertificatePool<TrustAnchor>;
  /**
   * Certificates trusted as time-stamping authorities (a TSA certificate, or the CA that issues TSA
   * certificates): a time-stamp is proof of existence only when its TSA's path ends at one of these or
   * at a time-stamping service (TSA, TSA/QTST, …) of a trusted list that was in good standing at its
   * genTime. `trustAnchors` are never trusted for time-stamps.
   */
  readonly timestampAnchors?: readonly CertificateInput[];
  /** Extra certificates for path building (not trusted by themselves). */
  readonly intermediates?: readonly CertificateInput[];
  readonly crls?: readonly CrlInput[];
  /**
   * Signature policy documents (EPES) by identifier: a signature naming `id` has its SigPolicyHash checked against
   * the digest of `document` (in the hash algorithm the signature names). Several documents may share an id.
   * Identifiers without a document fall back to the digests the validation policy knows (`signaturePolicy.known`).
   */
  readonly signaturePolicies?: readonly SignaturePolicyDocumentInput[];
  /** The signed content, for detached signatures. */
  readonly detachedContent?: Uint8Array | ArrayBuffer;
  /** XAdES with several detached references: content by reference URI (or its last path segment). */
  readonly detachedFiles?: ReadonlyMap<string, Uint8Array | ArrayBuffer> | Readonly<Record<string, Uint8Array | ArrayBuffer>>;
  /** The time validation is done for; defaults to now. */
  readonly validationTime?: Date;
  /**
   * Certificate policy OIDs the relying party accepts (e.g. those an agreement
   * requires). When given, a signer's path must be valid for at least one of
   * them: RFC 5280 6.1 with this user-initial-policy-set and initial-explicit-policy.
   */
  readonly acceptablePolicies?: readonly string[];
  readonly algorithmPolicy?: AlgorithmPolicy;
  /** Crypto providers; defaults to the platform WebCrypto only. */
  readonly registry?: AlgorithmRegistry;
  /** Resource limits for hostile input; any subset overrides `DEFAULT_LIMITS` (see src/limits.ts). */
  readonly limits?: Partial<Limits>;
  /**
   * Trusted lists (ETSI TS 119 612 XML, or the JSON form), or a set already loaded
   * with `loadTrustLists`. CA certificates of the lists that verify become anchors.
   */
  readonly trustLists?: TrustOptions['trustLists'];
  /** Bilateral recognition agreements (JSON, see trust-lists/agreement.schema.json). */
  readonly agreements?: TrustOptions['agreements'];
  /**
   * Operator certificates that sign agreements for each party (`{ party, certificate }`, or a certificate whose
   * countryName is the party). When any is given, only agreements every party signed are used.
   */
  readonly agreementSigners?: TrustOptions['agreementSigners'];
  /** ISO 3166 alpha-2 country of the relying party; recognition is evaluated only when given. */
  readonly relyingParty?: string;
  /** Document type / purpose, checked against agreement constraints. */
  readonly purpose?: string;
  /** OCSP responses (OCSPResponse or BasicOCSPResponse, DER or PEM/base64 text) to use as revocation data. */
  readonly ocspResponses?: readonly OcspInput[];
  /**
   * Fetch revocation data (OCSP from the certificate's AIA, CRLs from its distribution points) with
   * `globalThis.fetch` when supplied data has no fresh answer. Off by default: validation is offline.
   */
  readonly online?: boolean;
  /** A caller-supplied `fetch`-like function (or a configured Fetcher); implies online fetching. */
  readonly fetcher?: FetchFunction | Fetcher;
  /** Time and size limits of online fetching. */
  readonly fetchLimits?: Pick<FetcherOptions, 'timeoutMs' | 'maxBytes'>;
  /**
   * Require revocation status for every certificate of the signer's chain (EN 319 102-1 and the DSS
   * default policy): when none is available the verdict is INDETERMINATE / TRY_LATER. Off by
   * default, where a missing status is a warning ("not checked") and does not change the verdict.
   */
  readonly requireRevocation?: boolean;
}

/** An OCSP response as DER, PEM/base64 text, or already parsed. */
export type OcspInput = Uint8Array | ArrayBuffer | string | ParsedOcspResponse;

/** Everything a signature validation needs, normalised once per `verify` call. */
/** A signature policy document the caller supplies (VerifyOptions.signaturePolicies). */
export interface SignaturePolicyDocumentInput {
  /** The policy identifier (dotted OID; a `urn:oid:` form is accepted). */
  readonly id: string;
  /** The policy document's bytes, exactly as hashed by the signer. */
  readonly document: Uint8Array | ArrayBuffer;
}

export interface ValidationContext {
  readonly time: Date;
  /** The policy in force (VerifyOptions.policy with the option overrides applied). */
  readonly policy: ValidationPolicy;
  readonly registry: AlgorithmRegistry;
  readonly algorithmPolicy: AlgorithmPolicy;
  readonly anchors: CertificatePool<TrustAnchor>;
  /** Who may vouch for a time-stamp: VerifyOptions.timestampAnchors, then the TSA services of trusted lists (prepareTrust). */
  readonly timestampTrust: TimestampTrust;
  readonly intermediates: readonly ParsedCertificate[];
  readonly crls: readonly ParsedCrl[];
  readonly detachedContent?: Uint8Array;
  readonly limits: Limits;
  readonly cmsLimits: CmsLimits;
  readonly pathLimits: PathBuildLimits;
  readonly xmlLimits: XmlLimits;
  readonly warnings: string[];
  /** Revocation source for path validation; when absent, a checker over `crls` only. */
  readonly revocation?: RevocationChecker;
  /** VerifyOptions.signaturePolicies, read (ids as OIDs, documents as bytes). */
  readonly signaturePolicyDocuments?: readonly { readonly id: string; readonly document: Uint8Array }[];
  /** VerifyOptions.acceptablePolicies, checked as OIDs. */
  readonly acceptablePolicies?: readonly string[];
  /** Caller-supplied OCSP responses. */
  readonly ocspResponses?: readonly ParsedOcspResponse[];
  /** Present only when online fetching is enabled. */
  readonly fetcher?: Fetcher;
  /** VerifyOptions.requireRevocation. */
  readonly requireRevocation: boolean;
}

const encoder = new TextEncoder();

/**
 * The pool for an array of parsed anchors, built once while the caller passes
 * the same array holding the same certificates: each call compares the
 * elements by identity (pointer compares) instead of indexing them again.
 * The pool is shared, so nothing may add to it (trust/context.ts copies first).
 */
function anchorPoolOf(certificates: readonly ParsedCertificate[]): CertificatePool<TrustAnchor> {
  const hit = anchorPools.get(certificates);
  if (hit && hit.certificates.length === certificates.length && hit.certificates.every((c, i) => c === certificates[i])) return hit.pool;
  const pool = new CertificatePool<TrustAnchor>(certificates.map((certificate) => ({ certificate })));
  anchorPools.set(certificates, { certificates: [...certificates], pool });
  return pool;
}

const anchorPools = new WeakMap<readonly ParsedCertificate[], { readonly certificates: readonly ParsedCertificate[]; readonly pool: CertificatePool<TrustAnchor> }>();

/** Reads CRLs from PEM (one or several blocks) or DER; throws InvalidOptionError for input that holds none or does not parse. */
export function loadCrls(input: CrlInput): ParsedCrl[] {
  if (input instanceof ParsedCrl) return [input];
  const ders = optionObjects(asBytes(input), ['X509 CRL', 'CRL'], 'CRL');
  if (ders.length === 0) throw new InvalidOptionError('no CRL found in the given input');
  return ders.map((d) => {
    try {
      return crlCache.get(d);
    } catch (e) {
      throw new InvalidOptionError(`unreadable CRL: ${(e as Error).message}`, { cause: e });
    }
  });
}

export function loadOcspResponse(input: OcspInput): ParsedOcspResponse {
  if (input instanceof ParsedOcspResponse) return input;
  let der = typeof input === 'string' ? undefined : toBytes(input);
  if (der === undefined || (der.length > 0 && der[0] !== 0x30)) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(der);
    const pem = optionObjects(encoder.encode(text), ['OCSP RESPONSE'], 'OCSP response');
    try {
      der = pem[0] ?? fromBase64(text.replace(/\s+/g, ''));
    } catch (e) {
      throw new InvalidOptionError(`unreadable OCSP response: neither DER, PEM nor base64 (${(e as Error).message})`, { cause: e });
    }
  }
  try {
    return ParsedOcspResponse.cached(der);
  } catch (e) {
    throw new InvalidOptionError(`unreadable OCSP response: ${(e as Error).message}`, { cause: e });
  }
}

export function createContext(options: VerifyOptions): ValidationContext {
  const time = options.validationTime ?? new Date();
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw new InvalidOptionError('validationTime is not a valid Date');
  const limits = resolveLimits(options.limits);
  const warnings: string[] = [];
  // With trusted lists the anchors come later (trust/context.ts prepareTrust), which warns if there are none.
  const listsGiven = Array.isArray(options.trustLists) ? options.trustLists.length > 0 : options.trustLists !== undefined;
  const prebuilt = options.trustAnchorPool;
  if (prebuilt !== undefined && !(prebuilt instanceof CertificatePool)) throw new InvalidOptionError('trustAnchorPool must be a CertificatePool');
  let anchors: CertificatePool<TrustAnchor>;
  if (prebuilt && !options.trustAnchors?.length && !listsGiven) {
    anchors = prebuilt; // validation only reads it; trust lists (prepareTrust adds their anchors) get a copy
  } else if (!prebuilt && options.trustAnchors?.length && options.trustAnchors.every((a) => a instanceof ParsedCertificate)) {
    anchors = anchorPoolOf(options.trustAnchors as readonly ParsedCertificate[]);
  } else if (!prebuilt && options.trustAnchors?.length && options.trustAnchors.every((a) => a instanceof Uint8Array)) {
    anchors = byteAnchorPoolOf(options.trustAnchors as readonly Uint8Array[]);
  } else {
    anchors = new CertificatePool<TrustAnchor>(prebuilt ? prebuilt.values() : []);
    for (const a of options.trustAnchors ?? []) for (const c of loadCertificates(a)) anchors.add({ certificate: c });
  }
  if (anchors.size === 0 && !listsGiven) warnings.push('no trust anchors were supplied: no certificate chain can be trusted');
  const timestampAnchors = new CertificatePool<TrustAnchor>();
  for (const a of options.timestampAnchors ?? []) for (const c of loadCertificates(a)) timestampAnchors.add({ certificate: c, source: 'timestampAnchors' });
  const intermediates = (options.intermediates ?? []).flatMap(loadCertificates);
  const crls = (options.crls ?? []).flatMap(loadCrls);
  const acceptablePolicies = options.acceptablePolicies;
  if (acceptablePolicies !== undefined) {
    if (!Array.isArray(acceptablePolicies) || acceptablePolicies.length === 0) throw new InvalidOptionError('acceptablePolicies must be a non-empty list of policy OIDs');
    for (const oid of acceptablePolicies) {
      if (typeof oid !== 'string' || !/^[0-2](\.(0|[1-9]\d*))+$/.test(oid)) throw new InvalidOptionError(`acceptablePolicies: ${JSON.stringify(oid)} is not an OID`);
    }
  }
  const ocspResponses = mapped(options.ocspResponses ?? [], loadOcspResponse);
  const signaturePolicyDocuments = readSignaturePolicyDocuments(options.signaturePolicies);
  const policy = resolvePolicy(options);
  const registry = options.registry ?? getDefaultRegistry();
  const fetcher =
    options.fetcher instanceof Fetcher
      ? options.fetcher
      : options.fetcher || options.online
        ? new Fetcher({ fetch: options.fetcher, timeoutMs: limits.downloadTimeoutMs, maxBytes: limits.maxDownloadBytes, ...options.fetchLimits })
        : undefined;
  const revocation = revocationChecker({
    registry,
    algorithmPolicy: policy.algorithms,
    crls: taggedCrls(crls),
    ocsps: taggedOcsps(ocspResponses),
    fetcher,
    // Candidate CRL signers (separate CRL-signing keys, indirect CRLs) and the anchors their paths must reach.
    certificates: intermediates,
    anchors,
  });
  return {
    policy,
    requireRevocation: policy.revocation.signer !== 'none',
    acceptablePolicies: policy.certificate.acceptablePolicies,
    revocation,
    ocspResponses,
    fetcher,
    time,
    registry,
    algorithmPolicy: policy.algorithms,
    anchors,
    timestampTrust: directTimestampTrust(timestampAnchors),
    intermediates,
    crls,
    detachedContent: options.detachedContent ? toBytes(options.detachedContent) : undefined,
    ...(signaturePolicyDocuments.length ? { signaturePolicyDocuments } : {}),
    limits,
    cmsLimits: cmsLimitsOf(limits),
    pathLimits: pathLimitsOf(limits),
    xmlLimits: xmlLimitsOf(limits),
    warnings,
  };
}

/** VerifyOptions.signaturePolicies checked: each an OID (a `urn:oid:` prefix dropped) with its document's bytes (copied: inputs are never written). */
function readSignaturePolicyDocuments(input: VerifyOptions['signaturePolicies']): { id: string; document: Uint8Array }[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw new InvalidOptionError('signaturePolicies must be a list of { id, document }');
  return input.map((p: SignaturePolicyDocumentInput, i) => {
    const id = typeof p?.id === 'string' ? p.id.trim().replace(/^urn:oid:/i, '') : undefined;
    if (!id || !/^[0-2](\.(0|[1-9]\d*))+$/.test(id)) throw new InvalidOptionError(`signaturePolicies[${i}].id: ${JSON.stringify(p?.id)} is not an OID`);
    if (!(p.document instanceof Uint8Array) && !(p.document instanceof ArrayBuffer)) throw new InvalidOptionError(`signaturePolicies[${i}].document must be bytes (Uint8Array or ArrayBuffer)`);
    return { id, document: copyBytes(toBytes(p.document)) };
  });
}

/**
 * The policy in force: the named preset (DEFAULT_POLICY when none is named) or the given object, with the
 * older per-option knobs (algorithmPolicy, acceptablePolicies, requireRevocation) applied on top.
 */
export function resolvePolicy(options: Pick<VerifyOptions, 'policy' | 'algorithmPolicy' | 'acceptablePolicies' | 'requireRevocation'>): ValidationPolicy {
  const given = options.policy;
  let policy: ValidationPolicy;
  if (given === undefined) policy = DEFAULT_POLICY;
  else if (typeof given === 'string') {
    const preset = POLICY_PRESETS[given];
    if (!preset) throw new InvalidOptionError(`unknown policy preset "${given}" (known: ${Object.keys(POLICY_PRESETS).join(', ')})`);
    policy = preset;
  } else if (Object.values(POLICY_PRESETS).includes(given)) policy = given;
  // A caller's object is checked like a policy file: a malformed one must not reach the verdict.
  else policy = parsePolicy(given);
  if (options.algorithmPolicy) policy = { ...policy, algorithms: options.algorithmPolicy };
  if (options.acceptablePolicies !== undefined) policy = { ...policy, certificate: { ...policy.certificate, acceptablePolicies: options.acceptablePolicies } };
  if (options.requireRevocation === true && policy.revocation.signer === 'none') policy = { ...policy, revocation: { ...policy.revocation, signer: 'signer-and-ca' } };
  return policy;
}

export function isOtsEsigError(e: unknown): e is OtsEsigError {
  return e instanceof OtsEsigError;
}
