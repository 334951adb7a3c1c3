/**
 * Past signature validation (EN 319 102-1 5.5 / 5.6.2.4): pure functions of the stage's outcomes
 * (the chain, the proof-of-existence times); time-stamps are validated by stage/timestamps.ts.
 *
 * XCV runs at the validation time, so a signer certificate that has since
 * expired or been revoked gives *_NO_POE sub-indications. A valid signature
 * time-stamp proves the signature existed at its genTime (the best-signature-
 * time); this step re-decides each such finding at that time:
 *  - REVOKED_NO_POE / REVOKED_CA_NO_POE: POE before the revocation → passed;
 *    signer revoked at or before the POE → TOTAL-FAILED/REVOKED (a CA's stays
 *    INDETERMINATE/REVOKED_CA_NO_POE);
 *  - OUT_OF_BOUNDS_NO_POE: POE inside the certificate's validity → passed;
 *    before it → NOT_YET_VALID; after it → unchanged;
 *  - CRYPTO_CONSTRAINTS_FAILURE_NO_POE: POE before the algorithm's cut-off → passed
 *    (every SAV finding recorded with its cut-off, validation/crypto-checks.ts);
 *  - stale revocation data (TRY_LATER when required): issued after the POE → passed.
 * A claimed signing-time after the time-stamp is TIMESTAMP_ORDER_FAILURE; a POE or a
 * claimed signing-time before the signer's notBefore is NOT_YET_VALID (signerValidityRules).
 * Original XCV/SAV checks are kept in the report, marked as resolved by PSV.
 */
import { evaluateAlgorithm } from '../crypto/policy.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import type { Check, CheckList } from '../etsi/check.js';
import type { ChainOutcome } from './chain.js';
import { algorithmCutoff } from './crypto-checks.js';
import { subIndicationOf } from './path-findings.js';
import type { ValidationContext } from './options.js';

export interface PastSignatureValidationInput {
  readonly checks: CheckList;
  readonly poe: Date;
  readonly chain?: ChainOutcome;
  readonly signatureAlgorithm?: ResolvedSignatureAlgorithm;
  readonly claimedSigningTime?: Date;
  /** Tolerance of the time-stamp (its accuracy), for the signing-time order check. */
  readonly accuracyMs?: number;
  readonly ctx: ValidationContext;
}

/** Replaces an XCV/SAV finding by the PSV decision about it (the original stays in the report, SKIPPED). */
function resolver(checks: CheckList) {
  return (check: Check, outcome: 'PASSED' | 'FAILED' | 'INDETERMINATE', detail: string, sub?: Check['subIndication']) => {
    const i = checks.items.indexOf(check);
    if (i >= 0) checks.items[i] = { ...check, status: 'SKIPPED', detail: `${check.detail} — at the validation time; re-decided by past signature validation (psv.*)` };
    if (outcome === 'PASSED') checks.pass('PSV', `psv.${check.id}`, detail);
    else if (outcome === 'FAILED') checks.fail('PSV', `psv.${check.id}`, detail, sub!);
    else checks.indeterminate('PSV', `psv.${check.id}`, detail, sub!);
  };
}

/**
 * A valid content-time-stamp is a lower bound on when the signature was made (EN 319 102-1 5.3.4,
 * 5.6.2.4): a signer revoked at or before it → TOTAL-FAILED/REVOKED; expired before it →
 * TOTAL-FAILED/EXPIRED; a content-time-stamp after the signature time-stamp → TIMESTAMP_ORDER_FAILURE.
 */
