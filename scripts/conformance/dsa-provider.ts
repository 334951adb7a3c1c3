/**
 * DSA signature verification with node:crypto, for the PKITS DSA cases only
 * (4.1.4-4.1.6). The library's registry is WebCrypto, which has no DSA; this
 * is harness-side, registered only in the PKITS runner's registry.
 */
import { createPublicKey, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { CryptoProvider, ResolvedSignatureAlgorithm, VerifyRequest } from '../../src/crypto/provider.js';

const ID_DSA = '1.2.840.10040.4.1';
const DSA_SIGNATURES: Record<string, { name: string; digest: 'SHA-1' | 'SHA-256'; node: string }> = {
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', digest: 'SHA-1', node: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', digest: 'SHA-256', node: 'sha256' },
};

export class NodeDsaProvider implements CryptoProvider {
  readonly name = 'node-dsa (conformance harness)';
  supportsDigest(): boolean {
    return false;
  }
  async digest(): Promise<Uint8Array> {
    throw new Error('node-dsa provides no digests');
  }
  resolveSignature(req: Omit<VerifyRequest, 'data' | 'signature'>): ResolvedSignatureAlgorithm | undefined {
    const alg = DSA_SIGNATURES[req.signatureAlgorithm.oid];
    if (!alg || req.publicKey.algorithmOid !== ID_DSA) return undefined;
    return { name: alg.name, digest: alg.digest, key: 'DSA', keyBits: primeBits(req.publicKey.parametersDer) };
  }
  async verify(req: VerifyRequest): Promise<boolean> {
    const alg = DSA_SIGNATURES[req.signatureAlgorithm.oid]!;
    const key = createPublicKey({ key: Buffer.from(req.publicKey.spki), format: 'der', type: 'spki' });
    return verify(alg.node, req.data, key, req.signature);
  }
}

/** Bit length of p in Dss-Parms ::= SEQUENCE { p, q, g }; 0 when the parameters are absent (the policy then refuses the key). */
function primeBits(params: Uint8Array | undefined): number {
  if (!params) return 0;
  const seq = asn1js.fromBER(params.slice().buffer as ArrayBuffer).result as asn1js.Sequence;
  const p = seq.valueBlock?.value?.[0];
  if (!(p instanceof asn1js.Integer)) return 0;
  const b = p.valueBlock.valueHexView;
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return i < b.length ? (b.length - i) * 8 - (Math.clz32(b[i]!) - 24) : 0;
}
