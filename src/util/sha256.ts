import { toHex } from './bytes.js';

/** The one node:crypto function used here, as `process.getBuiltinModule` hands it out. */
type CreateHash = (algorithm: string) => { update(data: Uint8Array | string, encoding?: 'utf8'): { digest(): Uint8Array } };

/**
 * node:crypto's createHash on Node, found without an import (as crypto/defaults.ts finds the provider), so a
 * browser bundle names no Node module; undefined elsewhere (browsers, Deno, Bun), which use WebCrypto.
 */
const createHash: CreateHash | undefined = (() => {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: Record<string, string | undefined> } }).process;
  if (typeof runtime?.versions?.node !== 'string' || runtime.versions.bun !== undefined || runtime.versions.deno !== undefined || 'Deno' in globalThis) return undefined;
  try {
    const m = runtime.getBuiltinModule?.('node:crypto') as { createHash?: CreateHash } | undefined;
    return typeof m?.createHash === 'function' ? m.createHash : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * SHA-256 of `bytes` as lower-case hex: identities of certificates, trusted lists and policies. On Node a
 * synchronous createHash (a few µs); WebCrypto's subtle.digest is a thread-pool job there (~50 µs, much
 * more under load). Elsewhere WebCrypto.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (createHash) return toHex(createHash('sha256').update(bytes).digest());
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as BufferSource)));
}

/**
 * SHA-256 of `text`'s UTF-8 encoding, as sha256Hex(new TextEncoder().encode(text)) but without the encoded copy
 * on Node (createHash reads the string itself: a 5 MB trusted list given as text). Only for text without
 * UTF-16 surrogates, whose encoding both ways agree on; callers with other text hash the TextEncoder bytes.
 */
export async function sha256HexOfText(text: string): Promise<string> {
  if (createHash) return toHex(createHash('sha256').update(text, 'utf8').digest());
  return sha256Hex(new TextEncoder().encode(text));
}
