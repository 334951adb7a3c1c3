import { copyBytes, equalBytes, fnv1a } from './bytes.js';
import { LruCache } from './lru.js';

/**
 * A bounded cache keyed by byte strings (encodings, caller inputs): found by
 * FNV-1a + length and confirmed byte for byte, so no string of the bytes is
 * built. Each entry keeps a private copy of its key; a colliding key replaces
 * the entry it collides with (correct either way, and crafted collisions
 * cannot grow the cache). Keys longer than `maxKeyBytes` are not cached.
 */
export class BytesCache<V> {
  private readonly lru: LruCache<number, { readonly bytes: Uint8Array; readonly value: V }>;

  constructor(
    capacity: number,
    private readonly maxKeyBytes = Number.MAX_SAFE_INTEGER,
  ) {
    this.lru = new LruCache(capacity);
  }

  /** Whether a key this long is cached at all. */
  holds(bytes: Uint8Array): boolean {
    return bytes.length <= this.maxKeyBytes;
  }

  get(bytes: Uint8Array): V | undefined {
    if (!this.holds(bytes)) return undefined;
    const hit = this.lru.get(hashOf(bytes));
    return hit && equalBytes(hit.bytes, bytes) ? hit.value : undefined;
  }

  set(bytes: Uint8Array, value: V): void {
    if (this.holds(bytes)) this.lru.set(hashOf(bytes), { bytes: copyBytes(bytes), value });
  }
}

const hashOf = (bytes: Uint8Array) => fnv1a(bytes) + bytes.length * 0x100000000;
