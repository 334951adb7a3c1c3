import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesKey, toArrayBuffer } from '../util/bytes.js';
import { CURVE_OIDS, DIGEST_OIDS, SIGNATURE_OIDS, type DigestName } from './algorithms.js';
import type { CryptoProvider, ResolvedSignatureAlgorithm, VerifyRequest } from './provider.js';
import { LruCache } from '../util/lru.js';
import type { PublicKeyFacts } from './spki.js';

const RSA_KEY_OIDS = new Set(['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.10']);
const EC_KEY_OID = '1.2.840.10045.2.1';

export interface WebCryptoPlan {
  resolved: ResolvedSignatureAlgorithm;
  importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  verifyParams: Algorithm | EcdsaParams | RsaPssParams;
  ecdsaCoordinateBytes?: number;
}

/** The platform's WebCrypto (`globalThis.crypto.subtle`): RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256/384/521, Ed25519. */
export class WebCryptoProvider implements CryptoProvider {
  readonly name: string = 'webcrypto';
  private readonly subtle: SubtleCrypto;
  private readonly keys = new LruCache<string, Promise<CryptoKey>>(512);
  private readonly keysByFacts = new WeakMap<PublicKeyFacts, Map<string, Promise<CryptoKey>>>();

  constructor(subtle: SubtleCrypto = globalThis.crypto.subtle) {
    this.subtle = subtle;
  }

  supportsDigest(oid: string): boolean {
    const name = DIGEST_OIDS[oid];
    return name !== undefined && name !== 'MD5' && name !== 'SHA-224';
  }

  async digest(oid: string, data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await this.subtle.digest(DIGEST_OIDS[oid]!, data as BufferSource));
  }

  resolveSignature(req: Omit<VerifyRequest, 'data' | 'signature'>): ResolvedSignatureAlgorithm | undefined {
    return this.plan(req)?.resolved;
  }

  protected plan(req: Omit<VerifyRequest, 'data' | 'signature'>): WebCryptoPlan | undefined {
    const info = SIGNATURE_OIDS[req.signatureAlgorithm.oid];
    if (!info) return undefined;
    const key = req.publicKey;
    let digest: DigestName | undefined = info.digest ?? (req.digestAlgorithm && DIGEST_OIDS[req.digestAlgorithm.oid]);
    switch (info.key) {
      case 'RSA': {
        if (!RSA_KEY_OIDS.has(key.algorithmOid) || !digest || !this.webDigest(digest)) return undefined;
        const alg = { name: 'RSASSA-PKCS1-v1_5', hash: digest };
        // A SignerInfo may say just rsaEncryption; report the effective algorithm.
        const name = info.digest ? info.name : `${digest.replace('-', '').toLowerCase()}WithRSAEncryption`;
        return { resolved: { name, digest, key: 'RSA', keyBits: key.bits }, importParams: alg, verifyParams: alg };
      }
      case 'RSA-PSS': {
        if (!RSA_KEY_OIDS.has(key.algorithmOid)) return undefined;
        const pss = parsePssParams(req.signatureAlgorithm.params);
        if (!pss || !this.webDigest(pss.hash)) return undefined;
        digest = pss.hash;
        return {
          resolved: { name: info.name, digest, key: 'RSA-PSS', keyBits: key.bits },
          importParams: { name: 'RSA-PSS', hash: digest } as RsaHashedImportParams,
          verifyParams: { name: 'RSA-PSS', saltLength: pss.saltLength } as RsaPssParams,
        };
      }
      case 'EC': {
        const curve = key.parameterOid ? CURVE_OIDS[key.parameterOid] : undefined;
        if (key.algorithmOid !== EC_KEY_OID || !curve || !digest || !this.webDigest(digest)) return undefined;
        return {
          resolved: { name: info.name === 'ecPublicKey' ? `ecdsa-with-${digest.replace('-', '')}` : info.name, digest, key: `EC ${curve.name}`, keyBits: curve.bits },
          importParams: { name: 'ECDSA', namedCurve: curve.name } as EcKeyImportParams,
          verifyParams: { name: 'ECDSA', hash: digest } as EcdsaParams,
          ecdsaCoordinateBytes: Math.ceil(curve.bits / 8),
        };
      }
      case 'Ed25519': {
        if (key.algorithmOid !== '1.3.101.112') return undefined;
        return {
          resolved: { name: 'Ed25519', digest: 'SHA-512', key: 'Ed25519', keyBits: 256 },
          importParams: { name: 'Ed25519' },
          verifyParams: { name: 'Ed25519' },
        };
      }
      default:
        return undefined;
    }
  }

  private webDigest(d: DigestName): boolean {
    return d === 'SHA-1' || d === 'SHA-256' || d === 'SHA-384' || d === 'SHA-512';
  }

  /**
   * The CryptoKey for `key` with `params`, imported once. Keys of parsed
   * certificates are found by object identity (no per-call work on the SPKI
   * bytes); other keys by their exact bytes in a bounded LRU.
   */
  private importedKey(key: PublicKeyFacts, params: WebCryptoPlan['importParams']): Promise<CryptoKey> {
    const paramsKey = importParamsKey(params);
    let byParams = this.keysByFacts.get(key);
    let p = byParams?.get(paramsKey);
    if (p) return p;
    const lruKey = `${paramsKey}|${bytesKey(key.spki)}`;
    p = this.keys.get(lruKey);
    if (!p) {
      p = this.subtle.importKey('spki', toArrayBuffer(key.spki), params, false, ['verify']);
      this.keys.set(lruKey, p);
      p.catch(() => {
        this.keys.delete(lruKey);
        this.keysByFacts.get(key)?.delete(paramsKey);
      });
    }
    if (!byParams) this.keysByFacts.set(key, (byParams = new Map()));
    byParams.set(paramsKey, p);
    return p;
  }

  async verify(req: VerifyRequest): Promise<boolean> {
    const plan = this.plan(req);
    if (!plan) return false;
    let signature = req.signature;
    if (plan.ecdsaCoordinateBytes) {
      const raw = ecdsaDerToRaw(signature, plan.ecdsaCoordinateBytes);
      if (!raw) return false;
      signature = raw;
    }
    const cryptoKey = await this.importedKey(req.publicKey, plan.importParams);
    return this.subtle.verify(plan.verifyParams, cryptoKey, signature as BufferSource, req.data as BufferSource);
  }
}

