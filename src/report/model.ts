import type { Check } from './check.js';
import type { Indication, SubIndication } from './indication.js';

/** ISO-8601 UTC instant, as every time in a report is written. */
export type IsoTime = string;

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
 * the signature is proven to exist (a time-stamp), else the validation time.
 */
export interface SignatureTimes {
  readonly validationTime: IsoTime;
  readonly claimedSigningTime: IsoTime | null;
  readonly bestSignatureTime: IsoTime;
  /** Where the best-signature-time comes from. */
  readonly bestSignatureTimeSource: 'validation-time' | 'signature-timestamp' | 'archive-timestamp';
}

export interface RevocationSummary {
  readonly certificate: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source: string | null;
  readonly revocationTime: IsoTime | null;
  readonly detail: string | null;
}

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
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
}

export interface ValidationReport {
  readonly tool: { readonly name: 'ots-esig'; readonly version: string };
  readonly validationTime: IsoTime;
  readonly signatures: readonly SignatureReport[];
  /** Applies to the whole run: e.g. no trust anchors, test trust lists in use. */
  readonly warnings: readonly string[];
}
