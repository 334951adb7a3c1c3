/**
 * The -C certificate references (CAdES complete-certificate-references, XAdES CompleteCertificateRefs(V2)) against
 * the path the stage built: EN 319 122-1 / EN 319 132-1 say they reference every CA certificate used to validate the
 * signer's certificate, up to and including the trust anchor. A CA certificate of the path that no reference's digest
 * matches means the references name other certificates than the ones used (a wrong or missing reference): the
 * signature's validation data is inconsistent, a FORMAT_FAILURE (MA3 acceptance suite: invalid).
 */
import type { ParsedCertificate } from '../pki/certificate.js';
import type { CheckList } from '../etsi/check.js';
import { equalBytes } from '../util/bytes.js';
import type { ValidationContext } from '../validation/options.js';
import type { SignatureFacts } from './facts.js';

export async function checkCertificateReferences(facts: SignatureFacts, chain: readonly ParsedCertificate[], ctx: ValidationContext, checks: CheckList): Promise<void> {
  const refs = facts.certificateReferences;
  if (!refs || chain.length < 2) return;
  const label = refs[0]?.label ?? 'certificate references';
  const missing: string[] = [];
  // The anchor (last) only when the policy asks: DSS-made -C references leave the root out.
  const cas = ctx.policy.certificate.requireAnchorReference ? chain.slice(1) : chain.slice(1, -1);
  for (const ca of cas) {
    let found = false;
    for (const r of refs) {
      if (!ctx.registry.supportsDigest(r.digestOid)) continue;
      if (equalBytes(await ctx.registry.digest(r.digestOid, ca.der), r.digest)) {
        found = true;
        break;
      }
    }
    if (!found) missing.push(ca.subject.text);
  }
  if (missing.length) checks.fail('FC', 'fc.certificate-references', `${label} reference no certificate with the digest of ${missing.join('; ')} (a CA certificate of the path)`, 'FORMAT_FAILURE');
  else checks.pass('FC', 'fc.certificate-references', `${label} reference every CA certificate of the path (${cas.length}${ctx.policy.certificate.requireAnchorReference ? ', trust anchor included' : ', trust anchor not required'})`);
}
