/**
 * TS 101 733 archive time-stamps before EN 319 122-1's v3: archive-time-stamp-v2 (RFC 5126 6.4.1,
 * id-aa-ets-archiveTimestampV2; MA3 writes it for CAdES-A) and archive-time-stamp (v1, id-aa-ets-archiveTimestamp).
 * The message imprint covers the concatenation of:
 *   1. SignedData.encapContentInfo as encoded;
 *   2. the external content when eContent is absent (v2 only: v1 left the detached content out, which is why v2
 *      was defined);
 *   3. the SignedData certificates [0] and crls [1] fields as encoded, when present;
 *   4. every field of the SignerInfo as encoded, the unsignedAttrs [1] holding the unsigned attributes present when
 *      the time-stamp was added.
 * Which unsigned attributes that is, the standard leaves to the encoding: implementations take those before the
 * time-stamp in the encoding, or all but the time-stamp. Both readings are returned (the first whose hash the token's
 * imprint matches is the input; nothing else is accepted).
 */
import * as asn1js from 'asn1js';
import type { CadesSignature, CadesSignerInfo } from '../cades/model.js';
import { concatBytes, equalBytes } from '../util/bytes.js';
import type { DerElement } from '../util/der.js';
import { signedDataParts } from './signed-data-parts.js';

export const ATS_V1_OID = '1.2.840.113549.1.9.16.2.27';
export const ATS_V2_OID = '1.2.840.113549.1.9.16.2.48';

const raw = (b: asn1js.BaseBlock): Uint8Array => b.valueBeforeDecodeView;

/** DER tag-length header for a constructed context-specific [1] of `length` content octets. */
function taggedOne(content: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes([...content]);
  const n = body.length;
  const len: number[] = [];
  if (n < 0x80) len.push(n);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len.push(0x80 | bytes.length, ...bytes);
  }
  return concatBytes([Uint8Array.of(0xa1, ...len), body]);
}

/**
 * The candidate inputs of the v1/v2 archive time-stamp whose attribute value is `atsValue` on `si` (`content`: the
 * detached content, for a v2 time-stamp on a signature without eContent). Empty when the encoding cannot be read.
 */
export function archiveTimestampV2Inputs(sig: CadesSignature, si: CadesSignerInfo, atsValue: DerElement, version: 1 | 2, content: Uint8Array | undefined): Uint8Array[] {
  const rs = signedDataParts(sig.der);
  const siSeq = rs.signerInfos[si.index];
  if (!siSeq) return [];
  const head: Uint8Array[] = [rs.encapContentInfo];
  if (version === 2 && sig.eContent === undefined) {
    if (!content) return [];
    head.push(content);
  }
  if (rs.certificatesField) head.push(rs.certificatesField);
  if (rs.crlsField) head.push(rs.crlsField);
  const fields: Uint8Array[] = [];
  let unsigned: asn1js.BaseBlock[] | undefined;
  for (const el of siSeq.valueBlock.value) {
    if (el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 1 && el instanceof asn1js.Constructed) unsigned = el.valueBlock.value;
    else fields.push(raw(el));
  }
  if (!unsigned) return [];
  const holds = (attr: asn1js.BaseBlock) => {
    const values = attr instanceof asn1js.Sequence ? attr.valueBlock.value[1] : undefined;
    return values instanceof asn1js.Set && values.valueBlock.value.some((v) => equalBytes(raw(v), atsValue.encoding));
  };
  const at = unsigned.findIndex(holds);
  if (at < 0) return [];
  const before = unsigned.slice(0, at).map(raw);
  const allBut = unsigned.filter((_, i) => i !== at).map(raw);
  const candidates = [before, allBut].map((attrs) => concatBytes([...head, ...fields, taggedOne(attrs)]));
  return candidates.filter((c, i) => i === 0 || !equalBytes(c, candidates[0]!));
}
