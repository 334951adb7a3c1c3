/**
 * CAdES archive-time-stamp-v3 (EN 319 122-1 5.5.3, id-aa-ets-archiveTimestampV3)
 * and its ats-hash-index-v3 (5.5.2). The message imprint of the archive
 * time-stamp covers the concatenation of:
 *   1. the DER of SignedData.encapContentInfo.eContentType;
 *   2. the hash (with the time-stamp's imprint algorithm) of the signed content;
 *   3. the SignerInfo fields version, sid, digestAlgorithm, signedAttrs,
 *      signatureAlgorithm and signature, as encoded (tag, length, value);
 *   4. the ATSHashIndexV3 value, as encoded, from the time-stamp token's own
 *      unsigned ats-hash-index-v3 attribute.
 * The index holds a hash of each SignedData certificate, each RevocationInfoChoice
 * and each unsigned attribute value (attrType ‖ attrValue) present when the
 * archive time-stamp was made; every one of them must still be present.
 */
import * as asn1js from 'asn1js';
import type { CadesSignature, CadesSignerInfo } from '../cades/model.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import { equalBytes, toArrayBuffer, concatBytes } from '../util/bytes.js';
import type { TimestampToken } from './token.js';
import { asn1Of, type DerElement } from '../util/der.js';

export const ATS_V3_OID = '0.4.0.1733.2.4';
export const ATS_HASH_INDEX_V3_OID = '0.4.0.19122.1.5';
const SHA256 = '2.16.840.1.101.3.4.2.1';

/** The raw encodings the ATSv3 input is made of, read from the signature's own bytes (never re-encoded). */
export interface RawSignedData {
  /** SignedData.encapContentInfo as encoded. */
  readonly encapContentInfo: Uint8Array;
  readonly eContentType: Uint8Array;
  /** The [0] certificates and [1] crls fields of SignedData as encoded (tag, length, value), when present. */
  readonly certificatesField?: Uint8Array;
  readonly crlsField?: Uint8Array;
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly signerInfos: readonly asn1js.Sequence[];
}

const raw = (b: asn1js.BaseBlock): Uint8Array => b.valueBeforeDecodeView;

export function readRaw(der: Uint8Array): RawSignedData {
  const ci = asn1js.fromBER(toArrayBuffer(der)).result as asn1js.Sequence;
  const explicit = ci.valueBlock.value[1] as asn1js.Constructed;
  const sd = explicit.valueBlock.value[0] as asn1js.Sequence;
  const items = sd.valueBlock.value;
  const eci = items[2] as asn1js.Sequence;
  let certificates: Uint8Array[] = [];
  let crls: Uint8Array[] = [];
  let certificatesField: Uint8Array | undefined;
  let crlsField: Uint8Array | undefined;
  for (const el of items.slice(3, -1)) {
    if (el.idBlock.tagClass !== 3) continue;
    const children = (el as asn1js.Constructed).valueBlock.value.map(raw);
    if (el.idBlock.tagNumber === 0) [certificates, certificatesField] = [children, raw(el)];
    if (el.idBlock.tagNumber === 1) [crls, crlsField] = [children, raw(el)];
  }
  const sis = items[items.length - 1] as asn1js.Set;
  return {
    encapContentInfo: raw(eci),
    eContentType: raw(eci.valueBlock.value[0]!),
    ...(certificatesField ? { certificatesField } : {}),
    ...(crlsField ? { crlsField } : {}),
    certificates,
    crls,
    signerInfos: sis.valueBlock.value as asn1js.Sequence[],
  };
}

export interface AtsHashIndexV3 {
  readonly hashAlgorithmOid: string;
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly unsignedAttrValues: readonly Uint8Array[];
  /** The ATSHashIndexV3 value as encoded in the token. */
  readonly der: Uint8Array;
}

function readIndex(value: asn1js.BaseBlock): AtsHashIndexV3 {
  if (!(value instanceof asn1js.Sequence)) throw new Error('ATSHashIndexV3 is not a SEQUENCE');
  const parts = [...value.valueBlock.value];
  let hashAlgorithmOid = SHA256;
  if (parts.length === 4) {
    const alg = parts.shift() as asn1js.Sequence;
    const oid = alg.valueBlock.value[0];
    if (!(oid instanceof asn1js.ObjectIdentifier)) throw new Error('hashIndAlgorithm is malformed');
    hashAlgorithmOid = oid.valueBlock.toString();
  }
  if (parts.length !== 3) throw new Error('ATSHashIndexV3 must have three hash lists');
  const list = (s: asn1js.BaseBlock) => {
    if (!(s instanceof asn1js.Sequence)) throw new Error('hash index is not a SEQUENCE OF OCTET STRING');
    return s.valueBlock.value.map((o) => {
      if (!(o instanceof asn1js.OctetString)) throw new Error('hash index entry is not an OCTET STRING');
      return o.valueBlock.valueHexView;
    });
  };
  return { hashAlgorithmOid, certificates: list(parts[0]!), crls: list(parts[1]!), unsignedAttrValues: list(parts[2]!), der: raw(value) };
}

