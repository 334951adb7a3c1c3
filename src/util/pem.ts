import { fromBase64 } from './bytes.js';
import { decodeUtf8 } from './bytes.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in the text, in order. Headers (RFC 1421 "Proc-Type:") are not supported: not used for certs/CMS. */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    blocks.push({ label: m[1]!, der: fromBase64(m[2]!) });
  }
  return blocks;
}

/** "-----BEGIN " in ASCII. */
const BEGIN = [0x2d, 0x2d, 0x2d, 0x2d, 0x2d, 0x42, 0x45, 0x47, 0x49, 0x4e, 0x20];
const DASH = 0x2d;
/** A character of a PEM label: A-Z, 0-9 or space. */
const isLabelByte = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x20;

/**
 * Whether the first 4 KiB hold a PEM header (`-----BEGIN LABEL-----`, LABEL of A-Z, 0-9 and spaces). Read from the
 * bytes rather than from their UTF-8 decoding: the header is ASCII, and a UTF-8 decoder passes every ASCII byte
 * through as itself, so the answer is the same; createContext asks it of every CRL and anchor the caller passes, on
 * every verify (a batch's options carry them for each file), and decoding 4 KiB of DER as text each time was ~4% of
 * a batch's CPU.
 */
export function looksLikePem(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 4096);
  for (let i = bytes.indexOf(DASH); i !== -1 && i + BEGIN.length < end; i = bytes.indexOf(DASH, i + 1)) {
    let k = 0;
    while (k < BEGIN.length && bytes[i + k] === BEGIN[k]) k++;
    if (k < BEGIN.length) continue;
    let j = i + BEGIN.length;
    while (j < end && isLabelByte(bytes[j]!)) j++;
    if (j === i + BEGIN.length || j + 5 > end) continue;
    if (bytes[j] === DASH && bytes[j + 1] === DASH && bytes[j + 2] === DASH && bytes[j + 3] === DASH && bytes[j + 4] === DASH) return true;
  }
  return false;
}

/**
 * DER objects from a file that may be DER or PEM with one or many blocks.
 * `labels` restricts which PEM blocks are taken (e.g. certificates only).
 */
export function derObjectsFrom(bytes: Uint8Array, labels?: readonly string[]): Uint8Array[] {
  if (!looksLikePem(bytes)) return [bytes];
  const blocks = parsePem(decodeUtf8(bytes));
  return blocks.filter((b) => !labels || labels.includes(b.label)).map((b) => b.der);
}
