/**
 * What a format front end (cades/, xades/; asic/ and pades/ later) hands to the signature stage:
 * the facts of one signature, collected once, with no verdict in them. Parsing, the integrity checks
 * (FC / ISC / CV: their cryptography included), the signer candidate, every algorithm the signature
 * uses, the validation data it carries and its time-stamp tokens with the bytes each imprint must
 * cover. The stage (stage/signature.ts) judges them under a validation policy; facts can be judged
 * again under another policy, relying party or validation time without parsing or verifying again.
 *
 * Facts are not mutated by the stage: every evaluation copies what it records into.
 */
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import type { ParsedCrl } from '../pki/crl.js';
import type { CertificatePool } from '../pki/pool.js';
import type { SeverityFinding } from '../policy/model.js';
import type { BuildingBlock, Check } from '../etsi/check.js';
import type { ParsedOcspResponse } from '../revocation/ocsp.js';

/** One hash or signature the signature relies on, to be judged against the algorithm policy (SAV). */
export type AlgorithmUse =
  /** The signature value's algorithm with the signer's key (EN 319 102-1 5.2.8). */
  | { readonly kind: 'signature'; readonly algorithm: ResolvedSignatureAlgorithm }
  /**
   * A digest. `binding`: it binds signed data (message-digest, a ds:Reference), below policy is a SAV
   * finding. `signing-certificate-reference`: it only identifies the signer's certificate (ESS / XAdES
   * SigningCertificate), weighed by the policy's `signingCertificateDigestBelowPolicy` severity.
   */
  | { readonly kind: 'digest'; readonly role: 'binding' | 'signing-certificate-reference'; readonly id: string; readonly what: string; readonly digest: string };

/** Which time-stamp a token is (EN 319 102-1 5.4): what it proves the existence of. */
export type TimestampKind = 'content' | 'signature' | 'archive' | 'other';

export interface TimestampFact {
  readonly kind: TimestampKind;
  /** Check id for the token, e.g. `tst.signature-timestamp[0]` (CAdES) or `tst.SignatureTimeStamp[1]` (XAdES). */
  readonly id: string;
  /** How messages name it, e.g. `signature time-stamp` or `SignatureTimeStamp`. */
  readonly label: string;
  /** Its number among the tokens of its label, for warnings. */
  readonly ordinal: number;
  /** The RFC 3161 TimeStampToken (DER, a copy). */
  readonly token: Uint8Array;
  /** The bytes its message imprint must cover; absent when not computed (then it is never proof of existence). */
  readonly data?: Uint8Array;
  /** Why the covered bytes could not be computed, when that makes the token invalid (CAdES archive-time-stamp-v3 input). */
  readonly problem?: { readonly reason: string; readonly genTime?: Date };
}

/**
 * A BDOC 2.1 time-mark (the ASiC-E "BDOC-TM" profile): an OCSP response for the signer's certificate whose nonce is
 * a DigestInfo of the signature value, so it was requested for this very signature and its producedAt proves the
 * signature existed then. The front end records it only when the nonce binds the signature value; the stage
 * takes producedAt as proof of existence only when the response also validates for the signer (issuing CA or its
 * delegated responder, status good) and the nonce's digest algorithm is acceptable.
 */
export interface TimeMarkFact {
  readonly ocsp: ParsedOcspResponse;
  /** The nonce DigestInfo's digest algorithm as the registry names it (e.g. `SHA-256`). */
  readonly digest: string;
}

/** A finding whose weight (FAIL / WARN / IGNORE) is the policy's choice (ValidationPolicy.severity). */
export interface SeverityFact {
  readonly finding: SeverityFinding;
  readonly detail: string;
  /** A SKIPPED check that records the finding when the policy does not make it FAIL (then a failing check replaces it). */
  readonly note?: { readonly block: BuildingBlock; readonly id: string; readonly detail: string };
}

/**
 * The signature policy a signature names (EN 319 122-1 5.2.9 signature-policy-identifier, EN 319 132-1 5.2.9
 * SignaturePolicyIdentifier): collected as read; the stage checks it against the policy documents the caller
 * supplies and the digests the validation policy knows.
 */
export interface SignaturePolicyFact {
  /** SignaturePolicyImplied (CAdES NULL / XAdES element): the policy is implied by the context, nothing to check. */
  readonly implied: boolean;
  /** SigPolicyId as a dotted OID (XAdES `urn:oid:` identifiers are read as the OID); other XAdES identifiers as written. */
  readonly id: string | null;
  /** The SigPolicyHash digest algorithm as the registry names it (e.g. `SHA-256`), its OID / URI when unknown, null when absent. */
  readonly digestAlgorithm: string | null;
  readonly digest: Uint8Array | null;
  /** Why the identifier could not be read (a FORMAT_FAILURE is already among the FC checks). */
  readonly problem?: string;
}

/** What collecting one signature established (parsed attributes, integrity and certificate facts), before any policy judges it; `evaluate` turns it into a SignatureReport. */
export interface SignatureFacts {
  /** Position of the signature in its container, e.g. `signerInfo[0]`, `Signature[@Id='s1']`. */
  readonly id: string;
  readonly format: 'CAdES' | 'XAdES';
  /** Level from the structure alone; `levelWith` may raise it when time-stamps prove valid. */
  readonly level: string;
  readonly levelWith?: (valid: { readonly signatureTimestamp: boolean; readonly archiveTimestamp: boolean }) => string;
  /** FC / ISC / CV outcomes (integrity), in order. */
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
  readonly signer?: ParsedCertificate;
  /** Certificates to build the signer's path from (carried, caller's intermediates, fetched issuers). */
  readonly pool: CertificatePool;
  /** Certificates the signature carries (for TSA paths and CRL issuers). */
  readonly certificates: readonly ParsedCertificate[];
  /** Revocation data the signature carries (material: verified by the stage before use). */
  readonly crls: readonly ParsedCrl[];
  readonly ocsps: readonly ParsedOcspResponse[];
  /** For the report: the signature algorithm's name (or OID / URI when unresolved) and the content digest. */
  readonly signatureAlgorithmName: string | null;
  readonly digestAlgorithmName: string | null;
  readonly algorithms: readonly AlgorithmUse[];
  /** A signing time the signature signs (never an unsigned one). */
  readonly claimedSigningTime?: Date;
  readonly timestamps: readonly TimestampFact[];
  readonly findings: readonly SeverityFact[];
  /**
   * CAdES complete-certificate-references / XAdES CompleteCertificateRefs(V2) (the -C level): the digests of the CA
   * certificates the signer's path was validated with. The stage checks that each CA certificate of the path it
   * builds is referenced.
   */
  readonly certificateReferences?: readonly { readonly digestOid: string; readonly digest: Uint8Array; readonly label: string }[];
  /** A BDOC time-mark whose nonce binds this signature's value (stage: proof of existence at its producedAt). */
  readonly timeMark?: TimeMarkFact;
  /** The signature policy the signature names (signed), when it names one. */
  readonly signaturePolicy?: SignaturePolicyFact;
  /**
   * Counter-signatures of this signature (CAdES countersignature attribute, XAdES CounterSignature), each the
   * facts of a signature of its own whose signed content is this signature's value. The stage judges each
   * separately: its verdict never changes this signature's (EN 319 102-1 treats it as another signature).
   */
  readonly counterSignatures?: readonly SignatureFacts[];
}
