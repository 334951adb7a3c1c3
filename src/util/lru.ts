/**
 * A bounded cache that keeps what was used recently: caches of parsed
 * certificates, decoded encodings and imported keys must not grow without limit.
 *
 * Two generations instead of a strict recency list: entries live in `young`
 * until it holds half the capacity, then `young` becomes `old` and the previous
 * `old` is dropped; a hit in `old` moves the entry back to `young`. A hit in
 * `young` (the common case in a batch) costs one Map lookup, where a strict
 * LRU re-inserts the entry on every hit. At most `capacity` entries are held
 * (two for a capacity of one).
 */
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generation: number;

  constructor(readonly capacity: number) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.insert(key, o);
    }
    return o;
  }

  set(key: K, value: V): void {
    this.old.delete(key);
    if (this.young.has(key)) this.young.set(key, value);
    else this.insert(key, value);
  }

  private insert(key: K, value: V): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  delete(key: K): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
