/**
 * Node adapter: the same algorithms as WebCryptoProvider (same OID mapping,
 * same strict ECDSA signature decoding), computed with node:crypto directly.
 * Node's WebCrypto normalises every call's algorithm dictionary in JavaScript
 * and runs each digest/verify as a thread-pool job; for the small inputs of
 * signature validation that overhead is several times the math itself
 * (bench: ~100 µs per subtle.digest vs ~6 µs for createHash).
 *
 * The module is handed in rather than imported, so this file carries no
 * `node:` import and the platform-neutral bundle can use it where the runtime
 * offers node:crypto (src/crypto/defaults.ts); `ots-esig/node` passes its own import.
 */
import type * as NodeCrypto from 'node:crypto';
import { DIGEST_OIDS } from './algorithms.js';
import type { VerifyRequest } from './provider.js';
import type { PublicKeyFacts } from './spki.js';
import { ecdsaDerToRaw, WebCryptoProvider } from './webcrypto-provider.js';
import { tlvAt } from '../util/asn1-tree.js';
import { BytesCache } from '../util/bytes-cache.js';
import { lookupTable } from '../util/table.js';

const NODE_HASH: Record<string, string> = lookupTable({ 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' });

/** The part of node:crypto the provider uses (`webcrypto` and `KeyObject` only for importing EC keys on OpenSSL 3.0). */
export type NodeCryptoModule = Pick<typeof NodeCrypto, 'constants' | 'createHash' | 'createPublicKey' | 'verify'> & Partial<Pick<typeof NodeCrypto, 'webcrypto' | 'KeyObject'>>;

export class NodeCryptoProvider extends WebCryptoProvider {
  override readonly name: string = 'node-crypto';
  /** KeyObjects by the (immutable, cached) key facts of parsed certificates. */
  private readonly keyObjects = new WeakMap<PublicKeyFacts, NodeCrypto.KeyObject>();

  /** Where EC public keys are imported from their raw point (see newKey); undefined: as a JWK. */
  private readonly rawEcImport: { readonly subtle: SubtleCrypto; readonly from: (key: CryptoKey) => NodeCrypto.KeyObject } | undefined;

  constructor(private readonly node: NodeCryptoModule) {
    super();
    const openssl = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process?.versions?.openssl;
    const { webcrypto, KeyObject } = node;
    this.rawEcImport = openssl?.startsWith('3.0.') && webcrypto?.subtle && KeyObject ? { subtle: webcrypto.subtle as SubtleCrypto, from: (k) => KeyObject.from(k as never) } : undefined;
  }

  override async digest(oid: string, data: Uint8Array): Promise<Uint8Array> {
    const name = NODE_HASH[DIGEST_OIDS[oid] ?? ''];
    if (!name) return super.digest(oid, data);
    return new Uint8Array(this.node.createHash(name).update(data).digest());
  }

  override async verify(req: VerifyRequest): Promise<boolean> {
    const plan = this.plan(req);
    if (!plan) return false;
    const key = this.keyObjects.get(req.publicKey) ?? (await this.keyObject(req.publicKey));
    const hash = NODE_HASH[plan.resolved.digest];
    const { constants, verify: nodeVerify } = this.node;
    switch (plan.importParams.name) {
      case 'RSASSA-PKCS1-v1_5':
        return nodeVerify(hash!, req.data, { key, padding: constants.RSA_PKCS1_PADDING }, req.signature);
      case 'RSA-PSS':
        return nodeVerify(hash!, req.data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: (plan.verifyParams as RsaPssParams).saltLength }, req.signature);
      case 'ECDSA': {
        // Decode the DER signature exactly as the WebCrypto provider does, then verify the fixed-width form.
        const raw = ecdsaDerToRaw(req.signature, plan.ecdsaCoordinateBytes!);
        if (!raw) return false;
        return nodeVerify(hash!, req.data, { key, dsaEncoding: 'ieee-p1363' }, raw);
      }
      case 'Ed25519':
        return nodeVerify(null, req.data, key, req.signature);
      default:
        return super.verify(req);
    }
  }

  private async keyObject(facts: PublicKeyFacts): Promise<NodeCrypto.KeyObject> {
    let k = this.keysBySpki.get(facts.spki);
    if (!k) {
      k = await this.newKey(facts.spki);
      this.keysBySpki.set(facts.spki, k);
    }
    this.keyObjects.set(facts, k);
    return k;
  }

  /**
   * A KeyObject for `spki`. The numbers of a plain RSA or EC key are imported as a JWK (OpenSSL's DER decoder
   * costs 10-30x more than building the key from them); anything else goes to the DER decoder as it is.
   * On OpenSSL 3.0 (Node 20) an EC key is imported from its raw point through WebCrypto instead: the JWK import
   * there also multiplies the point by the group order (EC_KEY_check_key), which proves nothing more on these
   * prime-order curves than the point-on-curve check both imports make (callgrind, Node 20.20: import and first
   * verify 1.57M instructions against 1.98M). Node 22/24 (OpenSSL 3.5) import a JWK more cheaply than a raw point
   * (1.12-1.19M against 1.23-1.29M), so there the JWK stays. A point the raw import refuses goes to the JWK import,
   * which refuses it with the error it always gave (test/node-key-import.test.ts).
   */
  private async newKey(spki: Uint8Array): Promise<NodeCrypto.KeyObject> {
    const plain = plainKey(spki);
    if (plain?.kty === 'EC' && this.rawEcImport) {
      try {
        return this.rawEcImport.from(await this.rawEcImport.subtle.importKey('raw', plain.point as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: plain.crv }, false, ['verify']));
      } catch {
        /* refused: the JWK import below refuses it too, with its own message */
      }
    }
    const jwk = plain && jwkOf(plain);
    return jwk ? this.node.createPublicKey({ key: jwk, format: 'jwk' }) : this.node.createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
  }
  /** KeyObjects by exact SPKI bytes, bounded: the same key met again in another certificate object (a cache evicted it, a list repeats it). */
  private readonly keysBySpki = new BytesCache<NodeCrypto.KeyObject>(1024, 2048);
}

