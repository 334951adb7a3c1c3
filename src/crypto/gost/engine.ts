import GostSign from 'node-gost-crypto/lib/gostSign.js';
import GostDigest from 'node-gost-crypto/lib/gostDigest.js';
import type { GostCurveParams, GostDigestSpec } from './oids.js';

/**
 * The arithmetic, from node-gost-crypto (pure JS, no Node built-ins). Only its
 * GostSign and GostDigest classes are loaded — not its ASN.1/CMS/certificate
 * layers, which we do ourselves. The engine's conventions are little-endian
 * throughout: public key x‖y, signature r‖s, and the digest read as a
 * little-endian integer; callers convert other layouts before calling.
 */

/** A fresh, exactly-sized ArrayBuffer (Node Buffers are views into a shared pool, and Buffer#slice does not copy). */
function ab(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer as ArrayBuffer;
}

export interface GostCurveUse {
  /** node-gost-crypto curve name, or a label for `params`. */
  readonly curve: string;
  /** Explicit curve parameters, for curves the engine has no name for. */
  readonly params?: GostCurveParams;
  readonly bits: 256 | 512;
  /** Undefined: the data is already the digest (test vectors). */
  readonly digest?: GostDigestSpec;
}

function signer(use: GostCurveUse, ukm?: Uint8Array): GostSign {
  return new GostSign({
    name: 'GOST R 34.10',
    // The engine derives the hash version from this: 2001 → GOST R 34.11-94, 2012 → Streebog of the key's length.
    version: use.digest?.version === 1994 ? 2001 : 2012,
    length: use.bits,
    ...(use.params ? { curve: use.params } : { namedCurve: use.curve }),
    hash: use.digest ? { name: 'GOST R 34.11', version: use.digest.version, length: use.digest.length, sBox: use.digest.sBox } : undefined,
    ukm: ukm ? ab(ukm) : undefined,
  });
}

const verifiers = new Map<string, GostSign>();

/** Verify r‖s (little-endian) over `data` with public key x‖y (little-endian). */
export function gostVerifyLE(use: GostCurveUse, publicKey: Uint8Array, signature: Uint8Array, data: Uint8Array): boolean {
  const size = use.bits / 8;
  if (publicKey.length !== 2 * size || signature.length !== 2 * size) return false;
  const k = `${use.curve}|${use.bits}|${use.digest?.name ?? '-'}|${use.digest?.sBox ?? ''}`;
  let v = verifiers.get(k);
  if (!v) verifiers.set(k, (v = signer(use)));
  return v.verify(ab(publicKey), ab(signature), ab(data));
}

/** Sign `data` with the little-endian private key; r‖s little-endian. `ukm` fixes the nonce (test vectors only). */
export function gostSignLE(use: GostCurveUse, privateKey: Uint8Array, data: Uint8Array, ukm?: Uint8Array): Uint8Array {
  return new Uint8Array(signer(use, ukm).sign(ab(privateKey), ab(data)));
}

/** A fresh key pair: private key and x‖y, both little-endian. */
export function gostGenerateKeyLE(use: Omit<GostCurveUse, 'digest'>): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const k = signer(use).generateKey();
  return { privateKey: new Uint8Array(k.privateKey), publicKey: new Uint8Array(k.publicKey) };
}

export function gostDigest(spec: GostDigestSpec, data: Uint8Array): Uint8Array {
  const d = new GostDigest({ name: 'GOST R 34.11', version: spec.version, length: spec.length, sBox: spec.sBox });
  return new Uint8Array(d.digest(ab(data)));
}
