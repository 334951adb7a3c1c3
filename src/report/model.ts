import type { Check } from '../etsi/check.js';
import type { Indication, SubIndication } from '../etsi/indication.js';
import type { ContainerReport } from './container.js';

/** ISO-8601 UTC instant, as every time in a report is written. */
export type IsoTime = string;

/** A certificate as reports show it: names, serial number, validity, SHA-256 fingerprint. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: IsoTime;
  readonly notAfter: IsoTime;
  /** SHA-256 of the certificate DER, hex. */
  readonly sha256: string;
  /** ISO 3166 country from the subject's C attribute, if present. */
  readonly country: string | null;
}

/**
 * The times a verdict depends on (EN 319 102-1 clause 5.1): the claimed signing
 * time is the signer's word only; the best-signature-time is the earliest time
 * the signature is proven to exist (a time-stamp, or a BDOC time-mark: an OCSP response whose nonce binds the
 * signature value), else the validation time.
 */
export interface SignatureTimes {
  readonly validationTime: IsoTime;
  readonly claimedSigningTime: IsoTime | null;
  readonly bestSignatureTime: IsoTime;
  /** Where the best-signature-time comes from. */
  readonly bestSignatureTimeSource: 'validation-time' | 'signature-timestamp' | 'time-mark' | 'archive-timestamp';
}

/** The revocation status found for one certificate of the path, and where it came from. */
export interface RevocationSummary {
  readonly certificate: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source: string | null;
  readonly revocationTime: IsoTime | null;
  readonly detail: string | null;
  /** Which kind of data answered, where it came from, and when it was issued (good answers). */
  readonly kind?: 'crl' | 'ocsp' | null;
  readonly origin?: 'embedded' | 'supplied' | 'fetched' | null;
  readonly thisUpdate?: IsoTime | null;
}

/** One time-stamp of a signature and what came of validating it (RFC 3161, EN 319 102-1 5.4). */
export interface TimestampSummary {
  readonly type: 'content-timestamp' | 'signature-timestamp' | 'archive-timestamp';
  readonly status: 'PASSED' | 'FAILED' | 'INDETERMINATE';
  readonly subIndication: SubIndication | null;
  readonly genTime: IsoTime | null;
  readonly tsa: string | null;
  /** True when the time-stamp served as proof of existence (best-signature-time). */
  readonly usedAsPoe: boolean;
  readonly checks: readonly Check[];
}

/** A signature's signature policy identifier (EPES) and the check of its SigPolicyHash. */
export interface SignaturePolicySummary {
  /** SigPolicyId (dotted OID, or the XAdES identifier as written); null for an implied policy or an unreadable one. */
  readonly id: string | null;
  readonly implied: boolean;
  /** The SigPolicyHash digest algorithm (e.g. `SHA-256`). */
  readonly digestAlgorithm: string | null;
  /** What the hash was compared with: a policy document the caller supplied, a digest the validation policy knows, or nothing. */
  readonly checkedAgainst: 'supplied-document' | 'known-digest' | null;
  /** PASSED: hash matches (and the identifier is acceptable); FAILED: a check failed; NOT_CHECKED: nothing to check it against. */
  readonly status: 'PASSED' | 'FAILED' | 'NOT_CHECKED';
}

/** The verdict on one signature (ETSI EN 319 102-1 indication and sub-indication), the checks behind it, the signer and chain, time-stamps, revocation and, when asked, recognition. */
export interface SignatureReport {
  /** Position of the signature in its container, e.g. `signerInfo[0]`. */
  readonly id: string;
  readonly format: 'CAdES' | 'XAdES';
  /** ETSI baseline level recognised (`CAdES-BASELINE-B`) or `CMS` when not an AdES profile. */
  readonly level: string;
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly signer: CertificateSummary | null;
  /** Signer first, trust anchor last; empty when no chain was built. */
  readonly chain: readonly CertificateSummary[];
  readonly signatureAlgorithm: string | null;
  readonly digestAlgorithm: string | null;
  readonly times: SignatureTimes;
  readonly revocation: readonly RevocationSummary[];
  /**
   * Certificate policies the signer's path is valid for: RFC 5280 6.1.5 valid_policy_tree leaves, which
   * may include anyPolicy (2.5.29.32.0); empty when the path is valid for none. Absent when no path was built.
   */
  readonly validPolicies?: readonly string[];
  /** The signature policy the signature names (EPES) and what came of checking it; absent when it names none. */
  readonly signaturePolicy?: SignaturePolicySummary;
  /** Time-stamps found on the signature (absent when it has none). */
  readonly timestamps?: readonly TimestampSummary[];
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
  /** Layer 2: whether the relying party recognizes this signature; absent when no recognition policy was given. */
  readonly recognition?: RecognitionReport;
  /**
   * Counter-signatures of this signature (CAdES countersignature, XAdES CounterSignature), each validated as
   * a signature of its own (ids like `signerInfo[0]/countersignature[0]`). Their verdicts do not change this
   * signature's. Absent when it has none.
   */
  readonly counterSignatures?: readonly SignatureReport[];
}

/** Recognition outcome (DESIGN.md "Verdicts" layer 2); INVALID when the signature is not TOTAL-PASSED. */
export type RecognitionStatus = 'RECOGNIZED' | 'NOT_RECOGNIZED' | 'INDETERMINATE' | 'INVALID';

/**
 * What a recognition rests on: the relying party's own list, a list-of-lists, or a bilateral
 * agreement; `none` marks the evaluation that found no basis for a listed service.
 */
