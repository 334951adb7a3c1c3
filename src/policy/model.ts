/**
 * The validation policy: every rule that turns the facts collected from a signature into a verdict,
 * in one typed, serialisable value (JSON; schema in policies/policy.schema.json). EN 319 102-1 calls it
 * the "signature validation policy"; DSS's constraint.xml plays the same part. Two runs over the same
 * input and the same policy give the same verdict; the report names the policy by name and SHA-256.
 *
 * Presets live in presets.ts: `default` is safe (strict RFC 5280 profile, revocation required and
 * fresh for the signer and every CA certificate), `lenient` accepts less evidence and says so.
 */
import type { AlgorithmPolicy } from '../crypto/policy.js';
import type { KeyUsageName } from '../pki/certificate.js';

/** How serious a finding is under a policy: FAIL changes the verdict, WARN is only reported, IGNORE drops it. */
export type Severity = 'FAIL' | 'WARN' | 'IGNORE';

/** Findings whose weight is the policy's choice (anything not listed here is fixed by the standards). */
export type SeverityFinding =
  /** The ESS / XAdES signing-certificate reference uses a digest below the algorithm policy (DSS default: WARN). */
  | 'signingCertificateDigestBelowPolicy'
  /** No signed signing-certificate reference: the signer is identified by SignerIdentifier / ds:KeyInfo only (plain CMS, XML-DSig). */
  | 'signingCertificateNotSigned'
  /** XAdES QualifyingProperties Target does not name the signature (the properties are bound structurally all the same). */
  | 'qualifyingPropertiesTargetMismatch'
  /** Processing instructions or comments of an XML document that no signed reference covers. */
  | 'xmlMarkupNotCovered';

/** Policy rules on certificates and path validation (profile, RFC 5280 initial policy inputs). */
export interface CertificateConstraints {
  /**
   * `strict`: the RFC 5280 section 4 MUSTs addressed to conforming CAs are failures (criticality rules,
   * AKI/SKI presence, keyCertSign only with cA), and the trust anchor's certificate is checked as a
   * certificate (validity, cA, keyCertSign, unknown critical extensions), as OpenSSL does.
   * `lenient`: only structural defects fail; the anchor is a name and a key (RFC 5280 6.1.1 (d)).
   */
  readonly profile: 'strict' | 'lenient';
  /**
   * RFC 5280 6.1.1 (c) user-initial-policy-set with initial-explicit-policy: a signer's path must be
   * valid for at least one of these certificate policy OIDs. Absent: any policy (anyPolicy).
   */
  readonly acceptablePolicies?: readonly string[];
  /**
   * RFC 5280 6.1.1 (f) initial-explicit-policy: the path must be valid for a policy of the set. Absent:
   * true when acceptablePolicies is given, else false.
   */
  readonly explicitPolicy?: boolean;
  /** RFC 5280 6.1.1 (e) initial-policy-mapping-inhibit. Absent: false. */
  readonly inhibitPolicyMapping?: boolean;
  /** RFC 5280 6.1.1 (g) initial-any-policy-inhibit. Absent: false. */
  readonly inhibitAnyPolicy?: boolean;
  /**
   * -C certificate references (complete-certificate-references, CompleteCertificateRefs) must reference the trust
   * anchor too, not only the intermediate CA certificates (EN 319 122-1 says every CA certificate of the path; DSS-made
   * signatures leave the root out; MA3 requires it). Absent: false.
   */
  readonly requireAnchorReference?: boolean;
}

/** Which certificates of a path must have a revocation status. */
export type RevocationScope = 'signer-and-ca' | 'signer' | 'none';

/** Policy rules on revocation: which certificates need a status and how fresh it must be. */
export interface RevocationConstraints {
  /**
   * Signer paths: certificates whose status must be known (EN 319 102-1 5.2.6 / DSS default
   * RevocationDataAvailable FAIL). Missing → INDETERMINATE / TRY_LATER. The anchor never needs one,
   * nor does an OCSP responder certificate with id-pkix-ocsp-nocheck.
   */
  readonly signer: RevocationScope;
  /** The same for a time-stamping authority's path (a TST used as proof of existence). */
  readonly timestampAuthority: RevocationScope;
  /**
   * Revocation data that is neither current at the time in question (thisUpdate..nextUpdate) nor issued
   * after it is stale (EN 319 102-1 5.2.5). false: stale data counts as no data (TRY_LATER where
   * required); true: a stale "good" is accepted with a warning.
   */
  readonly acceptStale: boolean;
  /**
   * Optional freshness bound (DSS RevocationFreshness): data issued longer than this before the time
   * in question is stale even inside its thisUpdate..nextUpdate window. null: the window alone decides.
   */
  readonly maxAgeSeconds: number | null;
  /**
   * Revocation data the signature carries about a certificate of the signer's path must be acceptable: an OCSP
   * response whose delegated responder was revoked at its producedAt (or is otherwise not authorized) makes the
   * signature INDETERMINATE / CHAIN_CONSTRAINTS_FAILURE even when other data gives the status (MA3 / the Turkish
   * profiles: the signature's own validation data must hold). Absent: false (EN 319 102-1: such data is only not used).
   */
  readonly rejectUnacceptableCarried?: boolean;
}

/** Policy rules on time-stamps: which are required and how many are validated. */
export interface TimestampConstraints {
  /** A valid signature time-stamp (or archive time-stamp) is required: without one the signature is INDETERMINATE / SIG_CONSTRAINTS_FAILURE. */
  readonly requireSignatureTimestamp: boolean;
  /** Most time-stamps of each kind validated per signature (each costs a path validation); the rest are reported, not used. */
  readonly maxPerSignature: number;
  /**
   * Every time-stamp the signature carries must validate, its imprint verified (e.g. MA3 / the Turkish profiles: a
   * broken archive time-stamp invalidates the signature); one that does not, or whose covered bytes the library does
   * not compute (TS 101 733 archive-time-stamp v1/v2), is INDETERMINATE / SIG_CONSTRAINTS_FAILURE. Absent: false (DSS:
   * an invalid time-stamp is only not used as proof of existence).
   */
  readonly requireAllValid?: boolean;
}

