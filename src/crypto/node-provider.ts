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

const NODE_HASH: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** The part of node:crypto the provider uses. */
export type NodeCryptoModule = Pick<typeof NodeCrypto, 'constants' | 'createHash' | 'createPublicKey' | 'verify'>;

export class NodeCryptoProvider extends WebCryptoProvider {
  override readonly name: string = 'node-crypto';
  /** KeyObjects by the (immutable, cached) key facts of parsed certificates. */
  private readonly keyObjects = new WeakMap<PublicKeyFacts, NodeCrypto.KeyObject>();

  constructor(private readonly node: NodeCryptoModule) {
    super();
  }

  override async digest(oid: string, data: Uint8Array): Promise<Uint8Array> {
    const name = NODE_HASH[DIGEST_OIDS[oid] ?? ''];
    if (!name) return super.digest(oid, data);
    return new Uint8Array(this.node.createHash(name).update(data).digest());
  }

  override async verify(req: VerifyRequest): Promise<boolean> {
    const plan = this.plan(req);
    if (!plan) return false;
    const key = this.keyObject(req.publicKey);
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

  private keyObject(facts: PublicKeyFacts): NodeCrypto.KeyObject {
    let k = this.keyObjects.get(facts);
    if (!k) {
      k = this.node.createPublicKey({ key: Buffer.from(facts.spki.buffer, facts.spki.byteOffset, facts.spki.byteLength), format: 'der', type: 'spki' });
      this.keyObjects.set(facts, k);
    }
    return k;
  }
}
