/**
 * Algorithm-policy findings (EN 319 102-1 5.2.8) about the hashes and signatures that bind a
 * signature's data, recorded with their cut-off date so that past signature validation
 * (validation/poe.ts) can re-decide each one at the proof of existence: a finding whose
 * algorithm was acceptable until a date is rescued by a POE before that date, and only then.
 */
import type { AlgorithmVerdict } from '../crypto/policy.js';
import type { BuildingBlock, Check, CheckList } from '../etsi/check.js';

const CUTOFFS = new WeakMap<Check, Date>();

/**
 * Records `verdict` about `what` as check `id`: PASSED (only when `passed` is given), else
 * INDETERMINATE with CRYPTO_CONSTRAINTS_FAILURE_NO_POE (acceptable before a date) or
 * CRYPTO_CONSTRAINTS_FAILURE (never acceptable under the policy).
 */
export function recordAlgorithm(checks: CheckList, block: BuildingBlock, id: string, what: string, verdict: AlgorithmVerdict, passed?: string): void {
  if (verdict.acceptable) {
    if (passed) checks.pass(block, id, passed);
    return;
  }
  const check: Check = {
    id,
    block,
    status: 'INDETERMINATE',
    detail: `${what}: ${verdict.reason}`,
    subIndication: verdict.until ? 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' : 'CRYPTO_CONSTRAINTS_FAILURE',
  };
  checks.add(check);
  if (verdict.until) CUTOFFS.set(check, verdict.until);
}

/** The date before which a proof of existence resolves this finding (recorded by `recordAlgorithm`). */
export function algorithmCutoff(check: Check): Date | undefined {
  return CUTOFFS.get(check);
}