export function contentTimestampRules(input: { checks: CheckList; contentTime: Date; signatureTimestampTime?: Date; chain?: ChainOutcome }): void {
  const { checks, contentTime, chain } = input;
  const at = contentTime.toISOString();
  if (input.signatureTimestampTime && contentTime.getTime() > input.signatureTimestampTime.getTime()) {
    checks.indeterminate('PSV', 'psv.content-timestamp-order', `content-time-stamp ${at} is after the signature time-stamp ${input.signatureTimestampTime.toISOString()}`, 'TIMESTAMP_ORDER_FAILURE');
  }
  const resolve = resolver(checks);
  for (const { failure: f, check } of chain?.failures ?? []) {
    if (f.certificateIndex !== 0 || !checks.items.includes(check)) continue;
    const cert = chain!.chain[0]!;
    const st = chain!.revocationStatuses[0];
    if (subIndicationOf(f) === 'REVOKED_NO_POE' && st?.status === 'revoked' && st.revocationTime.getTime() <= contentTime.getTime()) {
      resolve(check, 'FAILED', `${cert.subject.text}: revoked at ${st.revocationTime.toISOString()}, before the content-time-stamp ${at} that the signature postdates`, 'REVOKED');
    } else if (subIndicationOf(f) === 'OUT_OF_BOUNDS_NO_POE' && cert.notAfter.getTime() < contentTime.getTime()) {
      resolve(check, 'FAILED', `${cert.subject.text}: expired at ${cert.notAfter.toISOString()}, before the content-time-stamp ${at} that the signature postdates`, 'EXPIRED');
    }
  }
}

