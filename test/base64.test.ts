/**
 * fromBase64 (src/util/bytes.ts) reads four characters a step, and base64 without white space without the
 * regular-expression passes. Its answers must be the ones of the plain reading: white space (JavaScript's \s)
 * ignored, trailing "=" dropped, the standard and URL alphabets, anything else refused, a length of 4k+1
 * characters refused, the bits below the last whole byte dropped. The reference below is that plain reading,
 * one character at a time; Node's Buffer is the second opinion on well-formed input.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../src/util/bytes.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function reference(text: string): Uint8Array {
  const clean = text.replace(/\s/g, '').replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new TypeError('invalid base64 length');
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = ch === '-' ? 62 : ch === '_' ? 63 : ALPHABET.indexOf(ch);
    if (v < 0 || ch.length !== 1) throw new TypeError('invalid base64 character');
    buf = ((buf << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

const outcome = (f: (s: string) => Uint8Array, s: string) => {
  try {
    return Buffer.from(f(s)).toString('hex');
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
};

/** A deterministic stream of numbers in [0, 1) (xorshift), so a failure names a reproducible input. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('fromBase64', () => {
  it('decodes what Buffer encodes, in both alphabets, with and without padding, at every length', () => {
    const r = random(19);
    for (let len = 0; len < 200; len++) {
      const bytes = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
      const b64 = Buffer.from(bytes).toString('base64');
      expect(fromBase64(b64)).toEqual(bytes);
      expect(fromBase64(b64.replace(/=+$/, ''))).toEqual(bytes);
      expect(fromBase64(Buffer.from(bytes).toString('base64url'))).toEqual(bytes);
      expect(fromBase64(b64.replace(/(.{7})/g, '$1\r\n '))).toEqual(bytes);
    }
  });

  it('gives the plain reading’s answer (bytes or refusal) on 30,000 mutated strings', () => {
    const r = random(2026);
    const odd = ['=', ' ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', '-', '_', '*', '.', '\u0100', '\u4e00', '\ud83d\ude00', '\u00ff'];
    for (let t = 0; t < 30_000; t++) {
      let s = '';
      const len = Math.floor(r() * 14);
      for (let k = 0; k < len; k++) s += r() < 0.8 ? ALPHABET[Math.floor(r() * 64)] : odd[Math.floor(r() * odd.length)];
      expect(outcome(fromBase64, s), JSON.stringify(s)).toBe(outcome(reference, s));
    }
  });

  it('refuses characters outside the alphabets, "=" inside, and 4k+1 characters', () => {
    for (const s of ['QUJD*', 'QU=JD', 'QUJDR', 'QUJDR=', 'QUJ\u0141', 'QUJ\u0000', '=QUJD', 'QUJD\ud800']) expect(() => fromBase64(s), JSON.stringify(s)).toThrow(TypeError);
    expect(fromBase64('QUJD')).toEqual(new TextEncoder().encode('ABC'));
    expect(fromBase64(' Q U J D = = ')).toEqual(new TextEncoder().encode('ABC'));
    expect(fromBase64('')).toEqual(new Uint8Array(0));
  });
});