export interface RecognitionBasis {
  readonly kind: 'national' | 'multilateral' | 'bilateral' | 'none';
  /** The trusted list the matched service is on, and its sequence number. */
  readonly listId: string | null;
  readonly sequenceNumber: number | null;
  /** The list-of-lists the list was authenticated through (multilateral). */
  readonly listOfLists: { readonly id: string; readonly sequenceNumber: number } | null;
  readonly agreementId: string | null;
  readonly description: string;
}

/** The trust service that vouches for the chain, with its status at the best-signature-time. */
export interface MatchedService {
  readonly listId: string;
  readonly sequenceNumber: number;
  readonly territory: string | null;
  readonly provider: string;
  readonly name: string;
  readonly type: string;
  /** Status URI in effect at `at`, and the window it held in. */
  readonly status: string;
  readonly statusSince: string;
  readonly statusUntil: string | null;
  readonly at: IsoTime;
  readonly matchedCertificate: string;
  /** How the service was matched: its listed certificate, or another certificate with the listed public key. */
  readonly matchedBy: 'certificate' | 'public-key';
}

/** One basis of recognition considered (own list, agreement, list of lists), with its outcome and the service it matched. */
export interface RecognitionEvaluation {
  readonly basis: RecognitionBasis;
  readonly status: Exclude<RecognitionStatus, 'INVALID'>;
  readonly service: MatchedService | null;
  readonly equivalenceLevel: string | null;
  /** How the partner's vocabulary was mapped (MRA equivalence / agreement), if it was. */
  readonly mapping: string | null;
  readonly reasons: readonly string[];
}

/** Whether the relying party recognizes a signature (RECOGNIZED, NOT_RECOGNIZED, INDETERMINATE, INVALID), on which basis, and the evaluations behind it. */
export interface RecognitionReport {
  readonly status: RecognitionStatus;
  readonly relyingParty: string;
  /** The territory of the list the issuing service is on (else the anchor's / signer's C attribute). */
  readonly issuerCountry: string | null;
  /** The time service status and agreement periods were evaluated at: the best-signature-time. */
  readonly time: IsoTime;
  readonly basis: RecognitionBasis | null;
  readonly service: MatchedService | null;
  /** e.g. `qualified`, `advanced`. */
  readonly equivalenceLevel: string | null;
  readonly mapping: string | null;
  /** Plain-language explanation: why recognized, or every reason it was not. */
  readonly reasons: readonly string[];
  /** Every basis that was considered, with its own outcome. */
  readonly evaluations: readonly RecognitionEvaluation[];
  /** A TEST list or agreement took part: not for production decisions. */
  readonly test: boolean;
}

/** One trusted list as loaded for this run. */
export interface TrustListSummary {
  readonly id: string;
  readonly name: string;
  readonly territory: string | null;
  readonly type: string;
  readonly version: number;
  readonly sequenceNumber: number;
  readonly issueDate: IsoTime;
  readonly nextUpdate: IsoTime | null;
  readonly format: 'xml' | 'json';
  readonly sha256: string;
  /** How the list's content is known to be authentic (see trust/load.ts ListIntegrity). */
  readonly integrity: 'xades-signature' | 'pinned-digest' | 'caller-trusted' | 'none';
  readonly signature: { readonly status: string; readonly signer: string | null; readonly detail: string };
  readonly via: string | null;
  readonly expired: boolean;
  readonly usable: boolean;
  readonly test: boolean;
  readonly problems: readonly string[];
}

/** A bilateral agreement as reports show it: identity, parties and validity. */
export interface AgreementSummary {
  readonly id: string;
  readonly title: string;
  readonly parties: readonly string[];
  readonly direction: 'mutual' | 'one-way';
  readonly issuerParty: string | null;
  readonly relyingParty: string | null;
  readonly effectiveFrom: IsoTime;
  readonly effectiveUntil: IsoTime | null;
  readonly test: boolean;
  readonly sha256: string | null;
  /** Used for recognition: false when a party's signature is missing (see `reason`). */
  readonly used: boolean;
  /** `signed`: the parties' signatures were checked; `unsigned`: a bare agreement, trusted as supplied. */
  readonly authentication: 'signed' | 'unsigned';
  readonly signatures: readonly { readonly party: string; readonly status: 'VALID' | 'MISSING'; readonly signer: string | null; readonly detail: string }[] | null;
  readonly reason: string | null;
}

/** The trust configuration a run used, so an auditor can reproduce it. */
export interface TrustReport {
  readonly relyingParty: string | null;
  readonly purpose: string | null;
  readonly lists: readonly TrustListSummary[];
  readonly agreements: readonly AgreementSummary[];
  /** Number of CA certificates taken from usable lists as path-building anchors. */
  readonly anchorsFromLists: number;
}

/** The result of `verify`: one SignatureReport per signature found, the validation time, the policy and the trusted lists used, and warnings. */
export interface ValidationReport {
  readonly tool: { readonly name: 'ots-esig'; readonly version: string };
  readonly validationTime: IsoTime;
  readonly signatures: readonly SignatureReport[];
  /** Applies to the whole run: e.g. no trust anchors, test trust lists in use. */
  readonly warnings: readonly string[];
  /** Trust lists and agreements used; absent when none were given. */
  readonly trust?: TrustReport;
  /** The validation policy the verdicts were reached under: its name and the SHA-256 of its canonical JSON (src/policy/parse.ts). */
  readonly policy: { readonly name: string; readonly sha256: string };
  /** For an ASiC container: its entries, what each signature covers, its findings and overall result (report/container.ts). */
  readonly container?: ContainerReport;
}
