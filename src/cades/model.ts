import type * as pkijs from 'pkijs';
import type { AlgorithmId } from '../crypto/algorithms.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import type { ParsedCrl } from '../pki/crl.js';
import type { EssCertId } from './ess.js';
import type { DerElement } from '../util/der.js';
import type { AttributeMap } from './attributes.js';

export type { AttributeMap, CmsAttribute } from './attributes.js';

/** How a SignerInfo names its certificate (RFC 5652 SignerIdentifier). */
export type SignerIdentifier =
  | { readonly type: 'issuerAndSerialNumber'; readonly issuerKey: string; readonly issuerText: string; readonly serialNumberHex: string }
  | { readonly type: 'subjectKeyIdentifier'; readonly keyIdentifier: string };

export interface CadesSignerInfo {
  readonly index: number;
  readonly raw: pkijs.SignerInfo;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: AlgorithmId;
  readonly signatureAlgorithm: AlgorithmId;
  readonly signatureValue: Uint8Array;
  /** The exact DER the signature covers (signed attributes re-tagged as SET), or undefined when absent. */
  readonly signedAttributesDer?: Uint8Array;
  /** The received signed attributes were not DER (SET OF order, lengths): `signedAttributesDer` is their DER form. */
  readonly signedAttributesReencoded?: boolean;
  readonly signedAttributes: AttributeMap;
  readonly unsignedAttributes: AttributeMap;
  readonly claimedSigningTime?: Date;
  readonly essSigningCertificates?: { readonly v2?: EssCertId[] | 'malformed'; readonly v1?: EssCertId[] | 'malformed' };
}

/** A CMS SignedData read once: encapsulated content, certificates and CRLs carried, and each SignerInfo. */
export interface CadesSignature {
  readonly format: 'CAdES';
  readonly der: Uint8Array;
  readonly raw: pkijs.SignedData;
  readonly eContentType: string;
  /** The encapsulated content, or undefined for a detached signature. */
  readonly eContent?: Uint8Array;
  readonly certificates: readonly ParsedCertificate[];
  readonly crls: readonly ParsedCrl[];
  /**
   * SignedData.crls entries of the OtherRevocationInfoFormat choice ([1]), e.g. OCSP
   * responses (RFC 5940 id-ri-ocsp-response): the format OID and the undecoded value.
   */
  readonly otherRevocationInfo: readonly { readonly format: string; readonly info: DerElement }[];
  readonly signers: readonly CadesSignerInfo[];
}
