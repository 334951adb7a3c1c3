import type { BuildingBlock, Check } from '../report/check.js';
import { indicationFor, type Indication, type SubIndication } from '../report/indication.js';

export interface Verdict {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
}

/**
 * EN 319 102-1 clause 5.3 order of precedence: a format failure first; a
 * cryptographic failure (FAILED) outranks an unidentified signer or chain
 * problem; then signer identification, the certificate chain, the remaining
 * cryptographic outcomes, and finally signature acceptance (algorithm policy).
 */
const PRECEDENCE: readonly [BuildingBlock, 'FAILED' | 'ANY'][] = [
  ['FC', 'ANY'],
  ['CV', 'FAILED'],
  ['ISC', 'ANY'],
  ['XCV', 'FAILED'],
  ['XCV', 'ANY'],
  ['CV', 'ANY'],
  ['TST', 'ANY'],
  ['PSV', 'ANY'],
  ['SAV', 'ANY'],
  ['VCI', 'ANY'],
  ['RFC', 'ANY'],
];

export function decide(checks: readonly Check[]): Verdict {
  for (const [block, mode] of PRECEDENCE) {
    const hit = checks.find(
      (c) => c.block === block && (c.status === 'FAILED' || (mode === 'ANY' && c.status === 'INDETERMINATE')),
    );
    if (hit?.subIndication) return { indication: indicationFor(hit.subIndication), subIndication: hit.subIndication };
  }
  return { indication: 'TOTAL-PASSED', subIndication: null };
}
