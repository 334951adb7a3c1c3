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
import { Asn1Element, CONTEXT, ElementBudget, NotWalkable, TAG, TlvElement, asn1Of, isUniversal, type DerElement } from '../util/der.js';

export const ATS_V3_OID = '0.4.0.1733.2.4';
export const ATS_HASH_INDEX_V3_OID = '0.4.0.19122.1.5';
const SHA256 = '2.16.840.1.101.3.4.2.1';

/** The raw encodings the ATSv3 input is made of, read from the signature's own bytes (never re-encoded). */
interface RawSignedData {
  readonly eContentType: Uint8Array;
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  /** The SignerInfo's fields in order, without unsignedAttrs ([1]). */
  readonly signerFields: readonly Uint8Array[];
  /** attrType || attrValue of each unsigned attribute value except the time-stamp being checked, or why they cannot be read. */
  readonly unsignedValues: readonly Uint8Array[] | string;
}

/**
 * The parts of the signature's SignedData the input is made of, located by
 * header walking (the signature was parsed and its size charged already; a
 * full decode here re-read every embedded certificate, CRL, OCSP response and
 * time-stamp, the largest cost of an LTA validation), or from asn1js's decode
 * for encodings the walk does not follow (BER indefinite lengths).
 */
function readRaw(der: Uint8Array, siIndex: number, atsEncoding: Uint8Array): RawSignedData | undefined {
  const walked = TlvElement.of(der, new ElementBudget(Number.MAX_SAFE_INTEGER, 'atsv3'));
  if (walked) {
    try {
      return readRawElement(walked, siIndex, atsEncoding);
    } catch (e) {
      if (!(e instanceof NotWalkable)) throw e;
    }
  }
  return readRawElement(new Asn1Element(asn1js.fromBER(toArrayBuffer(der)).result), siIndex, atsEncoding);
}

function readRawElement(ci: DerElement, siIndex: number, atsEncoding: Uint8Array): RawSignedData | undefined {
  const what = 'SignedData';
  const explicit = ci.children(what)[1]!;
  const sd = explicit.children(what)[0]!;
  const items = sd.children(what);
  const eci = items[2]!;
  let certificates: Uint8Array[] = [];
  let crls: Uint8Array[] = [];
  for (const el of items.slice(3, -1)) {
    if (el.tagClass !== CONTEXT) continue;
    const children = el.children(what).map((c) => c.encoding);
    if (el.tagNumber === 0) certificates = children;
    if (el.tagNumber === 1) crls = children;
  }
  const siSeq = items[items.length - 1]!.children(what)[siIndex];
  if (!siSeq) return undefined;
  const fields = siSeq.children(what);
  let unsignedValues: Uint8Array[] | string = [];
  for (const el of fields) {
    if (el.tagClass !== CONTEXT || el.tagNumber !== 1) continue;
    if (!el.constructed) {
      unsignedValues = 'unsignedAttrs is not a constructed SET OF Attribute';
      break;
    }
    for (const attr of el.children(what)) {
      // Attribute ::= SEQUENCE { attrType OID, attrValues SET }: hashed by its parts, so a malformed one
      // cannot be matched against the index (hostile input reaches here: the CMS parser tolerates it).
      const [type, values, extra] = isUniversal(attr, TAG.sequence) && attr.constructed ? attr.children(what) : [];
      if (!isUniversal(type, TAG.oid) || type.constructed || !isUniversal(values, TAG.set) || !values.constructed || extra) {
        unsignedValues = 'an unsigned attribute is not a SEQUENCE { OBJECT IDENTIFIER, SET }';
        break;
      }
      for (const v of values.children(what)) {
        if (equalBytes(v.encoding, atsEncoding)) continue; // the time-stamp being checked
        unsignedValues.push(concatBytes([type.encoding, v.encoding]));
      }
    }
    if (typeof unsignedValues === 'string') break;
  }
  return {
    eContentType: eci.children(what)[0]!.encoding,
    certificates,
    crls,
    signerFields: fields.filter((el) => !(el.tagClass === CONTEXT && el.tagNumber === 1)).map((el) => el.encoding),
    unsignedValues,
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

const raw = (b: asn1js.BaseBlock): Uint8Array => b.valueBeforeDecodeView;

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
  const rs = readRaw(sig.der, si.index, atsValue.encoding);
  if (!rs) return { ok: false, reason: 'SignerInfo not found in the encoding' };
  if (typeof rs.unsignedValues === 'string') return { ok: false, reason: rs.unsignedValues };
  const h = (b: Uint8Array) => registry.digest(index.hashAlgorithmOid, b);

  // Every archived item must still be there (items added after the time-stamp are not indexed).
  const missing = async (indexed: readonly Uint8Array[], present: readonly Uint8Array[], what: string): Promise<string | undefined> => {
    const hashes = await Promise.all(present.map(h));
    for (const x of indexed) if (!hashes.some((y) => equalBytes(x, y))) return `an archived ${what} referenced by ats-hash-index-v3 is missing`;
    return undefined;
  };
  const unsignedValues = rs.unsignedValues;
  const problem =
    (await missing(index.certificates, rs.certificates, 'certificate')) ??
    (await missing(index.crls, rs.crls, 'revocation value')) ??
    (await missing(index.unsignedAttrValues, unsignedValues, 'unsigned attribute value'));
  if (problem) return { ok: false, reason: problem };

  const data = concatBytes([rs.eContentType, await registry.digest(imprintAlg, content), ...rs.signerFields, index.der]);
  return { ok: true, data, index };
}

