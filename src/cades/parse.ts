import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { algorithmIdOf, ParsedCertificate } from '../pki/certificate.js';
import { ParsedCrl } from '../pki/crl.js';
import { readNameNode } from '../pki/name.js';
import { derSetOf, elementsOf, encodingOf, explicit, integer, isContext, octetString, oid, primitiveContent, sequence, set, type Asn1Node } from '../util/asn1-tree.js';
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

/**
 * Parses DER ContentInfo(SignedData) into a CadesSignature; anything that is not SignedData is an InputFormatError.
 *
 * asn1js decodes the bytes once; the fields are then read by walking that tree
 * (src/util/asn1-tree.ts) rather than through pkijs.ContentInfo/SignedData,
 * whose schema comparison cost several times the decoding itself. The pkijs
 * objects stay available as `raw` and are built only when someone reads them.
 */
export function parseCades(der: Uint8Array, limits: CmsLimits = DEFAULT_CMS_LIMITS): CadesSignature {
  const asn = decodeBerWithLimits(der, { maxBytes: limits.maxInputBytes, maxDepth: limits.maxAsn1Depth, maxElements: limits.maxAsn1Elements }, 'cms');
  if (asn.offset === -1) throw new InputFormatError(`not BER/DER: ${asn.result.error || 'decoding failed'}`);
  if (asn.offset !== der.length) throw new InputFormatError(`unexpected ${der.length - asn.offset} bytes after the CMS structure`);
  let signedDataNode: Asn1Node;
  try {
    const ci = sequence(asn.result, 'ContentInfo');
    if (ci.length !== 2) throw new InputFormatError('ContentInfo must have contentType and content');
    const contentType = oid(ci[0], 'ContentInfo contentType');
    if (contentType !== OID.signedData) throw new NotSignedData(`CMS content type ${contentType} is not signedData`);
    signedDataNode = explicit(ci[1], 0, 'ContentInfo content');
  } catch (e) {
    if (e instanceof NotSignedData) throw new InputFormatError(e.message);
    throw new InputFormatError(`not a CMS ContentInfo: ${(e as Error).message}`, { cause: e });
  }
  let sd: SignedDataNodes;
  try {
    sd = readSignedData(signedDataNode);
  } catch (e) {
    throw new InputFormatError(`malformed SignedData: ${(e as Error).message}`, { cause: e });
  }
  if (sd.signerInfos.length === 0) throw new InputFormatError('SignedData has no SignerInfo');
  if (sd.signerInfos.length > limits.maxSigners) throw new LimitExceededError('cms.signers', limits.maxSigners);

  // Only plain Certificate choices (universal SEQUENCE); attribute/other certificate choices are tagged.
  const certNodes = sd.certificates.filter((c) => c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16);
  if (certNodes.length > limits.maxCertificates) throw new LimitExceededError('cms.certificates', limits.maxCertificates);
  const certificates: ParsedCertificate[] = [];
  certNodes.forEach((c, i) => {
    try {
      // The exact bytes as decoded (never re-encoded); the cache copies them only when it parses a new certificate.
      certificates.push(certificateCache.get(encodingOf(c)));
    } catch (e) {
      // A CertificateSet element that is not a Certificate makes the SignedData malformed (as pkijs's schema check did).
      throw new InputFormatError(`malformed SignedData: certificates[${i}]: ${(e as Error).message}`, { cause: e });
    }
  });
  const crls: ParsedCrl[] = [];
  const otherRevocationInfo: { format: string; info: Asn1Node }[] = [];
  for (const c of sd.crls) {
    if (isContext(c, 1)) {
      // OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo ANY }, here [1] IMPLICIT.
      try {
        const parts = elementsOf(c, 'OtherRevocationInfoFormat');
        if (parts.length === 2) otherRevocationInfo.push({ format: oid(parts[0], 'otherRevInfoFormat'), info: parts[1]! });
      } catch {
        /* ignored like an unparsable CRL */
      }
      continue;
    }
    // CertificateList is a universal SEQUENCE.
    if (c.idBlock.tagClass !== 1 || c.idBlock.tagNumber !== 16) continue;
    try {
      crls.push(ParsedCrl.fromDer(encodingOf(c).slice()));
    } catch {
      /* ignored like an unparsable certificate */
    }
  }

  const signers = sd.signerInfos.map((si, index) => readSignerInfo(si, index));
  let raw: pkijs.SignedData | undefined;
  return {
    format: 'CAdES',
    der,
    get raw(): pkijs.SignedData {
      return (raw ??= new pkijs.SignedData({ schema: signedDataNode }));
    },
    eContentType: sd.eContentType,
    eContent: sd.eContent,
    certificates,
    crls,
    otherRevocationInfo,
    signers,
  };
}

class NotSignedData extends Error {}

interface SignedDataNodes {
  readonly eContentType: string;
  readonly eContent?: Uint8Array;
  readonly certificates: readonly Asn1Node[];
  readonly crls: readonly Asn1Node[];
  readonly signerInfos: readonly Asn1Node[];
}

