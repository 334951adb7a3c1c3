import * as asn1js from 'asn1js';
import { toHex } from '../util/bytes.js';
import { readNameNode } from '../pki/name.js';
import { InputFormatError } from '../errors.js';
import { explicit, integer, sequence } from '../util/asn1-tree.js';
import { DIGEST_OID_BY_NAME } from '../crypto/algorithms.js';

/** One ESSCertID / ESSCertIDv2 (RFC 2634 / RFC 5035): a hash of the signing certificate and optionally its issuer+serial. */
export interface EssCertId {
  readonly version: 1 | 2;
  readonly hashAlgorithmOid: string;
  readonly certHash: Uint8Array;
  readonly issuerSerial?: { readonly issuerKeys: readonly string[]; readonly serialNumberHex: string };
}

/**
 * Parses the value of a signing-certificate (v1) or signing-certificate-v2 attribute.
 * Returns undefined when the structure is malformed (a FORMAT_FAILURE for the caller).
 */
export function parseSigningCertificate(value: asn1js.AsnType, version: 1 | 2): EssCertId[] | undefined {
  if (!(value instanceof asn1js.Sequence)) return undefined;
  const certs = value.valueBlock.value[0];
  if (!(certs instanceof asn1js.Sequence)) return undefined;
  const out: EssCertId[] = [];
  for (const item of certs.valueBlock.value) {
    if (!(item instanceof asn1js.Sequence)) return undefined;
    const parts = [...item.valueBlock.value];
    let hashAlgorithmOid = version === 1 ? DIGEST_OID_BY_NAME['SHA-1']! : DIGEST_OID_BY_NAME['SHA-256']!;
    if (version === 2 && parts[0] instanceof asn1js.Sequence) {
      const oid = parts[0].valueBlock.value[0];
      if (!(oid instanceof asn1js.ObjectIdentifier)) return undefined;
      hashAlgorithmOid = oid.valueBlock.toString();
      parts.shift();
    }
    const hash = parts[0];
    if (!(hash instanceof asn1js.OctetString)) return undefined;
    let issuerSerial: EssCertId['issuerSerial'];
    if (parts[1] !== undefined) {
      try {
        issuerSerial = readIssuerSerial(parts[1]);
      } catch {
        return undefined;
      }
    }
    out.push({ version, hashAlgorithmOid, certHash: hash.valueBlock.valueHexView, issuerSerial });
  }
  return out.length ? out : undefined;
}

/**
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER, issuerUID OPTIONAL } read
 * from the decoded tree (pkijs.IssuerSerial's schema comparison cost more than the whole CMS decode).
 * Only directoryName ([4] EXPLICIT Name) issuers can match a certificate; other GeneralName forms are skipped.
 */
function readIssuerSerial(node: asn1js.AsnType): { issuerKeys: string[]; serialNumberHex: string } {
  const what = 'ESS IssuerSerial';
  const parts = sequence(node, what);
  if (parts.length < 2 || parts.length > 3) throw new InputFormatError(`${what}: expected issuer and serialNumber`);
  const issuerKeys: string[] = [];
  for (const gn of sequence(parts[0], `${what} issuer`)) {
    if (gn.idBlock.tagClass !== 3) throw new InputFormatError(`${what}: a GeneralName must be context-tagged`);
    if (gn.idBlock.tagNumber === 4) issuerKeys.push(readNameNode(explicit(gn, 4, `${what} directoryName`), `${what} directoryName`).key);
  }
  return { issuerKeys, serialNumberHex: toHex(integer(parts[1], `${what} serialNumber`).valueBlock.valueHexView) };
}
