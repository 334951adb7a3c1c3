import { LruCache } from '../util/lru.js';
import { ParsedCertificate } from './certificate.js';
import { equalBytes } from '../util/bytes.js';

/** Entries per hash bucket: a collision is checked byte for byte; crafted collisions cannot grow a bucket beyond this. */
const BUCKET_LIMIT = 4;

/**
 * Parsed certificates by exact DER, bounded: batches of signatures from the
 * same signers and CAs parse each certificate once. Looked up by a cheap
 * 32-bit hash of the bytes plus the length, then confirmed by comparing the
 * bytes, so a lookup costs one pass over the certificate and no string building.
 */
class CertificateCache {
  private readonly lru = new LruCache<string, ParsedCertificate[]>(2048);

  get(der: Uint8Array): ParsedCertificate {
    const key = `${der.length}:${fnv1a(der)}`;
    const bucket = this.lru.get(key);
    if (bucket) for (const c of bucket) if (equalBytes(c.der, der)) return c;
    const c = ParsedCertificate.fromDer(der);
    this.lru.set(key, bucket ? [c, ...bucket.slice(0, BUCKET_LIMIT - 1)] : [c]);
    return c;
  }

  /** Drops every entry (benchmarks measure cold loads; callers may free memory). */
  clear(): void {
    this.lru.clear();
  }
}

/** FNV-1a, 32 bits: a fast, non-cryptographic spread of the bytes (equality is always confirmed). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export const certificateCache = new CertificateCache();
