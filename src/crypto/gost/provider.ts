import type { CryptoProvider, ResolvedSignatureAlgorithm, VerifyRequest } from '../provider.js';
import { gostDigest, gostVerifyLE } from './engine.js';
import { readGostPublicKey, type GostPublicKey } from './keys.js';
import { GOST_CURVES, GOST_DIGESTS, GOST_KEYS, GOST_SIGNATURES, type GostSignatureSpec } from './oids.js';
import { GOST_XML_DIGEST_METHODS, GOST_XML_SIGNATURE_METHODS } from './xml-uris.js';

interface GostPlan {
  readonly resolved: ResolvedSignatureAlgorithm;
  readonly key: GostPublicKey;
  readonly signature: GostSignatureSpec;
}

/**
 * GOST R 34.10-2012 (256/512, Streebog), GOST R 34.10-2001 / R 34.11-94, and
 * Kazakhstan's GOST 34.310-2004 / 34.311-95 and GOST 34.10-2015-512 under the
 * KZ OID arc. Register it on an AlgorithmRegistry:
 *
 *   const registry = new AlgorithmRegistry().register(new GostProvider());
 *   await verify(sig, { registry, algorithmPolicy: GOST_ALGORITHM_POLICY });
 */
export class GostProvider implements CryptoProvider {
  readonly name = 'gost';

  supportsDigest(oid: string): boolean {
    return oid in GOST_DIGESTS;
  }

  digestName(oid: string): string | undefined {
    return GOST_DIGESTS[oid]?.name;
  }

  async digest(oid: string, data: Uint8Array): Promise<Uint8Array> {
    const spec = GOST_DIGESTS[oid];
    if (!spec) throw new Error(`gost provider: unknown digest ${oid}`);
    return gostDigest(spec, data);
  }

  resolveSignature(req: Omit<VerifyRequest, 'data' | 'signature'>): ResolvedSignatureAlgorithm | undefined {
    return this.plan(req)?.resolved;
  }

  xmlSignatureMethod(uri: string): string | undefined {
    return GOST_XML_SIGNATURE_METHODS[uri];
  }

  xmlDigestMethod(uri: string): string | undefined {
    return GOST_XML_DIGEST_METHODS[uri];
  }

  private plan(req: Omit<VerifyRequest, 'data' | 'signature'>): GostPlan | undefined {
    const signature = signatureSpec(req.signatureAlgorithm.oid, req.digestAlgorithm?.oid);
    if (!signature || signature.keyOid !== req.publicKey.algorithmOid) return undefined;
    // A SignerInfo's digestAlgorithm must agree with what the signature algorithm implies.
    if (req.digestAlgorithm && req.digestAlgorithm.oid !== signature.digestOid && GOST_DIGESTS[req.digestAlgorithm.oid]?.name !== GOST_DIGESTS[signature.digestOid]!.name) return undefined;
    const key = readGostPublicKey(req.publicKey);
    if (!key?.curve) return undefined;
    const digest = GOST_DIGESTS[signature.digestOid]!;
    // The digest length is the key length in GOST R 34.10-2012; 2001/2004 keys use the 256-bit 34.11-94 family.
    if (digest.version === 2012 && digest.length !== key.spec.bits) return undefined;
    return {
      resolved: { name: signature.name, digest: digest.name, key: key.spec.family, keyBits: key.spec.bits },
      key,
      signature,
    };
  }

  async verify(req: VerifyRequest): Promise<boolean> {
    const plan = this.plan(req);
    if (!plan) return false;
    const { key } = plan;
    // RFC 4491 stores s‖r big-endian = the reverse of the engine's little-endian r‖s; the KZ NCA stores r‖s little-endian.
    const sig = key.spec.layout === 'rfc4491' ? Uint8Array.from(req.signature).reverse() : req.signature;
    return gostVerifyLE({ curve: key.curve!, params: key.curveParams, bits: key.spec.bits, digest: GOST_DIGESTS[plan.signature.digestOid] }, key.xy, sig, req.data);
  }
}

/**
 * The signature scheme for an OID. In a CMS SignerInfo the signatureAlgorithm
 * may be the key's OID (RFC 4490 §3.2 uses id-GostR3410-2001 there); the
 * digestAlgorithm then picks the scheme.
 */
function signatureSpec(oid: string, digestOid: string | undefined): GostSignatureSpec | undefined {
  const direct = GOST_SIGNATURES[oid];
  if (direct) return direct;
  if (!GOST_KEYS[oid] || !digestOid) return undefined;
  const digest = GOST_DIGESTS[digestOid];
  if (!digest) return undefined;
  // Kalkan names the same hash by two OIDs (1.2.398.3.10.1.3.1 and …3.1.1.0): match by the hash, not the OID spelling.
  return Object.values(GOST_SIGNATURES).find((s) => s.keyOid === oid && GOST_DIGESTS[s.digestOid]!.name === digest.name);
}

/** Describes a GOST key's parameter set for reports (undefined for non-GOST keys). */
export function describeGostKey(key: Parameters<typeof readGostPublicKey>[0]): { family: string; bits: number; parameterSet: string } | undefined {
  const k = readGostPublicKey(key);
  if (!k) return undefined;
  return { family: k.spec.family, bits: k.spec.bits, parameterSet: GOST_CURVES[k.paramSetOid]?.name ?? k.paramSetOid };
}
