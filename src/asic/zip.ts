/**
 * A ZIP reader for signature containers (ASiC, EN 319 162-1), hostile input first.
 *
 * The directory is walked here, not by fflate's unzipSync: that one keys entries by name (a duplicate name
 * silently replaces the first, so what a signature covers and what a viewer shows could differ), reads the
 * data offset from the local header without comparing its name to the central directory's, and checks no
 * CRC. DEFLATE itself is fflate's (browser-safe, no Node built-ins). Every size is bounded before any byte is
 * inflated: entry count, declared total, compression ratio; an entry inflating past its declared size or to
 * other bytes than its CRC-32 says is refused.
 */
import { inflateSync } from 'fflate';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { copyBytes, sameBytes } from '../util/bytes.js';

/** The container reader's share of `Limits`. */
export interface ZipLimits {
  readonly maxContainerEntries: number;
  readonly maxContainerBytes: number;
  readonly maxCompressionRatio: number;
}

/** Ratio is only judged above this uncompressed size: small files compress oddly (a 5-byte file to 7 bytes, 1 KB of zeros 100:1). */
const RATIO_FLOOR = 1024 * 1024;

export interface ZipEntry {
  /** The name as written in the central directory (UTF-8 when flagged, else CP437 read as Latin-1). */
  readonly name: string;
  /** Position in the central directory. */
  readonly index: number;
  /** Offset of the local header: the physical order of the entries. */
  readonly offset: number;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  readonly isDirectory: boolean;
  /** Length of the local header's extra field (EN 319 162-1 wants none on `mimetype`). */
  readonly localExtraLength: number;
  /** The uncompressed bytes (a copy; empty for folders). */
  readonly data: Uint8Array;
}

