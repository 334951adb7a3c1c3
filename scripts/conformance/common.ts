import type { CertificateValidationReport } from '../../src/index.js';

/**
 * The path verdict of a certificate report, as a certificate-only suite scores it.
 *
 * The default policy requires a revocation status for the target and every CA certificate. Most
 * certificate-only cases ship no revocation data at all (limbo without `crls`; PKITS cases marked
 * `revocation: false`): there the library rightly says INDETERMINATE/TRY_LATER. Such a case is scored
 * by its other findings: when the revocation-unavailable TRY_LATER check(s) (`xcv.revocation`) are the
 * ONLY non-passed checks, the path verdict counts as SUCCESS (`countedWithoutRevocation`); when
 * anything else did not pass (stale data, a revoked certificate, a path failure) it is FAILURE.
 * When the suite does supply revocation data, TRY_LATER is a FAILURE like any other non-pass.
 */
export function pathVerdict(
  r: CertificateValidationReport,
  suiteSuppliesNoRevocation: boolean,
): { got: 'SUCCESS' | 'FAILURE'; countedWithoutRevocation: boolean; reason: string } {
  const notPassed = r.checks.filter((c) => c.status !== 'PASSED' && c.status !== 'SKIPPED');
  const reason = clip(notPassed.map((c) => `${c.id}: ${c.detail}`).join(' | ') || 'valid path');
  if (r.indication === 'TOTAL-PASSED') return { got: 'SUCCESS', countedWithoutRevocation: false, reason };
  const onlyUnavailable = notPassed.length > 0 && notPassed.every((c) => c.id === 'xcv.revocation' && c.subIndication === 'TRY_LATER');
  if (suiteSuppliesNoRevocation && onlyUnavailable) return { got: 'SUCCESS', countedWithoutRevocation: true, reason };
  return { got: 'FAILURE', countedWithoutRevocation: false, reason };
}

/** One line, no tabs, bounded: manifest and listing text. */
export function clip(s: string, n = 300): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n) + '…' : t;
}
