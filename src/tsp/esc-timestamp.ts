/**
 * CAdES-X time-stamps (RFC 5126 6.3.5 / 6.3.6, TS 101 733): the CAdES-C time-stamped data (id-aa-ets-escTimeStamp,
 * "Type 1", MA3's "İmza ve Referans ZD") and the time-stamped certs-and-CRLs references (id-aa-ets-certCRLTimestamp,
 * "Type 2"). The message imprint covers the concatenation of (Type 1 only) the octets of the SignerInfo signature and
 * the signature-time-stamp attribute, then the complete-certificate-references and complete-revocation-references
 * attributes. RFC 5126 takes each attribute without its outer encoding (attrType and attrValues as encoded); some
 * implementations hash the whole Attribute: both readings are returned (the caller keeps the one the imprint matches).
 */
import * as asn1js from 'asn1js';
import type { CadesSignature, CadesSignerInfo } from '../cades/model.js';
import { concatBytes, equalBytes } from '../util/bytes.js';
import { signedDataParts } from './signed-data-parts.js';

export const ESC_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.25';
export const CERT_CRL_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.26';
const SIGNATURE_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.14';
const CERTIFICATE_REFS_OID = '1.2.840.113549.1.9.16.2.21';
const REVOCATION_REFS_OID = '1.2.840.113549.1.9.16.2.22';

const raw = (b: asn1js.BaseBlock): Uint8Array => b.valueBeforeDecodeView;

/** The candidate inputs of a CAdES-X time-stamp of `kind` on `si`; empty when the encoding cannot be read. */
export function cadesXTimestampInputs(sig: CadesSignature, si: CadesSignerInfo, kind: 'esc' | 'certCrl'): Uint8Array[] {
  const siSeq = signedDataParts(sig.der).signerInfos[si.index];
  if (!siSeq) return [];
  const unsigned = siSeq.valueBlock.value.find((el) => el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 1);
  if (!(unsigned instanceof asn1js.Constructed)) return [];
  const attrs = new Map<string, { type: Uint8Array; values: Uint8Array; whole: Uint8Array }[]>();
  for (const a of unsigned.valueBlock.value) {
    const [type, values] = a instanceof asn1js.Sequence ? a.valueBlock.value : [];
    if (!(type instanceof asn1js.ObjectIdentifier) || !(values instanceof asn1js.Set)) return [];
    const list = attrs.get(type.valueBlock.toString()) ?? [];
    list.push({ type: raw(type), values: raw(values), whole: raw(a) });
    attrs.set(type.valueBlock.toString(), list);
  }
  const oids = kind === 'esc' ? [SIGNATURE_TIMESTAMP_OID, CERTIFICATE_REFS_OID, REVOCATION_REFS_OID] : [CERTIFICATE_REFS_OID, REVOCATION_REFS_OID];
  const read = (whole: boolean) => [
    ...(kind === 'esc' ? [si.signatureValue] : []),
    ...oids.flatMap((oid) => (attrs.get(oid) ?? []).flatMap((a) => (whole ? [a.whole] : [a.type, a.values]))),
  ];
  const candidates = [concatBytes(read(false)), concatBytes(read(true))];
  return equalBytes(candidates[0]!, candidates[1]!) ? [candidates[0]!] : candidates;
}