export interface ZipArchive {
  /** In central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** The archive comment (EN 319 162-1 A.1 allows `mimetype=...` there). */
  readonly comment: string;
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** True when `bytes` start like a ZIP archive (a local file header, or the end record of an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (ISO 3309, the ZIP one). fflate computes it internally but does not export it. */
export function crc32(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function decodeName(raw: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder('utf-8', { fatal: false }).decode(raw);
  // CP437 and Latin-1 agree on ASCII, which is what ASiC names are in practice; other bytes stay distinct.
  let s = '';
  for (const b of raw) s += String.fromCharCode(b);
  return s;
}

/**
 * Reads every entry of a ZIP archive within `limits`. Structural damage (no end record, a header out of
 * bounds, an unknown compression method, encryption, a local header whose name differs from the directory's,
 * a CRC or size mismatch) is an InputFormatError; exceeding a limit is a LimitExceededError (`container.*`).
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits): ZipArchive {
  // End of central directory: the last 22+ bytes, the comment at most 65,535 bytes.
  let e = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  while (e >= stop && u32(bytes, e) !== 0x06054b50) e--;
  if (e < stop || e < 0) throw new InputFormatError('ZIP: no end of central directory record');
  let count = u16(bytes, e + 10);
  let cdSize = u32(bytes, e + 12);
  let cdOffset = u32(bytes, e + 16);
  const commentLength = u16(bytes, e + 20);
  const comment = decodeName(bytes.subarray(e + 22, Math.min(bytes.length, e + 22 + commentLength)), true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    // ZIP64: no signature container needs it within our limits, but a ZIP64 end record may still be used.
    const loc = e - 20;
    if (loc < 0 || u32(bytes, loc) !== 0x07064b50) throw new InputFormatError('ZIP: ZIP64 fields without a ZIP64 locator');
    const z = Number(new DataView(bytes.buffer, bytes.byteOffset + loc + 8, 8).getBigUint64(0, true));
    if (z + 56 > bytes.length || u32(bytes, z) !== 0x06064b50) throw new InputFormatError('ZIP: ZIP64 end record out of bounds');
    const view = new DataView(bytes.buffer, bytes.byteOffset + z, 56);
    count = Number(view.getBigUint64(32, true));
    cdSize = Number(view.getBigUint64(40, true));
    cdOffset = Number(view.getBigUint64(48, true));
  }
  if (count > limits.maxContainerEntries) throw new LimitExceededError('container.entries', limits.maxContainerEntries);
  if (cdOffset + cdSize > bytes.length) throw new InputFormatError('ZIP: central directory out of bounds');

  const entries: ZipEntry[] = [];
  let total = 0;
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > bytes.length || u32(bytes, o) !== 0x02014b50) throw new InputFormatError(`ZIP: central directory entry ${i} is damaged`);
    const flags = u16(bytes, o + 8);
    const method = u16(bytes, o + 10);
    const crc = u32(bytes, o + 16);
    let compressedSize = u32(bytes, o + 20);
    let size = u32(bytes, o + 24);
    const nameLength = u16(bytes, o + 28);
    const extraLength = u16(bytes, o + 30);
    const entryCommentLength = u16(bytes, o + 32);
    let localOffset = u32(bytes, o + 42);
    if (o + 46 + nameLength + extraLength > bytes.length) throw new InputFormatError(`ZIP: central directory entry ${i} is truncated`);
    const rawName = bytes.subarray(o + 46, o + 46 + nameLength);
    const name = decodeName(rawName, (flags & 0x800) !== 0);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      const z64 = zip64Extra(bytes.subarray(o + 46 + nameLength, o + 46 + nameLength + extraLength), size === 0xffffffff, compressedSize === 0xffffffff, localOffset === 0xffffffff);
      if (!z64) throw new InputFormatError(`ZIP: entry "${name}" has ZIP64 sizes without a ZIP64 extra field`);
      size = z64.size ?? size;
      compressedSize = z64.compressedSize ?? compressedSize;
      localOffset = z64.offset ?? localOffset;
    }
    o += 46 + nameLength + extraLength + entryCommentLength;
    if (flags & 0x1) throw new InputFormatError(`ZIP: entry "${name}" is encrypted`);
    if (method !== 0 && method !== 8) throw new InputFormatError(`ZIP: entry "${name}" uses compression method ${method} (only stored and deflated are read)`);
    if (method === 0 && size !== compressedSize) throw new InputFormatError(`ZIP: stored entry "${name}" declares ${size} bytes but holds ${compressedSize}`);
    // Bounds before inflating anything: the declared sizes, then each entry's ratio.
    total += size;
    if (total > limits.maxContainerBytes) throw new LimitExceededError('container.bytes', limits.maxContainerBytes);
    if (method === 8 && size > RATIO_FLOOR && size > compressedSize * limits.maxCompressionRatio) {
      throw new LimitExceededError('container.compressionRatio', limits.maxCompressionRatio, `limit container.compressionRatio exceeded (max ${limits.maxCompressionRatio}): entry "${name}" declares ${size} bytes from ${compressedSize}`);
    }
    // Local header: its name must be the directory's (else two readers could see two different files).
    if (localOffset + 30 > bytes.length || u32(bytes, localOffset) !== 0x04034b50) throw new InputFormatError(`ZIP: local header of "${name}" is missing or out of bounds`);
    const localNameLength = u16(bytes, localOffset + 26);
    const localExtraLength = u16(bytes, localOffset + 28);
    const dataStart = localOffset + 30 + localNameLength + localExtraLength;
    const localName = bytes.subarray(localOffset + 30, localOffset + 30 + localNameLength);
    if (!sameBytes(localName, rawName)) throw new InputFormatError(`ZIP: local header of "${name}" names another file`);
    if (dataStart + compressedSize > bytes.length) throw new InputFormatError(`ZIP: data of "${name}" is out of bounds`);
    const raw = bytes.subarray(dataStart, dataStart + compressedSize);
    const isDirectory = name.endsWith('/');
    let data: Uint8Array;
    if (method === 0) {
      data = copyBytes(raw);
    } else {
      // One byte of room past the declared size: an entry that inflates further is caught, never held.
      let out: Uint8Array;
      try {
        out = inflateSync(raw, { out: new Uint8Array(size + 1) });
      } catch (err) {
        throw new InputFormatError(`ZIP: entry "${name}" does not inflate: ${(err as Error).message}`, { cause: err });
      }
      if (out.length !== size) throw new InputFormatError(`ZIP: entry "${name}" inflates to ${out.length > size ? 'more than' : out.length} bytes, not the ${size} declared`);
      data = out.slice(0, size);
    }
    if (crc32(data) !== crc) throw new InputFormatError(`ZIP: entry "${name}" fails its CRC-32`);
    entries.push({ name, index: i, offset: localOffset, method, compressedSize, size, crc32: crc, isDirectory, localExtraLength, data });
  }
  return { entries, comment };
}

function zip64Extra(extra: Uint8Array, wantSize: boolean, wantCompressed: boolean, wantOffset: boolean): { size?: number; compressedSize?: number; offset?: number } | undefined {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = u16(extra, p);
    const len = u16(extra, p + 2);
    if (id === 0x0001) {
      const view = new DataView(extra.buffer, extra.byteOffset + p + 4, Math.min(len, extra.length - p - 4));
      let q = 0;
      const next = () => {
        if (q + 8 > view.byteLength) throw new InputFormatError('ZIP: ZIP64 extra field is truncated');
        const v = Number(view.getBigUint64(q, true));
        q += 8;
        return v;
      };
      const out: { size?: number; compressedSize?: number; offset?: number } = {};
      if (wantSize) out.size = next();
      if (wantCompressed) out.compressedSize = next();
      if (wantOffset) out.offset = next();
      return out;
    }
    p += 4 + len;
  }
  return undefined;
}
