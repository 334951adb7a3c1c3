/**
 * Trust anchors a caller passes as bytes (DER or PEM), indexed once per array and reused while the caller
 * passes the same array holding the same buffers. The bytes of those buffers may change between calls
 * (callers hand over views of memory they keep using), so a reused index is never trusted blindly: every
 * anchor the index hands out during a call is first confirmed against a private copy of the buffer it came
 * from. A validation therefore pays for the anchors it touches (usually one or two), not for all of them,
 * and an anchor the caller altered or removed is never trusted from the stale index: the first changed
 * buffer a call touches makes it re-index every anchor from the current bytes and answer from that.
 *
 * What a reused index can miss is a buffer changed in place into a *different* certificate that no lookup of
 * this call reaches through the old index: that anchor is not trusted (fewer anchors, so a verdict can only
 * be less favourable, never a false accept) until a call touches a changed buffer, enumerates the pool, or
 * passes a new array.
 */
import type { ParsedCertificate } from './certificate.js';
import { CertificatePool, type TrustAnchor } from './pool.js';
import { loadCertificates } from './inputs.js';
import { copyBytes, sameBytes } from '../util/bytes.js';

interface Indexed {
  /** The caller's buffers as given (identity is what a later call is matched by). */
  readonly inputs: readonly Uint8Array[];
  /** Private copies of their bytes when indexed (copyBytes: a Node Buffer's slice() would be a view). */
  readonly copies: readonly Uint8Array[];
  readonly pool: CertificatePool<TrustAnchor>;
  /** For each anchor of the pool, the index of the buffer it was read from. */
  readonly origin: ReadonlyMap<TrustAnchor, number>;
}

const indexed = new WeakMap<readonly Uint8Array[], Indexed>();

function indexAnchors(inputs: readonly Uint8Array[]): Indexed {
  const pool = new CertificatePool<TrustAnchor>();
  const origin = new Map<TrustAnchor, number>();
  inputs.forEach((input, i) => {
    for (const certificate of loadCertificates(input)) {
      const item: TrustAnchor = { certificate };
      const before = pool.size;
      pool.add(item);
      if (pool.size > before) origin.set(item, i);
    }
  });
  const entry = { inputs: [...inputs], copies: inputs.map(copyBytes), pool, origin };
  indexed.set(inputs, entry);
  return entry;
}

/**
 * The anchors of `inputs` for one validation. The same array holding the same buffers (compared by identity,
 * not by content) reuses the index built earlier, with every anchor confirmed byte for byte when first handed
 * out; anything else is indexed now (throwing InvalidOptionError for unreadable input, as loadCertificates does).
 * The pool is read-only: add() throws (trust/context.ts copies it before adding list anchors).
 */
export function byteAnchorPoolOf(inputs: readonly Uint8Array[]): CertificatePool<TrustAnchor> {
  const hit = indexed.get(inputs);
  const same = hit !== undefined && hit.inputs.length === inputs.length && hit.inputs.every((b, i) => b === inputs[i]);
  return same ? new ConfirmingAnchorPool(inputs, hit, false) : new ConfirmingAnchorPool(inputs, indexAnchors(inputs), true);
}

/**
 * A per-call view of an index: each lookup's answers are confirmed against the current bytes of their buffers
 * (once per buffer per call); when one has changed, the whole array is indexed again and the lookup is answered
 * from the new index, which then holds for the rest of the call and for later calls.
 */
class ConfirmingAnchorPool extends CertificatePool<TrustAnchor> {
  private readonly confirmed = new Set<number>();

  constructor(
    private readonly inputs: readonly Uint8Array[],
    private current: Indexed,
    /** Built from the bytes as they are now, during this call: nothing to confirm. */
    private fresh: boolean,
  ) {
    super();
  }

  /** Whether every item is an unchanged anchor; false after re-indexing because one was not. */
  private confirm(items: readonly TrustAnchor[]): boolean {
    if (this.fresh) return true;
    for (const item of items) {
      const i = this.current.origin.get(item);
      if (i === undefined || this.confirmed.has(i)) continue;
      if (!sameBytes(this.current.copies[i]!, this.inputs[i]!)) {
        this.reindex();
        return false;
      }
      this.confirmed.add(i);
    }
    return true;
  }

  private reindex(): void {
    try {
      this.current = indexAnchors(this.inputs);
    } catch {
      // The changed bytes no longer read as certificates: nothing is trusted for the rest of this call, and the
      // next call, finding no index for this array, reports the unreadable input as createContext always does.
      indexed.delete(this.inputs);
      this.current = { inputs: this.inputs, copies: [], pool: new CertificatePool<TrustAnchor>(), origin: new Map() };
    }
    this.fresh = true;
  }

  private answer<R extends readonly TrustAnchor[]>(ask: (pool: CertificatePool<TrustAnchor>) => R): R {
    const first = ask(this.current.pool);
    return first.length === 0 || this.confirm(first) ? first : ask(this.current.pool);
  }

  override add(): void {
    throw new Error('an anchor pool built from trustAnchors bytes is shared and read-only: copy it before adding');
  }

  override withIssuerSerial(issuerKey: string, serialNumberHex: string): readonly TrustAnchor[] {
    return this.answer((p) => p.withIssuerSerial(issuerKey, serialNumberHex));
  }

  override withSubject(subjectKey: string): readonly TrustAnchor[] {
    return this.answer((p) => p.withSubject(subjectKey));
  }

  override withSubjectKeyIdentifier(ski: string): readonly TrustAnchor[] {
    return this.answer((p) => p.withSubjectKeyIdentifier(ski));
  }

  override issuersOf(cert: ParsedCertificate): TrustAnchor[] {
    return this.answer((p) => p.issuersOf(cert));
  }

  override find(cert: ParsedCertificate): TrustAnchor | undefined {
    return this.answer((p) => {
      const found = p.find(cert);
      return found ? [found] : [];
    })[0];
  }

  override has(cert: ParsedCertificate): boolean {
    return this.find(cert) !== undefined;
  }

  /** The number of anchors in the index (as read when it was built). */
  override get size(): number {
    return this.current.pool.size;
  }

  /** Every anchor, so every buffer is confirmed first (the cost of the unindexed path, only when enumerating). */
  override values(): IterableIterator<TrustAnchor> {
    this.confirm([...this.current.pool.values()]);
    return this.current.pool.values();
  }
}
