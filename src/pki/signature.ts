import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import type { PublicKeyFacts } from '../crypto/spki.js';
import { OtsEsigError } from '../errors.js';
import { verifiedOnce } from './cache.js';

/** Anything signed the X.509 way: to-be-signed bytes, an algorithm and a signature value. */
export interface SignedObject {
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmId;
  readonly signatureValue: Uint8Array;
}

export type SignatureCheck =
  | { readonly ok: true; readonly algorithm: ResolvedSignatureAlgorithm }
  | { readonly ok: false; readonly reason: string; readonly algorithm?: ResolvedSignatureAlgorithm; readonly unsupported?: boolean };

/** Verifies `obj` with the public key of `signer`; unknown algorithms are a failed check naming the OID, never a throw. */
export async function verifySignedBy(
  registry: AlgorithmRegistry,
  obj: SignedObject,
  signer: { readonly publicKey: PublicKeyFacts },
): Promise<SignatureCheck> {
  const req = { signatureAlgorithm: obj.signatureAlgorithm, publicKey: signer.publicKey };
  let algorithm: ResolvedSignatureAlgorithm;
  try {
    algorithm = registry.resolveSignature(req);
  } catch (e) {
    if (e instanceof OtsEsigError) return { ok: false, reason: e.message, unsupported: true };
    throw e;
  }
  try {
    // Certificate/CRL signature outcomes are computed once per (object, key, providers): see pki/cache.ts.
    const ok = await verifiedOnce(obj, signer.publicKey, registry.providerNames.join(','), () =>
      registry.verify({ ...req, data: obj.tbs, signature: obj.signatureValue }),
    );
    return ok ? { ok: true, algorithm } : { ok: false, reason: 'signature does not verify', algorithm };
  } catch (e) {
    return { ok: false, reason: `signature could not be verified: ${(e as Error).message}`, algorithm };
  }
}
