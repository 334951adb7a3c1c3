/**
 * Named validation policies. `default` is what `verify()` applies when the caller names none: it
 * must never accept what EN 319 102-1 and DSS's default policy would not (missing or stale
 * revocation data is INDETERMINATE / TRY_LATER, the RFC 5280 profile is enforced). `lenient` is for
 * callers who knowingly accept less evidence (e.g. a quick integrity check without revocation data);
 * its verdicts say TOTAL-PASSED on weaker grounds and the report names the policy.
 */
import { DEFAULT_ALGORITHM_POLICY } from '../crypto/policy.js';
import type { ValidationPolicy } from './model.js';

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

/** The presets by name, as `VerifyOptions.policy` and `--policy` accept them. */
export const POLICY_PRESETS: Readonly<Record<string, ValidationPolicy>> = Object.freeze({ default: DEFAULT_POLICY, lenient: LENIENT_POLICY });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
