/**
 * What an algorithm OID means, independent of who implements it. Providers
 * (WebCrypto by default, optional ones such as GOST) implement these by OID.
 */
import { lookupTable } from '../util/table.js';

export type DigestName = 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | (string & {});
export type KeyAlgorithmName = 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | (string & {});

export const DIGEST_OIDS: Readonly<Record<string, DigestName>> = lookupTable({
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
});

export const DIGEST_OID_BY_NAME: Readonly<Record<string, string>> = lookupTable(Object.fromEntries(
  Object.entries(DIGEST_OIDS).map(([oid, name]) => [name, oid]),
));

/** A signature algorithm OID: which key family it needs and which digest it implies (if any). */
export interface SignatureAlgorithmInfo {
  readonly name: string;
  readonly key: KeyAlgorithmName;
  /** Undefined when the digest comes from elsewhere (rsaEncryption / ecPublicKey in a SignerInfo, RSA-PSS params). */
  readonly digest?: DigestName;
}

export const SIGNATURE_OIDS: Readonly<Record<string, SignatureAlgorithmInfo>> = lookupTable({
  '1.2.840.113549.1.1.1': { name: 'rsaEncryption', key: 'RSA' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', key: 'RSA', digest: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', key: 'RSA', digest: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', key: 'RSA', digest: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', key: 'RSA', digest: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', key: 'RSA', digest: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', key: 'RSA', digest: 'SHA-512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', key: 'RSA-PSS' },
  '1.2.840.10045.2.1': { name: 'ecPublicKey', key: 'EC' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', key: 'EC', digest: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', key: 'EC', digest: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', key: 'EC', digest: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', key: 'EC', digest: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', key: 'EC', digest: 'SHA-512' },
  '1.3.101.112': { name: 'Ed25519', key: 'Ed25519' },
});

export const CURVE_OIDS: Readonly<Record<string, { name: string; bits: number }>> = lookupTable({
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
});

/**
 * GOST public-key algorithms (RFC 4491 / RFC 9215 and Kazakhstan's NCA arc
 * 1.2.398.3.10) → key size. Only for PublicKeyFacts; verification needs the
 * optional GOST provider (`ots-esig/gost`).
 */
export const GOST_KEY_BITS: Readonly<Record<string, number>> = lookupTable({
  '1.2.643.2.2.19': 256,
  '1.2.643.7.1.1.1.1': 256,
  '1.2.643.7.1.1.1.2': 512,
  '1.2.398.3.10.1.1.1.1': 256,
  '1.2.398.3.10.1.1.2.2': 512,
});

/** An AlgorithmIdentifier reduced to what the crypto layer needs. */
export interface AlgorithmId {
  readonly oid: string;
  /** DER of the parameters field, when present and not NULL. */
  readonly params?: Uint8Array;
}