/** DER AlgorithmIdentifiers taken as JWKs, exactly as encoded (rsaEncryption with NULL, ecPublicKey with a named curve). */
const RSA_ALG = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);
const EC_PREFIX = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const EC_ALGS: readonly { readonly alg: Uint8Array; readonly crv: string; readonly size: number }[] = [
  { alg: Uint8Array.of(0x30, 0x13, ...EC_PREFIX, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07), crv: 'P-256', size: 32 },
  { alg: Uint8Array.of(0x30, 0x10, ...EC_PREFIX, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22), crv: 'P-384', size: 48 },
  { alg: Uint8Array.of(0x30, 0x10, ...EC_PREFIX, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23), crv: 'P-521', size: 66 },
];

const startsWith = (b: Uint8Array, at: number, prefix: Uint8Array) => at + prefix.length <= b.length && prefix.every((x, i) => b[at + i] === x);
const b64url = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

/** The numbers of a plain RSA key, or the uncompressed point of a plain named-curve EC key (views into the SPKI). */
type PlainKey = { readonly kty: 'RSA'; readonly n: Uint8Array; readonly e: Uint8Array } | { readonly kty: 'EC'; readonly crv: string; readonly size: number; readonly point: Uint8Array };

/**
 * The key held by `spki` when it is exactly a DER SubjectPublicKeyInfo of an
 * RSA key (rsaEncryption, NULL parameters, canonical positive INTEGERs) or of
 * an uncompressed P-256/384/521 point; otherwise undefined.
 */
function plainKey(spki: Uint8Array): PlainKey | undefined {
  const outer = tlvAt(spki, 0, spki.length);
  if (!outer || outer.tag !== 0x30 || outer.end !== spki.length) return undefined;
  const alg = tlvAt(spki, outer.contentStart, outer.end);
  const key = alg && tlvAt(spki, alg.end, outer.end);
  if (!alg || !key || key.tag !== 0x03 || key.end !== outer.end || key.end - key.contentStart < 2 || spki[key.contentStart] !== 0) return undefined;
  const bits = spki.subarray(key.contentStart + 1, key.end);
  if (alg.end - alg.start === RSA_ALG.length && startsWith(spki, alg.start, RSA_ALG)) {
    const seq = tlvAt(bits, 0, bits.length);
    const n = seq && seq.tag === 0x30 && seq.end === bits.length ? tlvAt(bits, seq.contentStart, seq.end) : undefined;
    const e = n && tlvAt(bits, n.end, seq!.end);
    if (!n || !e || n.tag !== 0x02 || e.tag !== 0x02 || e.end !== seq!.end) return undefined;
    const nv = positiveInteger(bits.subarray(n.contentStart, n.end));
    const ev = positiveInteger(bits.subarray(e.contentStart, e.end));
    return nv && ev ? { kty: 'RSA', n: nv, e: ev } : undefined;
  }
  for (const c of EC_ALGS) {
    if (alg.end - alg.start !== c.alg.length || !startsWith(spki, alg.start, c.alg)) continue;
    if (bits.length !== 1 + 2 * c.size || bits[0] !== 0x04) return undefined;
    return { kty: 'EC', crv: c.crv, size: c.size, point: bits };
  }
  return undefined;
}

function jwkOf(k: PlainKey): NodeCrypto.JsonWebKey {
  return k.kty === 'RSA' ? { kty: 'RSA', n: b64url(k.n), e: b64url(k.e) } : { kty: 'EC', crv: k.crv, x: b64url(k.point.subarray(1, 1 + k.size)), y: b64url(k.point.subarray(1 + k.size)) };
}

/**
 * The JWK of an RSA key (rsaEncryption, NULL parameters) or of an uncompressed
 * P-256/384/521 point, when `spki` is exactly such a DER SubjectPublicKeyInfo
 * with canonical positive INTEGERs; otherwise undefined. Only the encoding
 * changes: the numbers are the same, Node checks an EC point is on its curve
 * either way, and a key read either way is exported as the same SPKI
 * (test/node-key-import.test.ts).
 */
export function spkiJwk(spki: Uint8Array): NodeCrypto.JsonWebKey | undefined {
  const k = plainKey(spki);
  return k && jwkOf(k);
}

/** The uncompressed point (04 || x || y) and curve of a plain named-curve EC SPKI (as spkiJwk takes it); otherwise undefined. */
export function spkiEcPoint(spki: Uint8Array): { readonly crv: string; readonly point: Uint8Array } | undefined {
  const k = plainKey(spki);
  return k?.kty === 'EC' ? { crv: k.crv, point: k.point } : undefined;
}

/** The magnitude of a canonical (minimal, positive, non-zero) DER INTEGER's contents; undefined otherwise. */
function positiveInteger(c: Uint8Array): Uint8Array | undefined {
  if (c.length === 0 || c[0]! & 0x80) return undefined;
  if (c[0] === 0) return c.length > 1 && c[1]! & 0x80 ? c.subarray(1) : undefined;
  return c;
}
