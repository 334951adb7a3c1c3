/**
 * Named validation policies. `default` is what `verify()` applies when the caller names none: it
 * must never accept what EN 319 102-1 and DSS's default policy would not (missing or stale
 * revocation data is INDETERMINATE / TRY_LATER, the RFC 5280 profile is enforced). `lenient` is for
 * callers who knowingly accept less evidence (e.g. a quick integrity check without revocation data);
 * its verdicts say TOTAL-PASSED on weaker grounds and the report names the policy.
 */
import { DEFAULT_ALGORITHM_POLICY } from '../crypto/policy.js';
import type { KnownSignaturePolicy, ValidationPolicy } from './model.js';
import { lookupTable } from '../util/table.js';

const SVC = 'http://uri.etsi.org/TrstSvc/Svctype/';

/** CA service types whose certificates anchor signer paths (TS 119 612 5.5.1). */
export const SIGNER_SERVICE_TYPES: readonly string[] = [`${SVC}CA/QC`, `${SVC}CA/PKC`, `${SVC}NationalRootCA-QC`];

/** Time-stamping service types (qualified and not). */
export const TIMESTAMP_SERVICE_TYPES: readonly string[] = [`${SVC}TSA`, `${SVC}TSA/QTST`, `${SVC}TSA/TSS-QC`, `${SVC}TSA/TSS-AdESQCandQES`];

/** The default validation policy: strict RFC 5280 profile, fresh revocation status required for the signer and every CA certificate. */
export const DEFAULT_POLICY: ValidationPolicy = deepFreeze({
  name: 'default',
  description: 'Safe default: strict RFC 5280 profile; revocation status required and fresh for the signer and every CA certificate, and for time-stamping authorities',
  certificate: { profile: 'strict' },
  revocation: { signer: 'signer-and-ca', timestampAuthority: 'signer-and-ca', acceptStale: false, maxAgeSeconds: null },
  algorithms: DEFAULT_ALGORITHM_POLICY,
  timestamps: { requireSignatureTimestamp: false, maxPerSignature: 8 },
  trustServices: { signerServiceTypes: SIGNER_SERVICE_TYPES, timestampServiceTypes: TIMESTAMP_SERVICE_TYPES },
  severity: {
    signingCertificateDigestBelowPolicy: 'WARN',
    signingCertificateNotSigned: 'WARN',
    qualifyingPropertiesTargetMismatch: 'WARN',
    xmlMarkupNotCovered: 'WARN',
  },
});

/** A lenient policy: a missing revocation status is a warning, not INDETERMINATE. */
export const LENIENT_POLICY: ValidationPolicy = deepFreeze({
  ...DEFAULT_POLICY,
  name: 'lenient',
  description:
    'Accepts less evidence: RFC 5280 structure only (profile MUSTs for CAs and the anchor certificate not enforced); a missing revocation status is a warning; stale data is accepted with a warning',
  certificate: { profile: 'lenient' },
  revocation: { signer: 'none', timestampAuthority: 'none', acceptStale: true, maxAgeSeconds: null },
});

/**
 * The Turkish e-signature profiles' signature policies (BTK "Elektronik İmza Kullanım Profilleri Rehberi"): P2
 * (…3.1.1), P3 (…3.2.1), P4 (…3.3.1) under 2.16.792.1.61.0.1.5070. All three identifiers name the same
 * document, the Rehber itself, whose SHA-256 TÜBİTAK's MA3 library writes as SigPolicyHash (MA3 acceptance suite
 * samples: CAdES and XAdES P4, and P3 with the same hash). P3 prescribes CRLs for the signer's status, P4 OCSP (the
 * Rehber's profiles carry their revocation values: ES-XL with CRL, resp. OCSP).
 */
const TR_REHBER_SHA256 = 'ff39bd29463383f69b2052ac47439e06ce7c3b8646e888b6e5ae3e46ba08117a';
/** The Turkish profiles' signature policies P2, P3 and P4 with the digest of their document (the tr-profile preset's registry). */
export const TR_SIGNATURE_POLICIES: readonly KnownSignaturePolicy[] = [
  { id: '2.16.792.1.61.0.1.5070.3.1.1', description: 'TR P2 (Politika-1)', digestAlgorithm: 'SHA-256', digest: TR_REHBER_SHA256 },
  { id: '2.16.792.1.61.0.1.5070.3.2.1', description: 'TR P3 (Politika-2)', digestAlgorithm: 'SHA-256', digest: TR_REHBER_SHA256, signerRevocation: 'crl' },
  { id: '2.16.792.1.61.0.1.5070.3.3.1', description: 'TR P4 (Politika-3)', digestAlgorithm: 'SHA-256', digest: TR_REHBER_SHA256, signerRevocation: 'ocsp' },
];

