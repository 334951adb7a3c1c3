/**
 * The stage's half of a BDOC 2.1 time-mark (asic/bdoc.ts collects it when the OCSP nonce binds the signature value):
 * the response must also be a genuine answer about the signer's certificate — signed by the issuing CA or a
 * responder it authorized (RFC 6960 4.2.2.2, revocation/ocsp.ts), status good at producedAt — and the nonce's
 * digest acceptable to the algorithm policy. Then producedAt is proof of existence of the signature, as a
 * signature time-stamp's genTime would be; otherwise the time-mark proves nothing and a check says why.
 */
import { checkDigest } from '../crypto/policy.js';
import type { CheckList } from '../etsi/check.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { ocspAnswer } from '../revocation/ocsp.js';
import type { ValidationContext } from '../validation/options.js';
import type { SignatureFacts, TimeMarkFact } from './facts.js';

/** The time the time-mark proves the signature existed at, or undefined (with a SKIPPED check and a warning saying why). */
export async function checkTimeMark(tm: TimeMarkFact, facts: SignatureFacts, chain: readonly ParsedCertificate[] | undefined, ctx: ValidationContext, checks: CheckList, warnings: string[]): Promise<Date | undefined> {
  const at = tm.ocsp.producedAt;
  const none = (why: string): undefined => {
    checks.skip('PSV', 'psv.time-mark', `BDOC time-mark (OCSP producedAt ${at.toISOString()}) not used as proof of existence: ${why}`);
    warnings.push(`BDOC time-mark not used as proof of existence: ${why}`);
    return undefined;
  };
  const signer = facts.signer;
  const issuer = chain && chain.length >= 2 && chain[0] === signer ? chain[1] : undefined;
  if (!signer || !issuer) return none("the signer's issuing CA is not known, so the OCSP response cannot be validated");
  const digest = checkDigest(ctx.algorithmPolicy, tm.digest, ctx.time);
  if (!digest.acceptable) return none(`the nonce's digest ${tm.digest}: ${digest.reason}`);
  const a = await ocspAnswer(tm.ocsp, signer, issuer, at, { registry: ctx.registry, certificates: facts.certificates, algorithmPolicy: ctx.algorithmPolicy });
  if (!a.applies) return none(a.reason);
  if (a.status !== 'good') return none(`the OCSP response says the signer's certificate was revoked at ${a.revocationTime?.toISOString() ?? '?'}`);
  checks.pass('PSV', 'psv.time-mark', `BDOC time-mark: the OCSP response of ${a.responder}, its nonce the ${tm.digest} digest of the signature value, proves the signature existed at ${at.toISOString()}`);
  return at;
}