export type ArchiveInput = { readonly ok: true; readonly data: Uint8Array; readonly index: AtsHashIndexV3 } | { readonly ok: false; readonly reason: string };

/**
 * The bytes an archive-time-stamp-v3 (`token`, the `atsValue` of `si`'s unsigned attributes)
 * must imprint; `content` is the signed content (eContent or the detached data).
 */
export async function archiveTimestampV3Input(
  sig: CadesSignature,
  si: CadesSignerInfo,
  atsValue: DerElement,
  token: TimestampToken,
  content: Uint8Array,
  registry: AlgorithmRegistry,
): Promise<ArchiveInput> {
  const idx = token.cms.signers[0]?.unsignedAttributes.get(ATS_HASH_INDEX_V3_OID);
  if (!idx || idx.length !== 1 || idx[0]!.values.length !== 1) return { ok: false, reason: 'the archive time-stamp has no single ats-hash-index-v3 attribute' };
  let index: AtsHashIndexV3;
  try {
    index = readIndex(asn1Of(idx[0]!.values[0]!, 'ats-hash-index-v3'));
  } catch (e) {
    return { ok: false, reason: `ats-hash-index-v3: ${(e as Error).message}` };
  }
  const imprintAlg = token.tstInfo.hashAlgorithmOid;
  for (const oid of [imprintAlg, index.hashAlgorithmOid]) {
    if (!registry.supportsDigest(oid)) return { ok: false, reason: `digest ${oid} is not supported` };
  }
  const rs = readRaw(sig.der);
  const h = (b: Uint8Array) => registry.digest(index.hashAlgorithmOid, b);

  // Every archived item must still be there (items added after the time-stamp are not indexed).
  const missing = async (indexed: readonly Uint8Array[], present: readonly Uint8Array[], what: string): Promise<string | undefined> => {
    const hashes = await Promise.all(present.map(h));
    for (const x of indexed) if (!hashes.some((y) => equalBytes(x, y))) return `an archived ${what} referenced by ats-hash-index-v3 is missing`;
    return undefined;
  };
  const siSeq = rs.signerInfos[si.index];
  if (!siSeq) return { ok: false, reason: 'SignerInfo not found in the encoding' };
  const unsignedValues: Uint8Array[] = [];
  for (const el of siSeq.valueBlock.value) {
    if (el.idBlock.tagClass !== 3 || el.idBlock.tagNumber !== 1) continue;
    if (!(el instanceof asn1js.Constructed)) return { ok: false, reason: 'unsignedAttrs is not a constructed SET OF Attribute' };
    for (const attr of el.valueBlock.value) {
      // Attribute ::= SEQUENCE { attrType OID, attrValues SET }: hashed by its parts, so a malformed one
      // cannot be matched against the index (hostile input reaches here: the CMS parser tolerates it).
      const [type, values, extra] = attr instanceof asn1js.Sequence ? attr.valueBlock.value : [];
      if (!(type instanceof asn1js.ObjectIdentifier) || !(values instanceof asn1js.Set) || extra) {
        return { ok: false, reason: 'an unsigned attribute is not a SEQUENCE { OBJECT IDENTIFIER, SET }' };
      }
      for (const v of values.valueBlock.value) {
        if (equalBytes(raw(v), atsValue.encoding)) continue; // the time-stamp being checked
        unsignedValues.push(concatBytes([raw(type), raw(v)]));
      }
    }
  }
  const problem =
    (await missing(index.certificates, rs.certificates, 'certificate')) ??
    (await missing(index.crls, rs.crls, 'revocation value')) ??
    (await missing(index.unsignedAttrValues, unsignedValues, 'unsigned attribute value'));
  if (problem) return { ok: false, reason: problem };

  // SignerInfo fields in order, without unsignedAttrs ([1]).
  const fields = siSeq.valueBlock.value.filter((el) => !(el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 1)).map(raw);
  const data = concatBytes([rs.eContentType, await registry.digest(imprintAlg, content), ...fields, index.der]);
  return { ok: true, data, index };
}

