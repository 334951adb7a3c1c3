import type { ParsedCertificate } from './certificate.js';

/** A trust anchor: a certificate the caller trusts, optionally labelled with where that trust comes from. */
export interface TrustAnchor {
  readonly certificate: ParsedCertificate;
  /** Where the anchor came from (file name, trust-list service), for reports. */
  readonly source?: string;
}

/**
 * Certificates indexed by subject name key and by subject key identifier, so
 * candidate issuers are found without scanning. Duplicates (same DER) are kept once.
 */
export class CertificatePool<T extends { readonly certificate: ParsedCertificate } = { readonly certificate: ParsedCertificate }> {
  private readonly bySubject = new Map<string, T[]>();
  private readonly byDer = new Map<string, T>();

  constructor(items: Iterable<T> = []) {
    for (const it of items) this.add(it);
  }

  add(item: T): void {
    const c = item.certificate;
    const derKey = c.derKey;
    if (this.byDer.has(derKey)) return;
    this.byDer.set(derKey, item);
    const list = this.bySubject.get(c.subject.key);
    if (list) list.push(item);
    else this.bySubject.set(c.subject.key, [item]);
  }

  /** Items whose subject matches `issuerKey` and whose SKI (if both sides have one) equals `aki`. */
  issuersOf(cert: ParsedCertificate): T[] {
    const list = this.bySubject.get(cert.issuer.key) ?? [];
    const aki = cert.authorityKeyIdentifier;
    const matching = aki ? list.filter((i) => !i.certificate.subjectKeyIdentifier || i.certificate.subjectKeyIdentifier === aki) : list;
    // Prefer certificates valid for longer (newer) first: a stable, useful order when several keys share a name.
    return [...matching].sort((a, b) => b.certificate.notAfter.getTime() - a.certificate.notAfter.getTime());
  }

  has(cert: ParsedCertificate): boolean {
    return this.byDer.has(cert.derKey);
  }

  find(cert: ParsedCertificate): T | undefined {
    return this.byDer.get(cert.derKey);
  }

  get size(): number {
    return this.byDer.size;
  }

  values(): IterableIterator<T> {
    return this.byDer.values();
  }
}
