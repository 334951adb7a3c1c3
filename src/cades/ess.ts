import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toHex } from '../util/bytes.js';
import { readName } from '../pki/name.js';
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
        const is = new pkijs.IssuerSerial({ schema: parts[1] });
        const keys = is.issuer.names
          .filter((n) => n.type === 4)
          .map((n) => readName(n.value as pkijs.RelativeDistinguishedNames).key);
        issuerSerial = { issuerKeys: keys, serialNumberHex: toHex(is.serialNumber.valueBlock.valueHexView) };
      } catch {
        return undefined;
      }
    }
    out.push({ version, hashAlgorithmOid, certHash: hash.valueBlock.valueHexView, issuerSerial });
  }
  return out.length ? out : undefined;
}
