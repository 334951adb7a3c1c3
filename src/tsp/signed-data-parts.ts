/**
 * The parts of a CMS SignedData the TS 101 733 time-stamps before ATSv3 hash (archive-time-stamp v1/v2, CAdES-X
 * escTimeStamp / certCRLTimestamp), taken as encoded from the signature's own bytes (never re-encoded). These
 * inputs are rare (MA3 CAdES-A/-X), so a plain asn1js decode is enough here; the ATSv3 input, on the LTA hot path,
 * is read by header walking in atsv3.ts.
 */
import * as asn1js from 'asn1js';
import { toArrayBuffer } from '../util/bytes.js';

export interface SignedDataParts {
  /** SignedData.encapContentInfo as encoded. */
  readonly encapContentInfo: Uint8Array;
  /** The [0] certificates and [1] crls fields of SignedData as encoded (tag, length, value), when present. */
  readonly certificatesField?: Uint8Array;
  readonly crlsField?: Uint8Array;
  readonly signerInfos: readonly asn1js.Sequence[];
}

const raw = (b: asn1js.BaseBlock): Uint8Array => b.valueBeforeDecodeView;

export function signedDataParts(der: Uint8Array): SignedDataParts {
  const ci = asn1js.fromBER(toArrayBuffer(der)).result as asn1js.Sequence;
  const explicit = ci.valueBlock.value[1] as asn1js.Constructed;
  const sd = explicit.valueBlock.value[0] as asn1js.Sequence;
  const items = sd.valueBlock.value;
  let certificatesField: Uint8Array | undefined;
  let crlsField: Uint8Array | undefined;
  for (const el of items.slice(3, -1)) {
    if (el.idBlock.tagClass !== 3) continue;
    if (el.idBlock.tagNumber === 0) certificatesField = raw(el);
    if (el.idBlock.tagNumber === 1) crlsField = raw(el);
  }
  const sis = items[items.length - 1] as asn1js.Set;
  return {
    encapContentInfo: raw(items[2]!),
    ...(certificatesField ? { certificatesField } : {}),
    ...(crlsField ? { crlsField } : {}),
    signerInfos: sis.valueBlock.value as asn1js.Sequence[],
  };
}
