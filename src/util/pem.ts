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

export function looksLikePem(bytes: Uint8Array): boolean {
  const head = decodeUtf8(bytes.subarray(0, Math.min(bytes.length, 4096)));
  return /-----BEGIN [A-Z0-9 ]+-----/.test(head);
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
