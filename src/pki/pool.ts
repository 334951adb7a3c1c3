import type { ParsedCertificate } from './certificate.js';
import { equalBytes } from '../util/bytes.js';

/** A trust anchor: a certificate the caller trusts, optionally labelled with where that trust comes from. */
export interface TrustAnchor {
  readonly certificate: ParsedCertificate;
  /** Where the anchor came from (file name, trust-list service), for reports. */
  readonly source?: string;
  /**
   * Set when `certificate` is not the configured anchor certificate but another self-signed certificate of the same
   * subject name and key that the signature carries (a root re-issued with new validity dates): RFC 5280 6.1.1(d)
   * makes a trust anchor a name and a key, so both are the same anchor. The path validator verifies its
   * self-signature with that key and applies the configured certificate's name constraints as well.
   */
  readonly reissueOf?: ParsedCertificate;
}

/**
 * Certificates indexed by subject name key and by subject key identifier, so
 * candidate issuers are found without scanning. Duplicates (same DER) are kept once.
 */
export class CertificatePool<T extends { readonly certificate: ParsedCertificate } = { readonly certificate: ParsedCertificate }> {
  private readonly bySubject = new Map<string, T[]>();
  /** By a cheap hash of the DER, confirmed byte for byte: a string key of every certificate's bytes cost more than the rest of indexing. */
  private readonly byDer = new Map<number, T[]>();
  private readonly items: T[] = [];
  /** By issuer name key + serial, and by SKI: how a CMS SignerIdentifier names a certificate. */
  private readonly byIssuerSerial = new Map<string, T[]>();
  private readonly bySki = new Map<string, T[]>();

  constructor(items: Iterable<T> = []) {
    for (const it of items) this.add(it);
  }

/** Adds `item` unless a certificate with the same DER is already in the pool. */
  add(item: T): void {
    const c = item.certificate;
    const key = c.derHash;
    const bucket = this.byDer.get(key);
    if (bucket?.some((i) => i.certificate === c || equalBytes(i.certificate.der, c.der))) return;
    if (bucket) bucket.push(item);
    else this.byDer.set(key, [item]);
    this.items.push(item);
    push(this.bySubject, c.subject.key, item);
    push(this.byIssuerSerial, c.issuerSerialKey, item);
    if (c.subjectKeyIdentifier) push(this.bySki, c.subjectKeyIdentifier, item);
  }

  /** Items with this issuer name key and serial number (hex), without scanning the pool. */
  withIssuerSerial(issuerKey: string, serialNumberHex: string): readonly T[] {
    return this.byIssuerSerial.get(`${issuerKey}|${serialNumberHex}`) ?? [];
  }

  /** Items whose subject name key is `subjectKey`. */
  withSubject(subjectKey: string): readonly T[] {
    return this.bySubject.get(subjectKey) ?? [];
  }

  /** Items whose subjectKeyIdentifier (hex) is `ski`. */
  withSubjectKeyIdentifier(ski: string): readonly T[] {
    return this.bySki.get(ski) ?? [];
  }

  /** Items whose subject matches `issuerKey` and whose SKI (if both sides have one) equals `aki`. */
  issuersOf(cert: ParsedCertificate): T[] {
    const list = this.bySubject.get(cert.issuer.key) ?? [];
    const aki = cert.authorityKeyIdentifier;
    const matching = aki ? list.filter((i) => !i.certificate.subjectKeyIdentifier || i.certificate.subjectKeyIdentifier === aki) : list;
    // Prefer certificates valid for longer (newer) first: a stable, useful order when several keys share a name.
    return [...matching].sort((a, b) => b.certificate.notAfter.getTime() - a.certificate.notAfter.getTime());
  }

/** Whether a certificate with the same DER as `cert` is in the pool. */
  has(cert: ParsedCertificate): boolean {
    return this.find(cert) !== undefined;
  }

/** The item holding a certificate with the same DER as `cert`, if any. */
  find(cert: ParsedCertificate): T | undefined {
    return this.byDer.get(cert.derHash)?.find((i) => i.certificate === cert || equalBytes(i.certificate.der, cert.der));
  }

/** The number of distinct certificates in the pool. */
  get size(): number {
    return this.items.length;
  }

/** The items in the order they were added. */
  values(): IterableIterator<T> {
    return this.items.values();
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
