/** sameBytes (cache lookups): word-wise over aligned views, byte-wise for the rest and for unaligned views. */
import { describe, expect, it } from 'vitest';
import { sameBytes } from '../src/util/bytes.js';

describe('sameBytes', () => {
  const base = new Uint8Array(1027).map((_, i) => (i * 31) & 0xff);
  it('equal contents are equal whatever the views\' offsets', () => {
    const shifted = new Uint8Array(base.length + 3);
    shifted.set(base, 3);
    expect(sameBytes(base, base.slice())).toBe(true);
    expect(sameBytes(base, shifted.subarray(3))).toBe(true);
  });
  it('a difference anywhere — first byte, inside a word, the unaligned tail — is found', () => {
    for (const at of [0, 1, 517, 1023, 1024, 1026]) {
      const other = base.slice();
      other[at] ^= 1;
      expect(sameBytes(base, other), `byte ${at}`).toBe(false);
      const unaligned = new Uint8Array(base.length + 1);
      unaligned.set(other, 1);
      expect(sameBytes(base, unaligned.subarray(1)), `byte ${at}, unaligned`).toBe(false);
    }
    expect(sameBytes(base, base.subarray(0, 1026))).toBe(false);
  });
});
