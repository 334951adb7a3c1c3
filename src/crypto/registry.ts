import { UnsupportedAlgorithmError } from '../errors.js';
import { DIGEST_OIDS } from './algorithms.js';
import type { CryptoProvider, ResolvedSignatureAlgorithm, VerifyRequest } from './provider.js';
import { WebCryptoProvider } from './webcrypto-provider.js';

/**
 * Looks algorithms up by OID across providers. The default registry has the
 * platform WebCrypto only; callers add providers (e.g. GOST) to a registry of
 * their own and pass it in the verify options, so no global state changes.
 */
export class AlgorithmRegistry {
  private readonly providers: CryptoProvider[];

  constructor(providers: CryptoProvider[] = [new WebCryptoProvider()]) {
    this.providers = [...providers];
  }

  /** Providers registered later take precedence, so a caller can override the default for an OID. */
  register(provider: CryptoProvider): this {
    this.providers.unshift(provider);
    return this;
  }

  get providerNames(): string[] {
    return this.providers.map((p) => p.name);
  }

  supportsDigest(oid: string): boolean {
    return this.providers.some((p) => p.supportsDigest(oid));
  }

  /** The digest's name for reports: the standard table first, then any provider's own name, else the OID. */
  digestName(oid: string): string {
    return DIGEST_OIDS[oid] ?? this.providers.map((p) => p.digestName?.(oid)).find((n) => n !== undefined) ?? oid;
  }

  async digest(oid: string, data: Uint8Array): Promise<Uint8Array> {
    const p = this.providers.find((x) => x.supportsDigest(oid));
    if (!p) throw new UnsupportedAlgorithmError(oid, `no provider implements digest algorithm ${this.digestName(oid)}`);
    return p.digest(oid, data);
  }

  resolveSignature(req: Omit<VerifyRequest, 'data' | 'signature'>): ResolvedSignatureAlgorithm {
    for (const p of this.providers) {
      const r = p.resolveSignature(req);
      if (r) return r;
    }
    throw new UnsupportedAlgorithmError(
      req.signatureAlgorithm.oid,
      `no provider implements signature algorithm ${req.signatureAlgorithm.oid} with key ${req.publicKey.algorithmOid}` +
        (req.publicKey.parameterOid ? ` (${req.publicKey.parameterOid})` : ''),
    );
  }

  async verify(req: VerifyRequest): Promise<boolean> {
    for (const p of this.providers) {
      if (p.resolveSignature(req)) return p.verify(req);
    }
    throw new UnsupportedAlgorithmError(req.signatureAlgorithm.oid);
  }
}

let defaultRegistry: AlgorithmRegistry | undefined;
export function getDefaultRegistry(): AlgorithmRegistry {
  return (defaultRegistry ??= new AlgorithmRegistry());
}
