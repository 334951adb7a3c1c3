import type { ParsedCertificate } from '../pki/certificate.js';
import type { CertificateSummary } from './model.js';

export async function summarizeCertificate(c: ParsedCertificate): Promise<CertificateSummary> {
  return {
    subject: c.subject.text,
    issuer: c.issuer.text,
    serialNumber: c.serialNumberHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sha256: await c.fingerprint(),
    country: c.country ?? null,
  };
}
