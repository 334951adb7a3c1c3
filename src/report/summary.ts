import type { ParsedCertificate } from '../pki/certificate.js';
import type { CertificateSummary } from './model.js';
import { isoTime } from '../util/iso-time.js';

export async function summarizeCertificate(c: ParsedCertificate): Promise<CertificateSummary> {
  // A certificate is immutable: its summary is made once; every report gets its own copy.
  let summary = summaries.get(c);
  if (!summary) {
    summary = {
      subject: c.subject.text,
      issuer: c.issuer.text,
      serialNumber: c.serialNumberHex,
      notBefore: isoTime(c.notBefore),
      notAfter: isoTime(c.notAfter),
      sha256: await c.fingerprint(),
      country: c.country ?? null,
    };
    summaries.set(c, summary);
  }
  return { ...summary };
}

const summaries = new WeakMap<ParsedCertificate, CertificateSummary>();

/** The summaries of a validated chain, signer first. */
export async function summarizeChain(chain: readonly ParsedCertificate[]): Promise<CertificateSummary[]> {
  return Promise.all(chain.map(summarizeCertificate));
}
