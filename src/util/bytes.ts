/** Byte helpers that work the same in Node and browsers (no Buffer). */

/**
 * A caller's bytes as a plain Uint8Array view of the same memory (never a copy,
 * never written). A Node Buffer (or any other Uint8Array subclass) becomes a
 * plain Uint8Array over the same bytes, so what the library derives from it
 * behaves as specified: Buffer#subarray returns Buffers, and Buffer#slice
 * returns a view, where Uint8Array#slice copies.
 */
export function toBytes(input: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (input instanceof Uint8Array && input.constructor === Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Uint8Array(input);
}

/**
 * A private copy of `bytes` in its own ArrayBuffer, always a plain Uint8Array:
 * for anything the library writes, keeps (caches, parsed objects compared by
 * their bytes) or hands over as a whole ArrayBuffer. Never `bytes.slice()` for
 * this: on a Node Buffer that is a view of the caller's memory (and `.buffer`
 * of it the whole shared pool).
 */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

/** A standalone ArrayBuffer holding exactly these bytes (pkijs and WebCrypto want ArrayBuffers). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return copyBytes(bytes).buffer;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Whether two byte strings are equal, for cache lookups of public data (not
 * constant time). Large inputs whose views are 4-byte aligned are compared a
 * 32-bit word at a time (a 3 MB CRL in well under a millisecond), with no
 * runtime-specific helper so browser bundles stay free of Node globals.
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.length >= 64 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const wa = new Int32Array(a.buffer, a.byteOffset, words);
    const wb = new Int32Array(b.buffer, b.byteOffset, words);
    for (let w = 0; w < words; w++) if (wa[w] !== wb[w]) return false;
    i = words << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new TypeError('invalid hex string');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_LOOKUP = (() => {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  t['-'.charCodeAt(0)] = 62;
  t['_'.charCodeAt(0)] = 63;
  return t;
})();

/** Strict base64 (standard or url alphabet) decoder; whitespace is ignored, anything else rejects. */
export function fromBase64(text: string): Uint8Array {
  // Most base64 in signatures has no white space: decoded as it is, without the two regular-expression passes
  // (a text with any character outside the alphabet, white space included, is read the general way).
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) end--;
  const direct = end % 4 === 1 ? undefined : decodeBase64(text, end);
  if (direct) return direct;
  const clean = text.replace(/[\s]/g, '').replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new TypeError('invalid base64 length');
  const out = decodeBase64(clean, clean.length);
  if (!out) throw new TypeError('invalid base64 character');
  return out;
}

/**
 * The bytes of `s.slice(0, n)` read as base64 without padding (n % 4 !== 1), or undefined when a character is
 * outside the alphabet. Four characters (24 bits, three bytes) a step; a character outside the table (or above
 * U+00FF) reads as -1, which makes the OR of the four negative. The 2 or 3 characters left give one or two
 * bytes, the bits below the last whole byte dropped.
 */
function decodeBase64(s: string, n: number): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let i = 0;
  for (const whole = n - (n % 4); i < whole; i += 4) {
    const a = sextet(s.charCodeAt(i));
    const b = sextet(s.charCodeAt(i + 1));
    const c = sextet(s.charCodeAt(i + 2));
    const d = sextet(s.charCodeAt(i + 3));
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (i < n) {
    let v = 0;
    for (let k = i; k < n; k++) {
      const x = sextet(s.charCodeAt(k));
      if (x < 0) return undefined;
      v = (v << 6) | x;
    }
    if (n - i === 2) out[o++] = v >> 4;
    else {
      out[o++] = v >> 10;
      out[o++] = (v >> 2) & 0xff;
    }
  }
  return out;
}

const sextet = (code: number): number => (code < 256 ? B64_LOOKUP[code]! : -1);

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return s;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** The bytes as a latin1 string: an exact Map key for DER objects that needs no async hash. */
export function bytesKey(bytes: Uint8Array): string {
  let s = '';
  // apply() takes the typed array as it is; spreading it first runs the iterator protocol (4x slower per key).
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

/** FNV-1a, 32 bits: a fast, non-cryptographic spread of the bytes for hash-table keys (equality is always confirmed). */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
