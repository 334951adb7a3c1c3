import { LruCache } from '../util/lru.js';
import { ParsedCertificate } from './certificate.js';
import { bytesKey } from '../util/bytes.js';

/**
 * Parsed certificates by exact DER, bounded: batches of signatures from the
 * same signers and CAs parse each certificate once.
 */
class CertificateCache {
  private readonly lru = new LruCache<string, ParsedCertificate>(2048);

  get(der: Uint8Array): ParsedCertificate {
    const key = bytesKey(der);
    let c = this.lru.get(key);
    if (!c) {
      c = ParsedCertificate.fromDer(der);
      this.lru.set(key, c);
    }
    return c;
  }

  /** Drops every entry (benchmarks measure cold loads; callers may free memory). */
  clear(): void {
    this.lru.clear();
  }
}

export const certificateCache = new CertificateCache();
