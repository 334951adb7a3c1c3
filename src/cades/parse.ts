import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { toHex } from '../util/bytes.js';
import { algorithmId, ParsedCertificate } from '../pki/certificate.js';
import { ParsedCrl } from '../pki/crl.js';
import { readName } from '../pki/name.js';
import { OID } from '../pki/oids.js';
import { parseSigningCertificate } from './ess.js';
import type { AttributeMap, CadesSignature, CadesSignerInfo, SignerIdentifier } from './model.js';
import { certificateCache } from '../pki/cache.js';
import { cmsLimitsOf, decodeBerWithLimits, DEFAULT_LIMITS } from '../limits.js';

/** The CMS parser's share of `Limits` (src/limits.ts documents each one and its default). */
export interface CmsLimits {
  readonly maxInputBytes: number;
  readonly maxCertificates: number;
  readonly maxSigners: number;
  readonly maxAsn1Depth: number;
  readonly maxAsn1Elements: number;
}

export const DEFAULT_CMS_LIMITS: CmsLimits = cmsLimitsOf(DEFAULT_LIMITS);

/** Parses DER ContentInfo(SignedData) into a CadesSignature; anything that is not SignedData is an InputFormatError. */
export function parseCades(der: Uint8Array, limits: CmsLimits = DEFAULT_CMS_LIMITS): CadesSignature {
  const asn = decodeBerWithLimits(der, { maxBytes: limits.maxInputBytes, maxDepth: limits.maxAsn1Depth, maxElements: limits.maxAsn1Elements }, 'cms');
  if (asn.offset === -1) throw new InputFormatError(`not BER/DER: ${asn.result.error || 'decoding failed'}`);
  if (asn.offset !== der.length) throw new InputFormatError(`unexpected ${der.length - asn.offset} bytes after the CMS structure`);
  let contentInfo: pkijs.ContentInfo;
  try {
    contentInfo = new pkijs.ContentInfo({ schema: asn.result });
  } catch (e) {
    throw new InputFormatError(`not a CMS ContentInfo: ${(e as Error).message}`, { cause: e });
  }
  if (contentInfo.contentType !== OID.signedData) {
    throw new InputFormatError(`CMS content type ${contentInfo.contentType} is not signedData`);
  }
  let signed: pkijs.SignedData;
  try {
    signed = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (e) {
    throw new InputFormatError(`malformed SignedData: ${(e as Error).message}`, { cause: e });
  }
  if (signed.signerInfos.length === 0) throw new InputFormatError('SignedData has no SignerInfo');
  if (signed.signerInfos.length > limits.maxSigners) throw new LimitExceededError('cms.signers', limits.maxSigners);

  const certBytes = rawCertificateBytes(contentInfo.content as asn1js.Sequence);
  if (certBytes.length > limits.maxCertificates) throw new LimitExceededError('cms.certificates', limits.maxCertificates);
  const certificates: ParsedCertificate[] = [];
  for (const b of certBytes) {
    try {
      certificates.push(certificateCache.get(b));
    } catch {
      // An unparsable embedded certificate cannot be a signing certificate; it is simply not in the pool.
    }
  }
  const crls: ParsedCrl[] = [];
  for (const c of signed.crls ?? []) {
    if (c instanceof pkijs.CertificateRevocationList) {
      try {
        crls.push(ParsedCrl.fromDer(new Uint8Array(c.toSchema().toBER(false))));
      } catch {
        /* ignored like an unparsable certificate */
      }
    }
  }

  const eci = signed.encapContentInfo;
  const eContent = eci.eContent ? octetStringContent(eci.eContent) : undefined;
  const signers = signed.signerInfos.map((si, index) => readSignerInfo(si, index));
  return { format: 'CAdES', der, raw: signed, eContentType: eci.eContentType, eContent, certificates, crls, signers };
}

/** The DER of each certificate in SignedData.certificates, read from the parsed tree (not re-encoded). */
function rawCertificateBytes(signedDataSeq: asn1js.Sequence): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const el of signedDataSeq.valueBlock.value) {
    if (el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 0) {
      const inner = (el as asn1js.Constructed).valueBlock.value ?? [];
      for (const c of inner) {
        // Only plain Certificate choices (universal SEQUENCE); attribute/other certificate choices are tagged.
        if (c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16) out.push(c.valueBeforeDecodeView.slice());
      }
    }
  }
  return out;
}