/** RFC 5652 5.1 SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos. */
function readSignedData(node: Asn1Node): SignedDataNodes {
  const sd = sequence(node, 'SignedData');
  let i = 0;
  integer(sd[i++], 'version');
  for (const a of set(sd[i++], 'digestAlgorithms')) algorithmIdOf(a, 'digestAlgorithms');
  const eci = sequence(sd[i++], 'encapContentInfo');
  if (eci.length < 1 || eci.length > 2) throw new InputFormatError('encapContentInfo must have eContentType and optional eContent');
  const eContentType = oid(eci[0], 'eContentType');
  const eContent = eci[1] ? octetStringContent(explicit(eci[1], 0, 'eContent') as asn1js.OctetString) : undefined;
  let certificates: Asn1Node[] = [];
  let crls: Asn1Node[] = [];
  if (isContext(sd[i], 0)) certificates = elementsOf(sd[i++], 'certificates');
  if (isContext(sd[i], 1)) crls = elementsOf(sd[i++], 'crls');
  const signerInfos = set(sd[i++], 'signerInfos');
  if (i !== sd.length) throw new InputFormatError('unexpected element after signerInfos');
  return { eContentType, eContent, certificates, crls, signerInfos };
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

/** SignedAttributes / UnsignedAttributes: SET OF Attribute { attrType, attrValues SET OF ANY }. */
function attributeMap(node: Asn1Node | undefined): AttributeMap {
  const m = new Map<string, pkijs.Attribute[]>();
  if (!node) return m;
  for (const a of elementsOf(node, 'SignerInfo attributes')) {
    const parts = sequence(a, 'Attribute');
    const type = oid(parts[0], 'Attribute attrType');
    // A malformed attrValues becomes an empty list, which FC reports (rather than a TypeError later).
    const values = parts.length === 2 && parts[1] instanceof asn1js.Set && parts[1].idBlock.isConstructed ? parts[1].valueBlock.value : [];
    const attribute = new pkijs.Attribute({ type, values });
    const list = m.get(type);
    if (list) list.push(attribute);
    else m.set(type, [attribute]);
  }
  return m;
}

/** RFC 5652 5.3 SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsignedAttrs. */
function readSignerInfo(node: Asn1Node, index: number): CadesSignerInfo {
  const what = `SignerInfo[${index}]`;
  const p = sequence(node, what);
  let j = 0;
  integer(p[j++], `${what} version`);
  const sidNode = p[j++];
  let sid: SignerIdentifier;
  if (sidNode instanceof asn1js.Sequence) {
    const ias = sequence(sidNode, `${what} issuerAndSerialNumber`);
    if (ias.length !== 2) throw new InputFormatError(`${what}: issuerAndSerialNumber must have issuer and serialNumber`);
    const name = readNameNode(ias[0]!, `${what} issuer`);
    sid = {
      type: 'issuerAndSerialNumber',
      issuerKey: name.key,
      issuerText: name.text,
      serialNumberHex: toHex(integer(ias[1], `${what} serialNumber`).valueBlock.valueHexView),
    };
  } else if (isContext(sidNode, 0)) {
    // [0] IMPLICIT SubjectKeyIdentifier; tolerate the constructed (EXPLICIT-looking) form pkijs also accepted.
    const view = sidNode!.idBlock.isConstructed
      ? octetString(elementsOf(sidNode, `${what} subjectKeyIdentifier`)[0], `${what} subjectKeyIdentifier`).valueBlock.valueHexView
      : primitiveContent(sidNode, `${what} subjectKeyIdentifier`);
    sid = { type: 'subjectKeyIdentifier', keyIdentifier: toHex(view) };
  } else {
    throw new InputFormatError(`${what}: sid is neither issuerAndSerialNumber nor [0] subjectKeyIdentifier`);
  }
  const digestAlgorithm = algorithmIdOf(p[j++], `${what} digestAlgorithm`);
  const signedAttrsNode = isContext(p[j], 0) ? p[j++] : undefined;
  const signatureAlgorithm = algorithmIdOf(p[j++], `${what} signatureAlgorithm`);
  const signatureValue = octetStringContent(octetString(p[j++], `${what} signature`));
  const unsignedAttrsNode = isContext(p[j], 1) ? p[j++] : undefined;
  if (j !== p.length) throw new InputFormatError(`${what}: unexpected element`);

  const signedAttributes = attributeMap(signedAttrsNode);
  const unsignedAttributes = attributeMap(unsignedAttrsNode);
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
  let signedAttributesDer: Uint8Array | undefined;
  let signedAttributesReencoded = false;
  if (signedAttrsNode) {
    // The signature covers the DER of the attributes with the SET tag, not the [0] IMPLICIT tag (RFC 5652 5.4).
    signedAttributesDer = encodingOf(signedAttrsNode).slice();
    signedAttributesDer[0] = 0x31;
    // DER orders a SET OF by encoding and uses definite lengths. A signer that sent another order signed
    // something else than RFC 5652 says; verify over the DER form, as DSS does, so such input cannot pass.
    const children = ((signedAttrsNode as asn1js.Constructed).valueBlock.value ?? []).map((c) => encodingOf(c));
    const canonical = derSetOf(children);
    if (!equalBytes(canonical, signedAttributesDer)) {
      signedAttributesDer = canonical;
      signedAttributesReencoded = true;
    }
  }
  let raw: pkijs.SignerInfo | undefined;
  return {
    index,
    get raw(): pkijs.SignerInfo {
      return (raw ??= new pkijs.SignerInfo({ schema: node }));
    },
    sid,
    digestAlgorithm,
    signatureAlgorithm,
    signatureValue,
    signedAttributesDer,
    signedAttributesReencoded,
    signedAttributes,
    unsignedAttributes,
    claimedSigningTime,
    essSigningCertificates: v1 || v2 ? { v1, v2 } : undefined,
  };
}