/**
 * `tr-profile`: the Turkish e-signature profiles P2/P3/P4 over the default. An explicit signature policy of one of
 * the three, with the Rehber's hash, is required; a signed signing time, the signer's nonRepudiation key usage, the ETSI QcCompliance and BTK
 * qualified-certificate statements, a certificate-policy user notice (the "ibare"), and a signature time-stamp (every one of P2–P4 is at least -T) are required; the signature
 * time-stamp must be taken within 2 hours (7200 s) after the signing time; every time-stamp must validate (MA3: a broken archive time-stamp
 * invalidates the signature). The signing-certificate reference digest must meet the
 * algorithm policy (MA3: an ESS signing-certificate with SHA-1 is invalid).
 *
 * The 2-hour window is MA3's, the national reference implementation of the profiles: its Turkish-profile check
 * (TurkishProfileAttributesChecker, CAdES, and its PAdES twin; message TS_TIME_NOT_AFTER_2H, "İmza zaman damgası, beyan
 * edilen zamandan sonraki 2 saat içinde alınmamış") fails a P2/P3/P4 signature whose first signature time-stamp is
 * more than 7200 s after the signing time, or more than 300 s before it (a clock-skew allowance, WAIT_TIME). The MA3
 * acceptance suite's P4_9 / P4_A9 negatives ("SigningTime … ZD tarihinden 3 saat önce eklenmiş") fail it; its
 * positives with 1480–2030 s between signing time and time-stamp pass. MA3's separate 300 s setting
 * (P_TOLERATE_SIGNING_TIME_BY_SECONDS / tolerateSigningTimeInSeconds, SigningTimeChecker) bounds the other direction,
 * a signing time *after* the time-stamp; here any such order is already TIMESTAMP_ORDER_FAILURE (psv.timestamp-order,
 * beyond the token's accuracy), stricter than MA3's 300 s.
 */
export const TR_PROFILE_POLICY: ValidationPolicy = deepFreeze({
  ...DEFAULT_POLICY,
  name: 'tr-profile',
  description:
    'Turkish e-signature profiles P2/P3/P4 (BTK Rehber): explicit P2/P3/P4 signature policy with its known hash, signed signing time at most 2 hours (7200 s) before the signature time-stamp, nonRepudiation key usage, signature time-stamp, revocation status required; otherwise the default',
  certificate: { ...DEFAULT_POLICY.certificate, requireAnchorReference: true },
  revocation: { ...DEFAULT_POLICY.revocation, rejectUnacceptableCarried: true },
  timestamps: { ...DEFAULT_POLICY.timestamps, requireSignatureTimestamp: true, requireAllValid: true },
  severity: { ...DEFAULT_POLICY.severity, signingCertificateDigestBelowPolicy: 'FAIL', signingCertificateNotSigned: 'FAIL' },
  signaturePolicy: { required: true, acceptable: TR_SIGNATURE_POLICIES.map((p) => p.id), known: TR_SIGNATURE_POLICIES, unknown: 'FAIL' },
  // QcCompliance (EN 319 412-5) and the BTK statement "5070 sayılı Elektronik İmza Kanununa göre nitelikli elektronik sertifika".
  signer: { requireSigningTime: true, keyUsage: ['nonRepudiation'], maxSigningTimeToTimestampSeconds: 7200, requiredQcStatements: ['0.4.0.1862.1.1', '2.16.792.1.61.0.1.5070.1.1'], requireUserNotice: true },
});

/** The presets by name, as `VerifyOptions.policy` and `--policy` accept them. */
export const POLICY_PRESETS: Readonly<Record<string, ValidationPolicy>> = lookupTable({ default: DEFAULT_POLICY, lenient: LENIENT_POLICY, 'tr-profile': TR_PROFILE_POLICY });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
