/**
 * XAdES -C references (EN 319 132-1 5.4.2 / TS 101 903 7.4.1, 7.4.2): CompleteCertificateRefs(V2) and
 * CompleteRevocationRefs against the validation data the signature carries, as cades/validate.ts does for the CAdES
 * complete-certificate-references / complete-revocation-references. Checked here: every referenced certificate is
 * carried when the signature carries CertificateValues (XAdES-X-L), and CompleteRevocationRefs and the signature's own
 * RevocationValues name exactly the same CRLs and OCSP responses. A mismatch is a FORMAT_FAILURE (the -C/-X-L
 * validation data is inconsistent: MA3 acceptance suite "invalid"). The certificate references are returned for the
 * stage, which checks them against the path it builds (stage/references.ts).
 */
import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { CheckList } from '../etsi/check.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { xmlDigestOid } from './algorithms.js';
import type { DigestReference, QualifyingProperties } from './properties.js';

/** What the stage needs of the certificate references (stage/facts.ts SignatureFacts.certificateReferences). */
export type CertificateReferenceFact = { readonly digestOid: string; readonly digest: Uint8Array; readonly label: string };

/** The registry is all this module uses of the validation context. */
type Ctx = { readonly registry: AlgorithmRegistry };

async function matches(ref: DigestReference, der: Uint8Array, ctx: Ctx): Promise<boolean> {
  const oid = ref.digestOid ?? xmlDigestOid(ref.digestMethod, ctx.registry);
  return !!oid && ctx.registry.supportsDigest(oid) && equalBytes(await ctx.registry.digest(oid, der), ref.digest);
}

async function anyMatch(refs: readonly DigestReference[], der: Uint8Array, ctx: Ctx): Promise<boolean> {
  for (const r of refs) if (await matches(r, der, ctx)) return true;
  return false;
}

function describe(ref: DigestReference): string {
  return `${ref.digestMethod || 'no DigestMethod'} ${toHex(ref.digest)}`;
}

/**
 * Checks the -C references of `qp` against the carried certificates (ds:KeyInfo, CertificateValues) and the
 * signature's RevocationValues; returns the certificate references as the stage's fact (undefined without them).
 */
export async function checkXadesCompleteReferences(
  qp: QualifyingProperties,
  carried: readonly ParsedCertificate[],
  ctx: Ctx,
  checks: CheckList,
): Promise<CertificateReferenceFact[] | undefined> {
  const certRefs = qp.completeCertificateRefs;
  if (certRefs && qp.hasCertificateValues) {
    const absent: string[] = [];
    for (const r of certRefs.refs) {
      let hit = false;
      for (const c of carried) if (await matches(r, c.der, ctx)) hit = true;
      if (!hit) absent.push(describe(r));
    }
    if (absent.length) checks.fail('FC', 'fc.certificate-values', `${certRefs.name} reference certificates the signature does not carry (ds:KeyInfo, CertificateValues): ${absent.join(', ')}`, 'FORMAT_FAILURE');
    else checks.pass('FC', 'fc.certificate-values', `every certificate ${certRefs.name} names (${certRefs.refs.length}) is carried`);
  }
  const revRefs = qp.completeRevocationRefs;
  if (revRefs && qp.hasRevocationValues) {
    const values = qp.signatureRevocationValues;
    const problems: string[] = [];
    for (const der of values.crls) if (!(await anyMatch(revRefs.crls, der, ctx))) problems.push('a CRL of RevocationValues is not referenced');
    for (const der of values.ocsps) if (!(await anyMatch(revRefs.ocsps, der, ctx))) problems.push('an OCSP response of RevocationValues is not referenced');
    for (const r of revRefs.crls) {
      let hit = false;
      for (const der of values.crls) if (await matches(r, der, ctx)) hit = true;
      if (!hit) problems.push(`a CRLRef (${describe(r)}) names no CRL of RevocationValues`);
    }
    for (const r of revRefs.ocsps) {
      let hit = false;
      for (const der of values.ocsps) if (await matches(r, der, ctx)) hit = true;
      if (!hit) problems.push(`an OCSPRef (${describe(r)}) names no OCSP response of RevocationValues`);
    }
    if (problems.length) checks.fail('FC', 'fc.revocation-references', `CompleteRevocationRefs and RevocationValues disagree: ${problems.join('; ')}`, 'FORMAT_FAILURE');
    else checks.pass('FC', 'fc.revocation-references', `CompleteRevocationRefs reference exactly the RevocationValues (${revRefs.crls.length} CRL, ${revRefs.ocsps.length} OCSP)`);
  }
  return certRefs?.refs.flatMap((r) => {
    const digestOid = r.digestOid ?? xmlDigestOid(r.digestMethod, ctx.registry);
    return digestOid ? [{ digestOid, digest: r.digest, label: certRefs.name }] : [];
  });
}
