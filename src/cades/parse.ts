import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { equalBytes, toHex, concatBytes } from '../util/bytes.js';
import { algorithmIdOf, ParsedCertificate } from '../pki/certificate.js';
import { ParsedCrl } from '../pki/crl.js';
import { readNameNode } from '../pki/name.js';
import { decodeWhole, derSetOf, elementsOf, encodingOf, explicit, integer, isContext, octetString, oid, primitiveContent, sequence, set, tlvAt, tlvChildren, treeSize, type Asn1Node, type TlvRange } from '../util/asn1-tree.js';
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
 * asn1js decodes the bytes; the fields are then read by walking that tree
 * (src/util/asn1-tree.ts) rather than through pkijs.ContentInfo/SignedData,
 * whose schema comparison cost several times the decoding itself. The pkijs
 * objects stay available as `raw` and are built only when someone reads them.
 *
 * Embedded certificates are most of a CAdES-B's bytes, and a batch carries the
 * same few again and again. So the certificates field is first located by
 * reading tag and length headers only; each certificate's exact bytes then go
 * to the certificate cache, which decodes only those it has not seen, and
 * asn1js decodes only the rest of the SignedData. Any input this walk does not
 * follow (BER indefinite lengths, no certificates, anything malformed) takes
 * the full decode, which also reports every error.
 */
export function parseCades(der: Uint8Array, limits: CmsLimits = DEFAULT_CMS_LIMITS): CadesSignature {
  if (der.byteLength > limits.maxInputBytes) throw new LimitExceededError('cms.inputBytes', limits.maxInputBytes);
  let located: CadesSignature | undefined;
  try {
    located = parseLocatingCertificates(der, limits);
  } catch {
    // Malformed or over a limit: the full decode below reports it exactly as it always has.
  }
  return located ?? parseDecodingAll(der, limits);
}

/** parseCades without the certificate-locating fast path (exported for tests comparing the two). */
export function parseDecodingAll(der: Uint8Array, limits: CmsLimits = DEFAULT_CMS_LIMITS): CadesSignature {
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
    sd = readSignedData(sequence(signedDataNode, 'SignedData'));
  } catch (e) {
    throw new InputFormatError(`malformed SignedData: ${(e as Error).message}`, { cause: e });
  }
  checkSigners(sd, limits);

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
  return assemble(der, sd, certificates, () => signedDataNode);
}

/** DER of the contentType OID id-signedData (1.2.840.113549.1.7.2). */
const SIGNED_DATA_OID = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
/** Levels above a SignedData element (ContentInfo, [0]) and above a certificate (…, SignedData, [0] certificates). */
const SIGNED_DATA_ELEMENT_DEPTH = 3;
const CERTIFICATE_DEPTH = 4;

/**
 * The fast path of parseCades: undefined (or a throw) when the input is not a
 * definite-length SignedData with a certificates field, so the caller takes the
 * full decode. Limits hold as for the full decode: the elements walked, every
 * decoded part and every certificate (decoded or found in the cache, charged
 * the same either way) count against maxAsn1Elements, and each part's depth
 * is bounded by what remains of maxAsn1Depth at its level.
 */
function parseLocatingCertificates(der: Uint8Array, limits: CmsLimits): CadesSignature | undefined {
  if (limits.maxAsn1Depth <= CERTIFICATE_DEPTH + 1) return undefined;
  const ci = tlvAt(der, 0, der.length);
  if (!ci || ci.tag !== 0x30 || ci.end !== der.length) return undefined;
  const ciParts = tlvChildren(der, ci, 2);
  if (ciParts?.length !== 2 || ciParts[1]!.tag !== 0xa0 || !equalBytes(der.subarray(ciParts[0]!.start, ciParts[0]!.end), SIGNED_DATA_OID)) return undefined;
  const wrapped = tlvChildren(der, ciParts[1]!, 1);
  if (wrapped?.length !== 1 || wrapped[0]!.tag !== 0x30) return undefined;
  // version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos
  const parts = tlvChildren(der, wrapped[0]!, 6);
  if (!parts || parts.length < 5 || parts[3]!.tag !== 0xa0) return undefined;
  let budget = limits.maxAsn1Elements - 5; // ContentInfo, contentType, [0], SignedData, certificates: walked, not decoded
  const charge = (nodes: number) => {
    budget -= nodes;
    if (budget < 0) throw new LimitExceededError('cms.asn1Elements', limits.maxAsn1Elements);
  };
  const decode = (r: TlvRange, levelsAbove: number): Asn1Node => {
    const maxDepth = limits.maxAsn1Depth - levelsAbove;
    const asn = decodeBerWithLimits(der.subarray(r.start, r.end), { maxBytes: limits.maxInputBytes, maxDepth, maxElements: budget }, 'cms');
    if (asn.offset !== r.end - r.start) throw new InputFormatError('part does not decode');
    charge(treeSize(asn.result).nodes);
    return asn.result;
  };

  const certRanges = tlvChildren(der, parts[3]!, Math.max(budget, 0));
  if (!certRanges) return undefined;
  const certBytes = certRanges.filter((r) => r.tag === 0x30);
  if (certBytes.length > limits.maxCertificates) throw new LimitExceededError('cms.certificates', limits.maxCertificates);
  const certificates: ParsedCertificate[] = [];
  for (const r of certRanges) {
    if (r.tag !== 0x30) {
      decode(r, CERTIFICATE_DEPTH); // other CertificateChoices: must decode (as in the full decode), then ignored
      continue;
    }
    const maxDepth = limits.maxAsn1Depth - CERTIFICATE_DEPTH;
    const { certificate, size } = certificateCache.getSized(der.subarray(r.start, r.end), (bytes) => {
      const asn = decodeBerWithLimits(bytes, { maxBytes: limits.maxInputBytes, maxDepth, maxElements: Math.max(budget, 1) }, 'cms');
      if (asn.offset !== bytes.length) throw new InputFormatError('certificate does not decode');
      return treeSize(asn.result);
    });
    // Root depth is 1 here and 0 for asn1js.
    if (size.depth - 1 > maxDepth) throw new LimitExceededError('cms.asn1Depth', limits.maxAsn1Depth);
    charge(size.nodes);
    certificates.push(certificate);
  }
  const nodes = parts.filter((_, i) => i !== 3).map((r) => decode(r, SIGNED_DATA_ELEMENT_DEPTH));
  const sd = readSignedData(nodes);
  checkSigners(sd, limits);
  let signedDataNode: Asn1Node | undefined;
  return assemble(der, sd, certificates, () => (signedDataNode ??= explicit(sequence(decodeWhole(der, 'CMS'), 'ContentInfo')[1], 0, 'ContentInfo content')));
}

function checkSigners(sd: SignedDataNodes, limits: CmsLimits): void {
  if (sd.signerInfos.length === 0) throw new InputFormatError('SignedData has no SignerInfo');
  if (sd.signerInfos.length > limits.maxSigners) throw new LimitExceededError('cms.signers', limits.maxSigners);
}

/** The CadesSignature from the SignedData's fields; `signedData` gives its decoded tree for the lazy pkijs view. */
function assemble(der: Uint8Array, sd: SignedDataNodes, certificates: ParsedCertificate[], signedData: () => Asn1Node): CadesSignature {
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
      return (raw ??= new pkijs.SignedData({ schema: signedData() }));
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
function readSignedData(sd: readonly Asn1Node[]): SignedDataNodes {
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
  return concatBytes(parts);
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
