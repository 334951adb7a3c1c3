import type { AlgorithmId, DigestName } from './algorithms.js';
import type { PublicKeyFacts } from './spki.js';

/** One signature verification: the algorithm, the signer's key, the exact signed bytes and the signature. */
export interface VerifyRequest {
  readonly signatureAlgorithm: AlgorithmId;
  /** For algorithms whose OID names no digest (rsaEncryption, ecPublicKey in a SignerInfo). */
  readonly digestAlgorithm?: AlgorithmId;
  readonly publicKey: PublicKeyFacts;
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
}

/** What a signature algorithm resolves to, for policy decisions and reports. */
export interface ResolvedSignatureAlgorithm {
  readonly name: string;
  readonly digest: DigestName;
  readonly key: string;
  readonly keyBits: number;
}

/**
 * A crypto provider implements algorithms by OID. Providers are consulted in
 * registration order; the first that claims an OID handles it.
 */
export interface CryptoProvider {
  readonly name: string;
/** Whether this provider computes the digest algorithm `oid`. */
  supportsDigest(oid: string): boolean;
  /** A readable name for a digest OID this provider implements (for reports), if it has one. */
  digestName?(oid: string): string | undefined;
/** The digest of `data` with the algorithm `oid` (one `supportsDigest` claims). */
  digest(oid: string, data: Uint8Array): Promise<Uint8Array>;
  /** Resolve the algorithm, or undefined when this provider does not implement it. */
  resolveSignature(req: Omit<VerifyRequest, 'data' | 'signature'>): ResolvedSignatureAlgorithm | undefined;
  /** Returns false for a wrong signature; throws only for malformed keys or parameters. */
  verify(req: VerifyRequest): Promise<boolean>;
  /**
   * XML-DSig names of this provider's algorithms (optional): the signature OID an XML SignatureMethod URI
   * means, and the digest OID a DigestMethod URI means. An optional provider's URIs live with it, so the
   * main bundle carries no table for algorithms it cannot compute.
   */
  xmlSignatureMethod?(uri: string): string | undefined;
/** The digest OID an XML-DSig DigestMethod URI means, if this provider implements it. */
  xmlDigestMethod?(uri: string): string | undefined;
}
