import { InputFormatError } from './errors.js';
import { decodeUtf8, fromBase64 } from './util/bytes.js';
import { parsePem } from './util/pem.js';

export type DetectedInput =
  | { readonly kind: 'cms'; readonly der: Uint8Array; readonly encoding: 'der' | 'pem' | 'base64' }
  | { readonly kind: 'xml'; readonly bytes: Uint8Array }
  /** A ZIP archive: an ASiC container (EN 319 162-1), read by asic/. */
  | { readonly kind: 'zip'; readonly bytes: Uint8Array };

const CMS_PEM_LABELS = new Set(['PKCS7', 'CMS', 'PKCS #7 SIGNED DATA']);

/** Sniffs a signature's container: DER CMS, PEM CMS, bare base64 CMS, XML, or a ZIP (ASiC). Anything else is rejected. */
export function detectInput(bytes: Uint8Array): DetectedInput {
  if (bytes.length === 0) throw new InputFormatError('input is empty');
  if (bytes[0] === 0x30) return { kind: 'cms', der: bytes, encoding: 'der' };
  // "PK\x03\x04" (a local file header) or "PK\x05\x06" (the end record of an empty archive).
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6))) return { kind: 'zip', bytes };
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 BOM
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start++;
  if (bytes[start] === 0x3c /* < */) return { kind: 'xml', bytes };
  const text = decodeUtf8(bytes.subarray(start, Math.min(bytes.length, start + 64)));
  if (text.startsWith('-----BEGIN ')) {
    let blocks: ReturnType<typeof parsePem>;
    try {
      blocks = parsePem(decodeUtf8(bytes));
    } catch (e) {
      // Bad base64 inside a PEM block (found by the fuzzer: it escaped as a TypeError).
      throw new InputFormatError(`PEM block is not valid base64: ${(e as Error).message}`, { cause: e });
    }
    const cms = blocks.find((b) => CMS_PEM_LABELS.has(b.label));
    if (!cms) {
      const labels = blocks.map((b) => b.label).join(', ') || 'none complete';
      throw new InputFormatError(`PEM input has no PKCS7/CMS block (found: ${labels})`);
    }
    return { kind: 'cms', der: cms.der, encoding: 'pem' };
  }
  const all = decodeUtf8(bytes);
  if (/^[\sA-Za-z0-9+/=_-]+$/.test(all)) {
    let der: Uint8Array | undefined;
    try {
      der = fromBase64(all);
    } catch {
      // Plain text that merely uses the base64 alphabet: fall through to the general message.
    }
    if (der?.[0] === 0x30) return { kind: 'cms', der, encoding: 'base64' };
  }
  throw new InputFormatError('input is neither CMS (DER, PEM or base64), XML nor an ASiC container (ZIP)');
}
