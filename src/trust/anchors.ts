import { certificateCache } from '../pki/cache.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { CertificatePool, type TrustAnchor } from '../pki/pool.js';
import { equalBytes, fromBase64 } from '../util/bytes.js';
import type { LoadedTrustList } from './load.js';
import type { TrustService, TrustServiceProvider } from './model.js';
import { nameKeyFromCertificate, nameKeyFromString } from './names.js';

/** One service of one loaded list. */
export interface ServiceRef {
  readonly list: LoadedTrustList;
  readonly provider: TrustServiceProvider;
  readonly service: TrustService;
}

export interface ServiceMatch extends ServiceRef {
  /** The chain certificate that matched, and how. */
  readonly certificate: ParsedCertificate;
  readonly matchedBy: 'certificate' | 'ski' | 'subject-name';
}

/**
 * Services of usable trusted lists indexed by exact certificate, by subject
 * key identifier and by subject-name key: a chain certificate finds its services
 * with three map lookups, whatever the number of lists.
 *
 * Exact certificates are keyed by a cheap hash of their DER and confirmed byte
 * for byte (as exact as a SHA-256 comparison): computing 5,000 SHA-256
 * fingerprints through WebCrypto cost about as much as decoding the certificates.
 */
export class TrustIndex {
  private readonly byCertificate = new Map<number, { readonly der: Uint8Array; readonly refs: ServiceRef[] }[]>();
  private certificateCount = 0;
  private readonly bySki = new Map<string, ServiceRef[]>();
  private readonly byName = new Map<string, ServiceRef[]>();
  /** CA certificates of listed services, for path building (trust is decided again by recognition). */
  readonly anchors: TrustAnchor[] = [];
  readonly problems: string[] = [];
  private pool?: CertificatePool<TrustAnchor>;

  /** `anchors` as a CertificatePool, built on first use and then shared, read only, by every validation using this index. */
  get anchorPool(): CertificatePool<TrustAnchor> {
    return (this.pool ??= new CertificatePool<TrustAnchor>(this.anchors));
  }

  static async build(lists: readonly LoadedTrustList[]): Promise<TrustIndex> {
    const idx = new TrustIndex();
    for (const list of lists) {
      if (!list.usable) continue;
      for (const provider of list.list.providers) {
        for (const service of provider.services) {
          const ref: ServiceRef = { list, provider, service };
          const identities = [service.identity, ...service.history.flatMap((h) => (h.identity ? [h.identity] : []))];
          const certs = new Set<string>();
          const skis = new Set<string>();
          const names = new Set<string>();
          for (const id of identities) {
            id.certificates.forEach((c) => certs.add(c));
            id.skis.forEach((s) => skis.add(s.toLowerCase()));
            for (const n of id.subjectNames) {
              const k = nameKeyFromString(n);
              if (k) names.add(k);
              else idx.problems.push(`${list.list.id}: unreadable X509SubjectName "${n}" in service ${service.name}`);
            }
          }
          for (const b64 of certs) {
            let cert: ParsedCertificate;
            try {
              cert = certificateCache.get(fromBase64(b64));
            } catch (e) {
              idx.problems.push(`${list.list.id}: unreadable certificate in service ${service.name}: ${(e as Error).message}`);
              continue;
            }
            const { refs, added } = idx.certificateEntry(cert, true)!;
            refs.push(ref);
            if (added && cert.isCA) idx.anchors.push({ certificate: cert, source: `${list.list.id} seq ${list.list.scheme.sequenceNumber}: ${service.name}` });
            // A certificate identity also answers SKI and name lookups (chain certificates may be re-issued).
            if (cert.subjectKeyIdentifier) skis.add(cert.subjectKeyIdentifier);
          }
          for (const s of skis) push(idx.bySki, s, ref);
          for (const n of names) push(idx.byName, n, ref);
        }
      }
    }
    return idx;
  }

  /** The services listing exactly `cert`'s DER; with `create`, a new empty entry when there is none (`added`). */
  private certificateEntry(cert: ParsedCertificate, create: boolean): { refs: ServiceRef[]; added: boolean } | undefined {
    const der = cert.der;
    const key = cert.derHash;
    const bucket = this.byCertificate.get(key);
    const found = bucket?.find((e) => equalBytes(e.der, der));
    if (found || !create) return found && { refs: found.refs, added: false };
    const entry = { der, refs: [] as ServiceRef[] };
    if (bucket) bucket.push(entry);
    else this.byCertificate.set(key, [entry]);
    this.certificateCount++;
    return { refs: entry.refs, added: true };
  }

  /**
   * Services that identify `cert`, each once: by exact certificate (SHA-256),
   * then by subject key identifier, then by subject name. SKI and name matches
   * say nothing about the key by themselves; recognize() accepts them only when
   * the chain's anchor certificate is itself on the same list.
   */
  async lookup(cert: ParsedCertificate): Promise<ServiceMatch[]> {
    const out: ServiceMatch[] = [];
    const seen = new Set<ServiceRef>();
    const add = (refs: ServiceRef[] | undefined, matchedBy: ServiceMatch['matchedBy']): void => {
      for (const r of refs ?? []) {
        if (seen.has(r)) continue;
        seen.add(r);
        out.push({ ...r, certificate: cert, matchedBy });
      }
    };
    add(this.certificateEntry(cert, false)?.refs, 'certificate');
    if (cert.subjectKeyIdentifier) add(this.bySki.get(cert.subjectKeyIdentifier), 'ski');
    add(this.byName.get(nameKeyFromCertificate(cert.subject)), 'subject-name');
    return out;
  }

  get size(): number {
    return this.certificateCount + this.bySki.size + this.byName.size;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
