import { UnsupportedAlgorithmError } from '../errors.js';
import { DIGEST_OIDS } from './algorithms.js';
import type { CryptoProvider, ResolvedSignatureAlgorithm, VerifyRequest } from './provider.js';
import { defaultProviders } from './defaults.js';
import { mapped } from '../util/list.js';

/**
 * Looks algorithms up by OID across providers. A registry starts with the
 * runtime's own crypto (src/crypto/defaults.ts: node:crypto on Node, else
 * WebCrypto); callers add providers (e.g. GOST) to a registry of their own and
 * pass it in the verify options, so no global state changes. Pass
 * `[new WebCryptoProvider()]` to use WebCrypto on Node too.
 */
export class AlgorithmRegistry {
  private readonly providers: CryptoProvider[];

  constructor(providers: CryptoProvider[] = defaultProviders()) {
    this.providers = [...providers];
  }

  /** Providers registered later take precedence, so a caller can override the default for an OID. */
  register(provider: CryptoProvider): this {
    this.providers.unshift(provider);
    return this;
  }

/** The registered providers' names, in the order they are consulted. */
  get providerNames(): string[] {
    return mapped(this.providers, (p) => p.name);
  }

/** Whether some registered provider computes the digest algorithm `oid`. */
  supportsDigest(oid: string): boolean {
    return this.providers.some((p) => p.supportsDigest(oid));
  }

  /** The digest's name for reports: the standard table first, then any provider's own name, else the OID. */
  digestName(oid: string): string {
    return DIGEST_OIDS[oid] ?? this.providers.map((p) => p.digestName?.(oid)).find((n) => n !== undefined) ?? oid;
  }

/** The digest of `data` with `oid`, by the first provider that supports it; UnsupportedAlgorithmError when none does. */
  async digest(oid: string, data: Uint8Array): Promise<Uint8Array> {
    const p = this.providers.find((x) => x.supportsDigest(oid));
    if (!p) throw new UnsupportedAlgorithmError(oid, `no provider implements digest algorithm ${this.digestName(oid)}`);
    return p.digest(oid, data);
  }

/** What the signature algorithm and key of `req` resolve to (first provider that implements them); UnsupportedAlgorithmError when none does. */
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

  /** The signature OID a provider gives an XML SignatureMethod URI (the XML layer's own table comes first). */
  xmlSignatureMethod(uri: string): string | undefined {
    for (const p of this.providers) {
      const oid = p.xmlSignatureMethod?.(uri);
      if (oid) return oid;
    }
    return undefined;
  }

  /** The digest OID a provider gives an XML DigestMethod URI. */
  xmlDigestMethod(uri: string): string | undefined {
    for (const p of this.providers) {
      const oid = p.xmlDigestMethod?.(uri);
      if (oid) return oid;
    }
    return undefined;
  }

/** Verifies one signature with the first provider that implements its algorithm and key: false for a wrong signature; UnsupportedAlgorithmError when no provider implements it. */
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
