/**
 * AIA "caIssuers" fetching (RFC 5280 4.2.2.1): when online access is enabled
 * and the issuer of a certificate is neither in the pool nor an anchor, fetch
 * the certificate(s) the AIA names. A fetched certificate is only path-building
 * material — it is trusted for nothing until path validation reaches an anchor.
 */
import * as pkijs from 'pkijs';
import { certificateCache } from '../pki/cache.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { OID } from '../pki/oids.js';
import type { CertificatePool, TrustAnchor } from '../pki/pool.js';
import { derObjectsFrom } from '../util/pem.js';
import type { Fetcher } from './fetcher.js';

const CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

export function caIssuerUrls(cert: ParsedCertificate): string[] {
  const out: string[] = [];
  for (const e of cert.raw.extensions ?? []) {
    const pv = e.parsedValue as unknown;
    if (e.extnID !== OID.authorityInfoAccess || !(pv instanceof pkijs.InfoAccess)) continue;
    for (const ad of pv.accessDescriptions) {
      const v = ad.accessLocation.value as unknown;
      if (ad.accessMethod === CA_ISSUERS && ad.accessLocation.type === 6 && typeof v === 'string' && /^https?:\/\//i.test(v)) out.push(v);
    }
  }
  return out;
}

/**
 * Walks up from `target`, fetching missing issuers into `pool` (at most `maxDepth` steps).
 * Returns one line per fetch for the report; failures are reported, never thrown.
 */
export async function fetchMissingIssuers(
  target: ParsedCertificate,
  pool: CertificatePool,
  anchors: CertificatePool<TrustAnchor>,
  fetcher: Fetcher,
  maxDepth: number,
): Promise<string[]> {
  const notes: string[] = [];
  let cert = target;
  for (let depth = 0; depth < maxDepth; depth++) {
    if (anchors.issuersOf(cert).length || cert.isSelfIssued) break;
    const known = pool.issuersOf(cert);
    if (known.length) {
      cert = known[0]!.certificate;
      continue;
    }
    let next: ParsedCertificate | undefined;
    for (const url of caIssuerUrls(cert)) {
      try {
        const body = await fetcher.get(url, 'application/pkix-cert');
        const ders = body[0] === 0x30 ? [body] : derObjectsFrom(body, ['CERTIFICATE']);
        for (const der of ders) {
          const c = certificateCache.get(der);
          pool.add({ certificate: c });
          if (c.subject.key === cert.issuer.key) next = c;
        }
        notes.push(`fetched issuer certificate${next ? ` ${next.subject.text}` : ''} from ${url}`);
        if (next) break;
      } catch (e) {
        notes.push(`could not fetch the issuer of ${cert.subject.text} from ${url}: ${(e as Error).message}`);
      }
    }
    if (!next) break;
    cert = next;
  }
  return notes;
}
