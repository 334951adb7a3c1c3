import { toHex } from '../util/bytes.js';
import { readNameElement } from '../pki/name.js';
import { InputFormatError } from '../errors.js';
import { CONTEXT, explicitOf, isUniversal, oidOf, primitiveOf, seqOf, TAG, type DerElement } from '../util/der.js';
import { DIGEST_OID_BY_NAME } from '../crypto/algorithms.js';

/** One ESSCertID / ESSCertIDv2 (RFC 2634 / RFC 5035): a hash of the signing certificate and optionally its issuer+serial. */
export interface EssCertId {
  readonly version: 1 | 2;
  readonly hashAlgorithmOid: string;
  readonly certHash: Uint8Array;
  readonly issuerSerial?: { readonly issuerKeys: readonly string[]; readonly serialNumberHex: string };
}

const isSequence = (el: DerElement | undefined): el is DerElement => isUniversal(el, TAG.sequence) && el.constructed;

/**
 * Parses the value of a signing-certificate (v1) or signing-certificate-v2 attribute, element by element
 * (header-walked or decoded; the issuer Name through pki/name's memo): every signer's value is a new
 * encoding, and decoding it with asn1js cost more than the rest of its signed attributes (#19).
 * Returns undefined when the structure is malformed (a FORMAT_FAILURE for the caller), including a
 * certHash that is not a primitive OCTET STRING (DER has no constructed form).
 */
export function parseSigningCertificate(value: DerElement, version: 1 | 2): EssCertId[] | undefined {
  if (!isSequence(value)) return undefined;
  const certs = value.children('SigningCertificate')[0];
  if (!isSequence(certs)) return undefined;
  const out: EssCertId[] = [];
  for (const item of certs.children('SigningCertificate certs')) {
    if (!isSequence(item)) return undefined;
    const parts = [...item.children('ESSCertID')];
    let hashAlgorithmOid = version === 1 ? DIGEST_OID_BY_NAME['SHA-1']! : DIGEST_OID_BY_NAME['SHA-256']!;
    if (version === 2 && isSequence(parts[0])) {
      const oid = parts[0].children('ESSCertIDv2 hashAlgorithm')[0];
      if (!isUniversal(oid, TAG.oid) || oid.constructed) return undefined;
      hashAlgorithmOid = oidOf(oid, 'ESSCertIDv2 hashAlgorithm');
      parts.shift();
    }
    const hash = parts[0];
    if (!isUniversal(hash, TAG.octetString) || hash.constructed) return undefined;
    let issuerSerial: EssCertId['issuerSerial'];
    if (parts[1] !== undefined) {
      try {
        issuerSerial = readIssuerSerial(parts[1]);
      } catch {
        return undefined;
      }
    }
    out.push({ version, hashAlgorithmOid, certHash: hash.content('ESSCertID certHash'), issuerSerial });
  }
  return out.length ? out : undefined;
}

/**
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER, issuerUID OPTIONAL } read
 * element by element (pkijs.IssuerSerial's schema comparison cost more than the whole CMS decode).
 * Only directoryName ([4] EXPLICIT Name) issuers can match a certificate; other GeneralName forms are skipped.
 */
function readIssuerSerial(el: DerElement): { issuerKeys: string[]; serialNumberHex: string } {
  const what = 'ESS IssuerSerial';
  const parts = seqOf(el, what);
  if (parts.length < 2 || parts.length > 3) throw new InputFormatError(`${what}: expected issuer and serialNumber`);
  const issuerKeys: string[] = [];
  for (const gn of seqOf(parts[0], `${what} issuer`)) {
    if (gn.tagClass !== CONTEXT) throw new InputFormatError(`${what}: a GeneralName must be context-tagged`);
    if (gn.tagNumber === 4) issuerKeys.push(readNameElement(explicitOf(gn, 4, `${what} directoryName`), `${what} directoryName`).key);
  }
  return { issuerKeys, serialNumberHex: toHex(primitiveOf(parts[1], TAG.integer, `${what} serialNumber`)) };
}
