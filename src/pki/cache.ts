import { LruCache } from '../util/lru.js';
import { ParsedCertificate } from './certificate.js';
import { bytesKey, equalBytes, fnv1a, sameBytes } from '../util/bytes.js';
import { ParsedCrl } from './crl.js';
import type { PublicKeyFacts } from '../crypto/spki.js';

/** Entries per hash bucket: a collision is checked byte for byte; crafted collisions cannot grow a bucket beyond this. */
const BUCKET_LIMIT = 4;

/** What decoding a certificate costs against a caller's ASN.1 limits: asn1js nodes and nesting depth (root = 1). */
export interface DecodeSize {
  readonly nodes: number;
  readonly depth: number;
}

interface Entry {
  readonly certificate: ParsedCertificate;
  size?: DecodeSize;
}

/**
 * Parsed certificates by exact DER, bounded: batches of signatures from the
 * same signers and CAs parse each certificate once. Looked up by a cheap
 * 32-bit hash of the bytes plus the length, then confirmed by comparing the
 * bytes, so a lookup costs one pass over the certificate and no string building.
 */
class CertificateCache {
  private readonly lru = new LruCache<string, Entry[]>(2048);

  get(der: Uint8Array): ParsedCertificate {
    return this.entry(der).certificate;
  }

  /**
   * The certificate and its decode size. `measure` decodes `der` under the
   * caller's limits (throwing when they are exceeded) and runs once per
   * certificate: later lookups return the recorded size, so a caller charging
   * it to a budget gets the same answer whether or not the certificate was cached.
   */
  getSized(der: Uint8Array, measure: (der: Uint8Array) => DecodeSize): { certificate: ParsedCertificate; size: DecodeSize } {
    const e = this.entry(der, measure);
    return { certificate: e.certificate, size: (e.size ??= measure(der)) };
  }

  private entry(der: Uint8Array, measure?: (der: Uint8Array) => DecodeSize): Entry {
    const key = derHashKey(der);
    const bucket = this.lru.get(key);
    if (bucket) for (const e of bucket) if (equalBytes(e.certificate.der, der)) return e;
    // Measured before parsing, so an input over the caller's limits is refused before the unbounded parse.
    const size = measure?.(der);
    const e: Entry = { certificate: ParsedCertificate.fromDer(der), size };
    this.lru.set(key, bucket ? [e, ...bucket.slice(0, BUCKET_LIMIT - 1)] : [e]);
    return e;
  }

  /** Drops every entry (benchmarks measure cold loads; callers may free memory). */
  clear(): void {
    this.lru.clear();
  }
}

/** A cheap map key for exact DER (length and FNV-1a); equal keys must still be confirmed byte for byte. */
export function derHashKey(der: Uint8Array): string {
  return `${der.length}:${fnv1a(der)}`;
}

export const certificateCache = new CertificateCache();

/**
 * Parsed CRLs by exact DER, bounded by count and by bytes held: a back end
 * passing the same national CRL as bytes with every call (or receiving it
 * embedded in every LT signature) parses it once. A CRL's parse depends on its
 * bytes alone; whether it is fresh, trusted or applicable is judged by every
 * validation. Keyed by the length and a hash of the first and last octets (the
 * signature differs between any two CRLs an issuer signs), then confirmed by
 * comparing every byte, so a lookup never trusts a hash.
 */
class CrlCache {
  private readonly entries = new Map<string, ParsedCrl[]>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(der: Uint8Array): ParsedCrl {
    const key = `${der.length}:${fnv1a(der.subarray(0, 512))}:${fnv1a(der.subarray(Math.max(0, der.length - 512)))}`;
    const bucket = this.entries.get(key);
    if (bucket) {
      for (const c of bucket) {
        if (sameBytes(c.der, der)) {
          // Most recently used last: eviction takes from the front.
          this.entries.delete(key);
          this.entries.set(key, bucket);
          return c;
        }
      }
    }
    const crl = ParsedCrl.fromDer(der);
    if (der.length > this.maxBytes / 4) return crl; // one CRL may not flush the others
    const next = bucket ? [crl, ...bucket.slice(0, BUCKET_LIMIT - 1)] : [crl];
    if (bucket) {
      this.entries.delete(key);
      this.bytes -= bucket.reduce((n, c) => n + c.der.length, 0);
    }
    this.entries.set(key, next);
    this.bytes += next.reduce((n, c) => n + c.der.length, 0);
    for (const [k, b] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= b.reduce((n, c) => n + c.der.length, 0);
    }
    return crl;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** 64 CRLs, 128 MiB of DER: a country's CA CRLs several times over. */
export const crlCache = new CrlCache(64, 128 * 2 ** 20);

/** At most this many issuer keys remembered per signed object (a crafted pool cannot grow it further). */
const KEYS_PER_OBJECT = 16;

/**
 * Outcomes of verifying a certificate's or CRL's signature with a given
 * public key. The outcome depends only on the signed object's bytes, the key
 * and the providers doing the math, so it is computed once per (object, key,
 * provider set) and shared by later and concurrent validations. Everything
 * that depends on time, policy, revocation or the path (validity periods,
 * algorithm cut-offs, constraints) is still evaluated by every validation.
 * Entries live as long as the (cached, immutable) certificate/CRL objects.
 */
const signatureOutcomes = new WeakMap<object, Map<string, Promise<boolean>>>();
const spkiKeys = new WeakMap<PublicKeyFacts, string>();

export function verifiedOnce(
  obj: object,
  publicKey: PublicKeyFacts,
  providers: string,
  verify: () => Promise<boolean>,
): Promise<boolean> {
  // Only parsed, immutable objects qualify: a plain object could change between calls.
  if (!(obj instanceof ParsedCertificate) && !(obj instanceof ParsedCrl)) return verify();
  let spki = spkiKeys.get(publicKey);
  if (spki === undefined) spkiKeys.set(publicKey, (spki = bytesKey(publicKey.spki)));
  const key = `${providers}|${spki}`;
  let outcomes = signatureOutcomes.get(obj);
  if (!outcomes) signatureOutcomes.set(obj, (outcomes = new Map()));
  let p = outcomes.get(key);
  if (!p) {
    if (outcomes.size >= KEYS_PER_OBJECT) outcomes.clear();
    p = verify();
    outcomes.set(key, p);
    const remembered = outcomes;
    // A provider failure is not an outcome: forget it so a later call tries again.
    p.catch(() => remembered.delete(key));
  }
  return p;
}