/** The import parameters as a short string: the algorithm name plus the hash or curve it is bound to. */
function importParamsKey(p: WebCryptoPlan['importParams']): string {
  const q = p as { name: string; hash?: string; namedCurve?: string };
  return `${q.name}/${q.hash ?? q.namedCurve ?? ''}`;
}

function parsePssParams(der: Uint8Array | undefined): { hash: DigestName; saltLength: number } | undefined {
  if (!der) return { hash: 'SHA-1', saltLength: 20 };
  try {
    const asn = asn1js.fromBER(toArrayBuffer(der));
    if (asn.offset === -1) return undefined;
    const params = new pkijs.RSASSAPSSParams({ schema: asn.result });
    const hash = DIGEST_OIDS[params.hashAlgorithm.algorithmId];
    const mgfHashId = params.maskGenAlgorithm.algorithmParams
      ? new pkijs.AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams }).algorithmId
      : '1.3.14.3.2.26';
    // WebCrypto ties the MGF1 hash to the message hash; other combinations cannot be verified faithfully.
    if (!hash || DIGEST_OIDS[mgfHashId] !== hash || params.trailerField !== 1) return undefined;
    return { hash, saltLength: params.saltLength };
  } catch {
    return undefined;
  }
}

/**
 * ECDSA-Sig-Value (SEQUENCE of two INTEGERs, RFC 5480 / X9.62) to the fixed-width r||s that WebCrypto
 * expects; undefined unless the value is strict DER. BER leniency (another tag, long or indefinite
 * lengths, padded or negative INTEGERs, trailing bytes) would give one signature many accepted
 * encodings (malleability), so it is refused as strict verifiers (OpenSSL, BouncyCastle) do.
 */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  const seq = derTlv(der, 0, 0x30);
  if (!seq || seq.end !== der.length) return undefined;
  const out = new Uint8Array(size * 2);
  let pos = seq.start;
  for (let i = 0; i < 2; i++) {
    const int = derTlv(der, pos, 0x02);
    if (!int || int.end > seq.end) return undefined;
    let v = der.subarray(int.start, int.end);
    if (v.length === 0 || (v[0]! & 0x80) !== 0) return undefined; // empty or negative
    if (v[0] === 0) {
      // A leading zero octet is allowed only to keep a high bit positive (X.690 8.3.2); r, s ≥ 1.
      if (v.length === 1 || (v[1]! & 0x80) === 0) return undefined;
      v = v.subarray(1);
    }
    if (v.length > size) return undefined;
    out.set(v, i * size + (size - v.length));
    pos = int.end;
  }
  return pos === seq.end ? out : undefined;
}

/** One DER TLV with the expected single-octet tag at `at`: content bounds, or undefined (definite, minimal length only). */
function derTlv(b: Uint8Array, at: number, tag: number): { start: number; end: number } | undefined {
  if (at + 2 > b.length || b[at] !== tag) return undefined;
  const first = b[at + 1]!;
  let len: number;
  let start: number;
  if (first < 0x80) {
    len = first;
    start = at + 2;
  } else if (first === 0x81) {
    if (at + 3 > b.length || b[at + 2]! < 0x80) return undefined; // would fit the short form
    len = b[at + 2]!;
    start = at + 3;
  } else if (first === 0x82) {
    if (at + 4 > b.length || b[at + 2] === 0) return undefined; // leading zero length octet
    len = (b[at + 2]! << 8) | b[at + 3]!;
    start = at + 4;
  } else {
    return undefined; // indefinite (0x80) or absurdly long for a signature value
  }
  const end = start + len;
  return end <= b.length ? { start, end } : undefined;
}