/** Re-decides the *_NO_POE findings of XCV and SAV at the proof-of-existence time (see module comment). */
export function pastSignatureValidation(input: PastSignatureValidationInput): void {
  const { checks, poe, chain } = input;
  const at = poe.toISOString();
  const resolve = resolver(checks);

  if (input.claimedSigningTime && input.claimedSigningTime.getTime() > poe.getTime() + (input.accuracyMs ?? 0)) {
    checks.indeterminate(
      'PSV',
      'psv.timestamp-order',
      `claimed signing-time ${input.claimedSigningTime.toISOString()} is after the signature time-stamp ${at}`,
      'TIMESTAMP_ORDER_FAILURE',
    );
  }

  for (const { failure: f, check } of chain?.failures ?? []) {
    const cert = chain!.chain[f.certificateIndex]!;
    switch (subIndicationOf(f)) {
      case 'REVOKED_NO_POE':
      case 'REVOKED_CA_NO_POE': {
        const st = chain!.revocationStatuses[f.certificateIndex];
        if (!st || st.status !== 'revoked') break;
        if (poe.getTime() < st.revocationTime.getTime()) {
          resolve(check, 'PASSED', `${cert.subject.text}: proof of existence at ${at} precedes its revocation at ${st.revocationTime.toISOString()}`);
        } else if (subIndicationOf(f) === 'REVOKED_NO_POE') {
          resolve(check, 'FAILED', `${cert.subject.text}: revoked at ${st.revocationTime.toISOString()}, before the earliest proof of existence ${at}`, 'REVOKED');
        } else {
          resolve(check, 'INDETERMINATE', `${cert.subject.text}: CA revoked at ${st.revocationTime.toISOString()}, not after the proof of existence ${at}`, 'REVOKED_CA_NO_POE');
        }
        break;
      }
      case 'OUT_OF_BOUNDS_NO_POE':
        if (poe.getTime() < cert.notBefore.getTime()) {
          resolve(check, 'FAILED', `${cert.subject.text}: proof of existence ${at} precedes the certificate (valid from ${cert.notBefore.toISOString()})`, 'NOT_YET_VALID');
        } else if (poe.getTime() <= cert.notAfter.getTime()) {
          const st = chain!.revocationStatuses[f.certificateIndex];
          // A CA may drop expired certificates from its CRLs (no ExpiredCertsOnCRL processing here):
          // "good" from data issued after the expiry is weaker evidence; say so.
          const weak = st?.status === 'good' && st.thisUpdate.getTime() > cert.notAfter.getTime();
          resolve(
            check,
            'PASSED',
            `${cert.subject.text}: expired at ${cert.notAfter.toISOString()}, after the proof of existence ${at}` +
              (weak ? `; note: its revocation status comes from data issued after it expired (${st.source})` : ''),
          );
        }
        break;
      case 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE':
        if (f.until && poe.getTime() < f.until.getTime()) {
          resolve(check, 'PASSED', `${cert.subject.text}: algorithm acceptable until ${f.until.toISOString()}, proof of existence ${at} is earlier`);
        }
        break;
      default:
        break;
    }
  }

  // Revocation data that was stale at the validation time still speaks for the signature when it was
  // issued after the best-signature-time (EN 319 102-1 5.2.5 / 5.6.2): the certificate was not revoked then.
  for (const s of chain?.stale ?? []) {
    const st = chain!.revocationStatuses[s.index];
    if (st?.status !== 'good' || st.thisUpdate.getTime() < poe.getTime()) continue;
    const cert = chain!.chain[s.index]!;
    if (s.check && checks.items.includes(s.check)) {
      resolve(s.check, 'PASSED', `${cert.subject.text}: revocation data ${st.source} was issued at ${st.thisUpdate.toISOString()}, after the best-signature-time ${at}`);
    }
    const entry = chain!.revocation[s.index];
    if (entry) chain!.revocation[s.index] = { ...entry, status: 'good', detail: `issued after the best-signature-time ${at}` };
  }

  // SAV: every hash and signature of the signature itself, judged at the POE (recorded with their cut-off).
  for (const c of [...checks.items]) {
    if (c.block !== 'SAV' || c.status !== 'INDETERMINATE' || c.subIndication !== 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE') continue;
    const until = algorithmCutoff(c);
    if (until && poe.getTime() < until.getTime()) resolve(c, 'PASSED', `acceptable at the proof of existence ${at}, before its cut-off ${until.toISOString()}: ${c.detail}`);
  }
  const sav = checks.items.find((c) => c.id === 'sav.crypto-constraints' && c.status === 'INDETERMINATE' && c.subIndication === 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
  if (sav && input.signatureAlgorithm) {
    const v = evaluateAlgorithm(input.ctx.algorithmPolicy, input.signatureAlgorithm, poe);
    if (v.acceptable) resolve(sav, 'PASSED', `${input.signatureAlgorithm.name} was acceptable at the proof of existence ${at}`);
  }
}

/**
 * The signing certificate's validity against the signature's times (EN 319 102-1 5.5.4 / 5.6.3,
 * as DSS): a best-signature-time (a proof of existence, give or take its accuracy) wholly before
 * the certificate's notBefore is TOTAL-FAILED/NOT_YET_VALID — the signature existed before its
 * certificate; so is a claimed signing-time before notBefore (the signer's own statement that it
 * signed with a certificate not yet issued). Times are compared at whole seconds, as X.509 has them.
 */
export function signerValidityRules(input: {
  readonly checks: CheckList;
  readonly signer?: ParsedCertificate;
  readonly bestSignatureTime?: Date;
  readonly accuracyMs?: number;
  readonly claimedSigningTime?: Date;
}): void {
  const { checks, signer } = input;
  if (!signer) return;
  const notBefore = Math.floor(signer.notBefore.getTime() / 1000);
  const before = (t: Date, slackMs = 0) => Math.floor((t.getTime() + slackMs) / 1000) < notBefore;
  const already = () => checks.items.some((c) => c.block === 'PSV' && c.status === 'FAILED' && c.subIndication === 'NOT_YET_VALID');
  if (input.bestSignatureTime && before(input.bestSignatureTime, input.accuracyMs ?? 0) && !already()) {
    checks.fail(
      'PSV',
      'psv.not-yet-valid',
      `best-signature-time ${input.bestSignatureTime.toISOString()} precedes the signing certificate ${signer.subject.text} (valid from ${signer.notBefore.toISOString()})`,
      'NOT_YET_VALID',
    );
  }
  if (input.claimedSigningTime && before(input.claimedSigningTime)) {
    checks.fail(
      'PSV',
      'psv.signing-time',
      `claimed signing-time ${input.claimedSigningTime.toISOString()} precedes the signing certificate ${signer.subject.text} (valid from ${signer.notBefore.toISOString()})`,
      'NOT_YET_VALID',
    );
  }
}