function octetStringContent(os: asn1js.OctetString): Uint8Array {
  if (os.idBlock.tagClass !== 1 || os.idBlock.tagNumber !== 4) throw new InputFormatError('eContent is not an OCTET STRING');
  if (!os.idBlock.isConstructed) return os.valueBlock.valueHexView;
  // BER constructed OCTET STRING (indefinite-length streaming): the content is the concatenation of its segments.
  const parts: Uint8Array[] = [];
  const collect = (b: asn1js.BaseBlock) => {
    // Every segment must itself be an OCTET STRING (X.690 8.7.3); anything else would crash the concatenation.
    if (b.idBlock.tagClass !== 1 || b.idBlock.tagNumber !== 4) throw new InputFormatError('a segment of a constructed OCTET STRING is not an OCTET STRING');
    const v = (b as asn1js.OctetString).valueBlock;
    if (b.idBlock.isConstructed) for (const x of (v as unknown as { value: asn1js.BaseBlock[] }).value) collect(x);
    else parts.push(v.valueHexView);
  };
  collect(os);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function attributeMap(attrs: pkijs.SignedAndUnsignedAttributes | undefined): AttributeMap {
  const m = new Map<string, pkijs.Attribute[]>();
  for (const a of attrs?.attributes ?? []) {
    // pkijs leaves `values` undefined for a malformed attribute; an empty list lets FC report it instead of a TypeError.
    if (!Array.isArray(a.values)) a.values = [];
    const list = m.get(a.type);
    if (list) list.push(a);
    else m.set(a.type, [a]);
  }
  return m;
}

function readSignerInfo(si: pkijs.SignerInfo, index: number): CadesSignerInfo {
  let sid: SignerIdentifier;
  if (si.sid instanceof pkijs.IssuerAndSerialNumber) {
    const name = readName(si.sid.issuer);
    sid = {
      type: 'issuerAndSerialNumber',
      issuerKey: name.key,
      issuerText: name.text,
      serialNumberHex: toHex(si.sid.serialNumber.valueBlock.valueHexView),
    };
  } else {
    const ski = si.sid as asn1js.Constructed | asn1js.OctetString;
    const view = ski instanceof asn1js.OctetString ? ski.valueBlock.valueHexView : ((ski.valueBlock.value[0] as asn1js.OctetString)?.valueBlock.valueHexView ?? new Uint8Array());
    sid = { type: 'subjectKeyIdentifier', keyIdentifier: toHex(view) };
  }
  const signedAttributes = attributeMap(si.signedAttrs);
  const unsignedAttributes = attributeMap(si.unsignedAttrs);
  let claimedSigningTime: Date | undefined;
  const st = signedAttributes.get(OID.signingTime)?.[0]?.values[0];
  if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime) claimedSigningTime = st.toDate();

  const ess = (oid: string, v: 1 | 2) => {
    const a = signedAttributes.get(oid);
    if (!a) return undefined;
    if (a.length !== 1 || a[0]!.values.length !== 1) return 'malformed' as const;
    return parseSigningCertificate(a[0]!.values[0], v) ?? ('malformed' as const);
  };
  const v2 = ess(OID.signingCertificateV2, 2);
  const v1 = ess(OID.signingCertificate, 1);
  return {
    index,
    raw: si,
    sid,
    digestAlgorithm: algorithmId(si.digestAlgorithm),
    signatureAlgorithm: algorithmId(si.signatureAlgorithm),
    signatureValue: si.signature.valueBlock.valueHexView,
    signedAttributesDer: si.signedAttrs ? new Uint8Array(si.signedAttrs.encodedValue) : undefined,
    signedAttributes,
    unsignedAttributes,
    claimedSigningTime,
    essSigningCertificates: v1 || v2 ? { v1, v2 } : undefined,
  };
}
