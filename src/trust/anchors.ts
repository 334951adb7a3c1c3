import { certificateCache } from '../pki/cache.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { CertificatePool, type TrustAnchor } from '../pki/pool.js';
import { equalBytes, fromBase64 } from '../util/bytes.js';
import type { LoadedTrustList } from './loaded.js';
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
  readonly matchedBy: 'certificate' | 'public-key' | 'ski' | 'subject-name';
}

/** A service matched by key: the chain certificate's public key is that of one of the service's identity certificates. */
export interface KeyMatch extends ServiceMatch {
  readonly matchedBy: 'certificate' | 'public-key';
}

/** TS 119 612 service types of time-stamping services (TSA, qualified and not). */
const TIMESTAMP_SERVICE_TYPES = new Set([
  'http://uri.etsi.org/TrstSvc/Svctype/TSA',
  'http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST',
  'http://uri.etsi.org/TrstSvc/Svctype/TSA/TSS-QC',
  'http://uri.etsi.org/TrstSvc/Svctype/TSA/TSS-AdESQCandQES',
]);

/** TS 119 612 service type URIs (ETSI's vocabulary); anything else is a national vocabulary. */
const ETSI_SERVICE_TYPE_PREFIX = 'http://uri.etsi.org/TrstSvc/Svctype/';

/** True for a TS 119 612 time-stamping service type. */
export function isTimestampServiceType(type: string): boolean {
  return TIMESTAMP_SERVICE_TYPES.has(type);
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
  /** Services by the SubjectPublicKeyInfo of their identity certificates: how a chain certificate is matched as proof. */
  private readonly byKey = new Map<string, ServiceRef[]>();
  /**
   * CA certificates of listed services, whatever their type (trust is decided again by recognition).
   * Signer paths use `anchorPoolFor`: only those listed by a service of an accepted type.
   */
  readonly anchors: TrustAnchor[] = [];
  /** Every identity certificate (CA or not), once, as a path end; its services are found by `certificateEntry`. */
  private readonly identities: TrustAnchor[] = [];
  private readonly pools = new Map<string, CertificatePool<TrustAnchor>>();
  private readonly timestampAnchorsByTypes = new Map<string, readonly TrustAnchor[]>();
  /**
   * Identity certificates (CA or not) of services that are, or were, of a time-stamping type: where a
   * TSA's path may end. Whether the service vouched for a token at its genTime is decided per token.
   */
  readonly timestampAnchors: TrustAnchor[] = [];
  readonly problems: string[] = [];
  private pool?: CertificatePool<TrustAnchor>;

  /** `anchors` as a CertificatePool, built on first use and then shared, read only, by every validation using this index. */
  get anchorPool(): CertificatePool<TrustAnchor> {
    return (this.pool ??= new CertificatePool<TrustAnchor>(this.anchors));
  }

  /**
   * The CA certificates listed by a service whose type (now or in its history) is one of `serviceTypes`
   * (the policy's trustServices.signerServiceTypes): where a signer's path may end. A CA listed only as a
   * time-stamping service is no signer anchor. Built once per set of types and shared read only.
   */
  anchorPoolFor(serviceTypes: readonly string[]): CertificatePool<TrustAnchor> {
    const key = `ca|${[...serviceTypes].sort().join(' ')}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const accepted = new Set(serviceTypes);
      // A type of a national vocabulary (outside ETSI's Svctype/ URIs) has meaning only through an MRA
      // equivalence, which recognition applies (trust/recognize.ts): such a CA still ends a path, and a
      // relying party recognizes it only through an enacted mapping to an accepted type.
      const national = { has: (t: string) => accepted.has(t) || !t.startsWith(ETSI_SERVICE_TYPE_PREFIX) };
      pool = new CertificatePool<TrustAnchor>(this.anchors.filter((a) => this.listedAs(a.certificate, national)));
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Identity certificates (CA or not) of services of one of `serviceTypes` (now or in their history): where a
   * TSA's path may end. Built once per set of types and shared read only, like `anchorPoolFor`: every
   * validation under a TrustSet asks for it, and filtering a 5,000-service list cost ~10 ms per verify.
   */
  timestampAnchorsFor(serviceTypes: readonly string[]): readonly TrustAnchor[] {
    const key = [...serviceTypes].sort().join(' ');
    let found = this.timestampAnchorsByTypes.get(key);
    if (!found) {
      const accepted = new Set(serviceTypes);
      found = this.identities.filter((a) => this.listedAs(a.certificate, accepted));
      this.timestampAnchorsByTypes.set(key, found);
    }
    return found;
  }

  /** True when a service listing exactly `cert` has, or had, one of `types`. */
  private listedAs(cert: ParsedCertificate, types: Pick<ReadonlySet<string>, 'has'>): boolean {
    return (this.certificateEntry(cert, false)?.refs ?? []).some((r) => [r.service.type, ...r.service.history.map((h) => h.type)].some((t) => types.has(t)));
  }

  static async build(lists: readonly LoadedTrustList[]): Promise<TrustIndex> {
    const idx = new TrustIndex();
    for (const list of lists) {
      if (!list.usable) continue;
      for (const provider of list.list.providers) {
        for (const service of provider.services) {
          const ref: ServiceRef = { list, provider, service };
          const timestamping = [service.type, ...service.history.map((h) => h.type)].some(isTimestampServiceType);
          const keys = new Set<string>();
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
            const source = `${list.list.id} seq ${list.list.scheme.sequenceNumber}: ${service.name}`;
            if (added && cert.isCA) idx.anchors.push({ certificate: cert, source });
            if (timestamping) idx.timestampAnchors.push({ certificate: cert, source });
            if (added) idx.identities.push({ certificate: cert, source });
            keys.add(cert.spkiKey);
            // A certificate identity also answers SKI and name lookups (chain certificates may be re-issued).
            if (cert.subjectKeyIdentifier) skis.add(cert.subjectKeyIdentifier);
          }
          for (const s of skis) push(idx.bySki, s, ref);
          for (const n of names) push(idx.byName, n, ref);
          for (const k of keys) push(idx.byKey, k, ref);
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
   * Services that name `cert`, each once: by exact certificate (SHA-256),
   * then by subject key identifier, then by subject name. Only a lookup: SKI
   * and name matches say nothing about the key (any certificate can carry
   * them), so decisions use `lookupByKey`.
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

  /**
   * Services whose identity certificates carry `cert`'s public key (`certificate` when the very DER is
   * listed, `public-key` for another certificate of the same key, e.g. a re-issued CA). A match is proof
   * only for a certificate whose key verified something: the caller passes the issuers and anchor of a
   * validated path, or the key that verified a token.
   */
  lookupByKey(cert: ParsedCertificate): KeyMatch[] {
    const exact = new Set(this.certificateEntry(cert, false)?.refs ?? []);
    const out: KeyMatch[] = [];
    const seen = new Set<ServiceRef>();
    for (const r of this.byKey.get(cert.spkiKey) ?? []) {
      if (seen.has(r)) continue;
      seen.add(r);
      out.push({ ...r, certificate: cert, matchedBy: exact.has(r) ? 'certificate' : 'public-key' });
    }
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