/** Policy rules on trusted-list services: which service types anchor signer paths and time-stamps. */
export interface TrustServiceConstraints {
  /**
   * TS 119 612 service types (URIs) whose listed certificates anchor signer paths. A CA listed only as a
   * time-stamping service never anchors a signer's path.
   */
  readonly signerServiceTypes: readonly string[];
  /** Service types whose listed certificates may vouch for a time-stamp (a TSA's path ends there). */
  readonly timestampServiceTypes: readonly string[];
}

/** A signature policy whose document's digest the validation policy knows (a registry entry). */
export interface KnownSignaturePolicy {
  /** The policy identifier (SigPolicyId, dotted OID). */
  readonly id: string;
  readonly description?: string;
  /** Digest algorithm of `digest`, as the algorithm registry names it (e.g. `SHA-256`). */
  readonly digestAlgorithm: string;
  /** Digest of the policy document (hex). */
  readonly digest: string;
  /**
   * The kind of revocation data the policy prescribes for the signer's certificate (e.g. Turkish P3: CRL, P4: OCSP):
   * a signature naming this policy whose signer status came from the other kind is INDETERMINATE /
   * SIG_CONSTRAINTS_FAILURE. Absent: either.
   */
  readonly signerRevocation?: 'crl' | 'ocsp';
}

/**
 * Signature policies (EPES: EN 319 122-1 / EN 319 132-1 5.2.9, checked as EN 319 102-1 5.2.4 validation context
 * initialisation does; DSS: SignaturePolicy constraints). A signature that names a policy has its SigPolicyHash
 * checked against the policy document the caller supplies (`VerifyOptions.signaturePolicies`), else against the
 * digest known here: a mismatch is INDETERMINATE / POLICY_PROCESSING_ERROR.
 */
export interface SignaturePolicyConstraints {
  /** An explicit signature policy identifier is required (an implied policy does not count): else POLICY_PROCESSING_ERROR. */
  readonly required: boolean;
  /** Policy identifiers (OIDs) accepted; absent: any. A signature naming another one is POLICY_PROCESSING_ERROR. */
  readonly acceptable?: readonly string[];
  /** Digests of policy documents known to this validation policy. */
  readonly known: readonly KnownSignaturePolicy[];
  /**
   * A policy whose document is neither supplied nor known (its hash cannot be checked): FAIL makes it INDETERMINATE /
   * SIGNATURE_POLICY_NOT_AVAILABLE; WARN (DSS default: PolicyAvailable INFORM) reports it; IGNORE only records it.
   */
  readonly unknown: Severity;
}

/** Rules about the signer and its signed attributes beyond the standards' (national profiles). */
export interface SignerConstraints {
  /** A signed signing time (CAdES signing-time, XAdES SigningTime) is required: else INDETERMINATE / SIG_CONSTRAINTS_FAILURE. */
  readonly requireSigningTime: boolean;
  /**
   * keyUsage the signer's certificate must assert (any one of them; RFC 5280 4.2.1.3 names). Absent: digitalSignature
   * or nonRepudiation.
   */
  readonly keyUsage?: readonly KeyUsageName[];
  /**
   * Most seconds the claimed signing time may lie before the earliest valid signature time-stamp (the time-stamp
   * must follow the signing promptly). Absent: no bound. Exceeded: INDETERMINATE / SIG_CONSTRAINTS_FAILURE.
   */
  readonly maxSigningTimeToTimestampSeconds?: number;
  /**
   * QCStatement ids (RFC 3739 / EN 319 412-5) the signer's certificate must carry, all of them (e.g. 0.4.0.1862.1.1
   * QcCompliance and a national statement). Absent: none. Missing: INDETERMINATE / CHAIN_CONSTRAINTS_FAILURE.
   */
  readonly requiredQcStatements?: readonly string[];
  /** A certificate policy of the signer's certificate must carry a userNotice qualifier (Turkish profiles: the "ibare"). Absent: false. */
  readonly requireUserNotice?: boolean;
}

/** A validation policy: every rule that turns collected facts into a verdict (policies/policy.schema.json). */
export interface ValidationPolicy {
  /** Short name shown in reports (`default`, `lenient`, or the caller's). */
  readonly name: string;
  readonly description?: string;
  readonly certificate: CertificateConstraints;
  readonly revocation: RevocationConstraints;
  /** Cryptographic constraints with their sunset dates (ETSI TS 119 312, DSS AlgoExpirationDate). */
  readonly algorithms: AlgorithmPolicy;
  readonly timestamps: TimestampConstraints;
  readonly trustServices: TrustServiceConstraints;
  /** What is FAIL and what is WARN for the findings that are the policy's choice. */
  readonly severity: Readonly<Record<SeverityFinding, Severity>>;
  /** Signature policy (EPES) rules. Absent: any policy or none; an unknown policy document is a warning (DSS default). */
  readonly signaturePolicy?: SignaturePolicyConstraints;
  /** Signer rules of national profiles. Absent: none beyond the standards'. */
  readonly signer?: SignerConstraints;
}

/** The policy as a report names it: enough to tell which rules produced a verdict. */
export interface PolicyIdentity {
  readonly name: string;
  /** SHA-256 (hex) of the policy's canonical JSON (keys sorted, no whitespace). */
  readonly sha256: string;
}
