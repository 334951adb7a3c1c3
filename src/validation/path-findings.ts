/**
 * The one place where RFC 5280 path failures (pki/path-validator.ts, which knows nothing of ETSI)
 * become EN 319 102-1 sub-indications. Used for signer (XCV), TSA (TST) and any other path the
 * signature stage validates, so every report names the same failure the same way.
 */
import type { PathFailure, PathFailureKind, PathValidationResult } from '../pki/path-validator.js';
import type { SubIndication } from '../etsi/indication.js';

const BY_KIND: Readonly<Record<Exclude<PathFailureKind, 'revoked' | 'crypto-constraints'>, SubIndication>> = {
  // Not a chain at all (EN 319 102-1 5.2.6: no acceptable chain).
  signature: 'NO_CERTIFICATE_CHAIN_FOUND',
  'name-chaining': 'NO_CERTIFICATE_CHAIN_FOUND',
  malformed: 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'critical-extension': 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'basic-constraints': 'CHAIN_CONSTRAINTS_FAILURE',
  'path-length': 'CHAIN_CONSTRAINTS_FAILURE',
  'key-usage': 'CHAIN_CONSTRAINTS_FAILURE',
  'extended-key-usage': 'CHAIN_CONSTRAINTS_FAILURE',
  'name-constraints': 'CHAIN_CONSTRAINTS_FAILURE',
  policy: 'CHAIN_CONSTRAINTS_FAILURE',
  'not-yet-valid': 'NOT_YET_VALID',
  // Expired at the validation time: past signature validation may still find a POE inside the validity.
  expired: 'OUT_OF_BOUNDS_NO_POE',
};

/**
 * The sub-indication of one path failure. Revocation of the path's target (certificate 0: the
 * signer, or the TSA on a TSA path) is REVOKED_NO_POE, of a CA REVOKED_CA_NO_POE; an algorithm
 * with a cut-off is CRYPTO_CONSTRAINTS_FAILURE_NO_POE (a POE before it helps), without one
 * CRYPTO_CONSTRAINTS_FAILURE.
 */
export function subIndicationOf(failure: PathFailure): SubIndication {
  switch (failure.kind) {
    case 'revoked':
      return failure.certificateIndex === 0 ? 'REVOKED_NO_POE' : 'REVOKED_CA_NO_POE';
    case 'crypto-constraints':
      return failure.until ? 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' : 'CRYPTO_CONSTRAINTS_FAILURE';
    default:
      return BY_KIND[failure.kind];
  }
}

/** Order in which one failure outranks another when a path has several (most fundamental first). */
const SEVERITY: readonly SubIndication[] = [
  'NO_CERTIFICATE_CHAIN_FOUND',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'NOT_YET_VALID',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
];

/** The failure that decides the path's sub-indication: the most fundamental one, first found among equals. */
export function primaryFailure(result: PathValidationResult): PathFailure | undefined {
  let best: PathFailure | undefined;
  for (const f of result.failures) {
    if (!best || SEVERITY.indexOf(subIndicationOf(f)) < SEVERITY.indexOf(subIndicationOf(best))) best = f;
  }
  return best;
}
