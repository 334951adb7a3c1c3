import * as asn1js from 'asn1js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { toArrayBuffer } from '../util/bytes.js';

const CERTIFICATE_POLICIES = '2.5.29.32';

/**
 * The policy OIDs a certificate asserts (RFC 5280 4.2.1.4: SEQUENCE OF
 * PolicyInformation, each starting with its policyIdentifier); [] when the
 * extension is absent, 'malformed' when it cannot be read.
 */
export function certificatePolicies(c: ParsedCertificate): string[] | 'malformed' {
  const ext = c.extension(CERTIFICATE_POLICIES);
  if (!ext) return [];
  const asn = asn1js.fromBER(toArrayBuffer(ext.value));
  if (asn.offset === -1 || asn.offset !== ext.value.byteLength || !(asn.result instanceof asn1js.Sequence)) return 'malformed';
  const out: string[] = [];
  for (const info of asn.result.valueBlock.value) {
    const id = info instanceof asn1js.Sequence ? info.valueBlock.value[0] : undefined;
    if (!(id instanceof asn1js.ObjectIdentifier)) return 'malformed';
    out.push(id.valueBlock.toString());
  }
  return out;
}

/** Key family names as agreements write them (`RSA`, `RSA-PSS`, `EC`, `Ed25519`), else the algorithm OID. */
export function keyFamily(c: ParsedCertificate): string {
  switch (c.publicKey.algorithmOid) {
    case '1.2.840.113549.1.1.1':
      return 'RSA';
    case '1.2.840.113549.1.1.10':
      return 'RSA-PSS';
    case '1.2.840.10045.2.1':
      return 'EC';
    case '1.3.101.112':
      return 'Ed25519';
    default:
      return c.publicKey.algorithmOid;
  }
}
