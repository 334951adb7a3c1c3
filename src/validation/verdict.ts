import type { BuildingBlock, Check } from '../etsi/check.js';
import { indicationFor, type Indication, type SubIndication } from '../etsi/indication.js';

export interface Verdict {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
}

/**
 * EN 319 102-1 clause 5.3 order of precedence. A TOTAL-FAILED finding about the signature (a format,
 * hash or signature failure; a signer revoked, expired or not yet valid at the time that matters, as
 * past signature validation decides it) outranks every INDETERMINATE one: more evidence (revocation
 * data that could not be had now, TRY_LATER) could never make such a signature valid. Among failures:
 * format, then cryptographic, signer identification, the chain, past signature validation.
 * Among INDETERMINATE findings: format, signer identification, the chain, the remaining cryptographic
 * outcomes, time-stamps and PSV, then signature acceptance (algorithm policy).
 */
const FAILED_PRECEDENCE: readonly BuildingBlock[] = ['FC', 'CV', 'ISC', 'XCV', 'PSV', 'TST', 'SAV', 'VCI', 'RFC'];
const INDETERMINATE_PRECEDENCE: readonly BuildingBlock[] = ['FC', 'ISC', 'XCV', 'CV', 'TST', 'PSV', 'SAV', 'VCI', 'RFC'];

export function decide(checks: readonly Check[]): Verdict {
  for (const block of FAILED_PRECEDENCE) {
    const hit = checks.find((c) => c.block === block && c.status === 'FAILED' && c.subIndication && indicationFor(c.subIndication) === 'TOTAL-FAILED');
    if (hit?.subIndication) return { indication: 'TOTAL-FAILED', subIndication: hit.subIndication };
  }
  for (const block of INDETERMINATE_PRECEDENCE) {
    const hit = checks.find((c) => c.block === block && (c.status === 'FAILED' || c.status === 'INDETERMINATE'));
    if (hit?.subIndication) return { indication: indicationFor(hit.subIndication), subIndication: hit.subIndication };
  }
  return { indication: 'TOTAL-PASSED', subIndication: null };
}
