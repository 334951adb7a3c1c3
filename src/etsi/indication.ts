/**
 * ETSI EN 319 102-1 main indications and sub-indications, spelled as the standard spells them.
 * (ETSI TS 119 102-2 uses the URIs urn:etsi:019102:mainindication:<x> / subindication:<X>.)
 */
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

/** The sub-indications that EN 319 102-1 pairs with TOTAL-FAILED; every other one goes with INDETERMINATE. */
const TOTAL_FAILED_SUB_INDICATIONS = [
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'EXPIRED',
  'NOT_YET_VALID',
] as const;

/** Every EN 319 102-1 sub-indication, those paired with TOTAL-FAILED first. */
export const SUB_INDICATIONS = [
  ...TOTAL_FAILED_SUB_INDICATIONS,
  'SIG_CONSTRAINTS_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'POLICY_PROCESSING_ERROR',
  'SIGNATURE_POLICY_NOT_AVAILABLE',
  'TIMESTAMP_ORDER_FAILURE',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND_NO_POE',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'REVOCATION_OUT_OF_BOUNDS_NO_POE',
  'NO_POE',
  'TRY_LATER',
  'SIGNED_DATA_NOT_FOUND',
] as const;

/** An EN 319 102-1 sub-indication, spelled as the standard spells it (e.g. `HASH_FAILURE`, `TRY_LATER`). */
export type SubIndication = (typeof SUB_INDICATIONS)[number];

const FAILED_SUBS: ReadonlySet<SubIndication> = new Set<SubIndication>(TOTAL_FAILED_SUB_INDICATIONS);

export function indicationFor(sub: SubIndication): Exclude<Indication, 'TOTAL-PASSED'> {
  return FAILED_SUBS.has(sub) ? 'TOTAL-FAILED' : 'INDETERMINATE';
}

export const MAIN_INDICATION_URI: Record<Indication, string> = {
  'TOTAL-PASSED': 'urn:etsi:019102:mainindication:total-passed',
  'TOTAL-FAILED': 'urn:etsi:019102:mainindication:total-failed',
  INDETERMINATE: 'urn:etsi:019102:mainindication:indeterminate',
};

export function subIndicationUri(sub: SubIndication): string {
  return `urn:etsi:019102:subindication:${sub}`;
}
