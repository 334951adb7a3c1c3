import * as pkijs from 'pkijs';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { copyBytes, equalBytes, toHex } from '../util/bytes.js';
import { algorithmIdentifierOf, ParsedCertificate } from '../pki/certificate.js';
import { locateCertificateList, ParsedCrl } from '../pki/crl.js';
import { readNameElement } from '../pki/name.js';
import { decodeWhole, derSetOf, explicit, sequence, type Asn1Node } from '../util/asn1-tree.js';
import {
  Asn1Element,
  asn1Of,
  ElementBudget,
  explicitOf,
  isContextTag,
  isUniversal,
  locateAll,
  measureTlv,
  NotWalkable,
  octetsOf,
  oidOf,
  primitiveOf,
  seqOf,
  setOf,
  smallIntegerOf,
  TAG,
  timeOf,
  TlvElement,
  UNIVERSAL,
  CONTEXT,
  type DerElement,
} from '../util/der.js';
import { OID } from '../pki/oids.js';
import { parseSigningCertificate } from './ess.js';
import { readAttributes, singleValue } from './attributes.js';
import type { CadesSignature, CadesSignerInfo, SignerIdentifier } from './model.js';
import { certificateCache, crlCache } from '../pki/cache.js';
import { cmsLimitsOf, decodeBerWithLimits, DEFAULT_LIMITS, type CmsLimits } from '../limits.js';
import { mapped } from '../util/list.js';

/** The CMS parser's share of `Limits` (declared in src/limits.ts, which documents each one and its default). */
export type { CmsLimits };

export const DEFAULT_CMS_LIMITS: CmsLimits = cmsLimitsOf(DEFAULT_LIMITS);

/**
 * Parses DER ContentInfo(SignedData) into a CadesSignature; anything that is not SignedData is an InputFormatError.
 *
 * The fast path decodes almost nothing: the structure is located by reading
 * tag and length headers (src/util/der.ts TlvElement), byte-valued fields
 * (content, signature value, message digest) are taken from their place, and
 * the rest goes to asn1js once per distinct encoding (DecodeMemo): a batch
 * from one signer repeats its issuer name, algorithm identifiers, attribute
 * types and ESS signing-certificate value, and repeats its certificates, which
 * the certificate cache parses once. Unsigned attribute values (time-stamp
 * tokens, validation data) are only located; their consumers parse their bytes.
 *
 * Input the header walk does not follow (BER indefinite lengths, high tag
 * numbers, anything malformed or over a limit) takes the full asn1js decode,
 * which reports every error; both paths then run the same readers over
 * DerElement, so they cannot drift apart.
 */
export function parseCades(der: Uint8Array, limits: CmsLimits = DEFAULT_CMS_LIMITS): CadesSignature {
  if (der.byteLength > limits.maxInputBytes) throw new LimitExceededError('cms.inputBytes', limits.maxInputBytes);
  let located: CadesSignature | undefined;
  try {
    located = parseLocated(der, limits);
  } catch {
    // Malformed or over a limit: the full decode below reports it exactly as it always has.
  }
  return located ?? parseDecodingAll(der, limits);
}

/** parseCades without the header-walking fast path (exported for tests comparing the two). */
export function parseDecodingAll(der: Uint8Array, limits: CmsLimits = DEFAULT_CMS_LIMITS): CadesSignature {
  const asn = decodeBerWithLimits(der, { maxBytes: limits.maxInputBytes, maxDepth: limits.maxAsn1Depth, maxElements: limits.maxAsn1Elements }, 'cms');
  if (asn.offset === -1) throw new InputFormatError(`not BER/DER: ${asn.result.error || 'decoding failed'}`);
  if (asn.offset !== der.length) throw new InputFormatError(`unexpected ${der.length - asn.offset} bytes after the CMS structure`);
  const signedDataNode = signedDataOf(new Asn1Element(asn.result));
  const sd = readSignedDataOrFail(signedDataNode);
  checkSigners(sd, limits);
  // Only plain Certificate choices (universal SEQUENCE); attribute/other certificate choices are tagged.
  const certElements = sd.certificates.filter((c) => isUniversal(c, TAG.sequence));
  if (certElements.length > limits.maxCertificates) throw new LimitExceededError('cms.certificates', limits.maxCertificates);
  const certificates = certElements.map((c, i) => {
    try {
      // The exact bytes as decoded (never re-encoded); the cache copies them only when it parses a new certificate.
      return certificateCache.get(c.encoding);
    } catch (e) {
      // A CertificateSet element that is not a Certificate makes the SignedData malformed (as pkijs's schema check did).
      throw new InputFormatError(`malformed SignedData: certificates[${i}]: ${(e as Error).message}`, { cause: e });
    }
  });
  return assemble(der, sd, certificates, () => (signedDataNode as Asn1Element).node);
}

/** ContentInfo { contentType id-signedData, [0] EXPLICIT SignedData }: the SignedData element. */
function signedDataOf(ci: DerElement): DerElement {
  let parts: readonly DerElement[];
  let contentType: string;
  try {
    parts = seqOf(ci, 'ContentInfo');
    if (parts.length !== 2) throw new InputFormatError('ContentInfo must have contentType and content');
    contentType = oidOf(parts[0], 'ContentInfo contentType');
  } catch (e) {
    throw new InputFormatError(`not a CMS ContentInfo: ${(e as Error).message}`, { cause: e });
  }
  if (contentType !== OID.signedData) throw new InputFormatError(`CMS content type ${contentType} is not signedData`);
  try {
    return explicitOf(parts[1], 0, 'ContentInfo content');
  } catch (e) {
    throw new InputFormatError(`not a CMS ContentInfo: ${(e as Error).message}`, { cause: e });
  }
}

function readSignedDataOrFail(el: DerElement): SignedDataParts {
  try {
    return readSignedData(seqOf(el, 'SignedData'));
  } catch (e) {
    if (e instanceof LimitExceededError) throw e;
    throw new InputFormatError(`malformed SignedData: ${(e as Error).message}`, { cause: e });
  }
}

/** Levels above a SignedData field (ContentInfo, [0], SignedData) and above a certificate (…, [0] certificates). */
const SIGNED_DATA_PART_DEPTH = 3;
const CERTIFICATE_DEPTH = 4;
/** Nesting the certificate measurement follows before it gives up (deeper input takes the full decode). */
const MEASURE_MAX_DEPTH = 256;

type DepthLimit = { readonly name: string; readonly max: number };

/** The elements inside `el` (none for a primitive one), which may hold `depthLeft` more levels (as locateAll counts them). */
function descend(el: DerElement, depthLeft: number, depthLimit: DepthLimit, what: string): readonly DerElement[] {
  if (!el.constructed) return [];
  if (depthLeft <= 0) throw new LimitExceededError(depthLimit.name, depthLimit.max);
  return el.children(what);
}

/**
 * Locates one SignedData field like locateAll, except the CRLs it carries (the
 * [1] crls field, and the unsigned attribute revocationValues of a CAdES-LT):
 * those are located by locateCertificateList, which leaves the entries of
 * revokedCertificates to ParsedCrl's own walk. A national CRL lists tens of
 * thousands of certificates that are indexed, never decoded, so the element
 * limit counts what is decoded.
 */
function locatePart(p: DerElement, depthLeft: number, depthLimit: DepthLimit): void {
  if (isContextTag(p, 1)) {
    for (const c of descend(p, depthLeft, depthLimit, 'crls')) locateCertificateList(c, depthLeft - 1, depthLimit);
    return;
  }
  if (!isUniversal(p, TAG.set)) return locateAll(p, depthLeft, depthLimit);
  // signerInfos: SET OF SignerInfo, whose [1] unsignedAttrs may hold revocationValues.
  for (const si of descend(p, depthLeft, depthLimit, 'signerInfos')) {
    for (const f of descend(si, depthLeft - 1, depthLimit, 'SignerInfo')) {
      if (!isContextTag(f, 1)) {
        locateAll(f, depthLeft - 2, depthLimit);
        continue;
      }
      for (const attr of descend(f, depthLeft - 2, depthLimit, 'unsignedAttrs')) {
        const [type, values, ...rest] = descend(attr, depthLeft - 3, depthLimit, 'Attribute');
        const isRevocationValues = isUniversal(type, TAG.oid) && oidOf(type, 'attrType') === REVOCATION_VALUES_OID;
        for (const el of [type, ...rest]) if (el) locateAll(el, depthLeft - 4, depthLimit);
        if (!values) continue;
        if (!isRevocationValues) {
          locateAll(values, depthLeft - 4, depthLimit);
          continue;
        }
        // RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL, ocspVals [1] …, otherRevVals [2] … }
        for (const v of descend(values, depthLeft - 4, depthLimit, 'attrValues')) {
          for (const tagged of descend(v, depthLeft - 5, depthLimit, 'RevocationValues')) {
            if (!isContextTag(tagged, 0)) {
              locateAll(tagged, depthLeft - 6, depthLimit);
              continue;
            }
            for (const list of descend(tagged, depthLeft - 6, depthLimit, 'crlVals')) {
              if (!isUniversal(list, TAG.sequence)) {
                locateAll(list, depthLeft - 7, depthLimit);
                continue;
              }
              for (const crl of descend(list, depthLeft - 7, depthLimit, 'crlVals')) locateCertificateList(crl, depthLeft - 8, depthLimit);
            }
          }
        }
      }
    }
  }
}

/** id-aa-ets-revocationValues (EN 319 122-1 5.5.2). */
const REVOCATION_VALUES_OID = '1.2.840.113549.1.9.16.2.24';

/**
 * The fast path of parseCades: undefined (or a throw) when the header walk
 * cannot follow the input, so the caller takes the full decode. Limits hold
 * as for the full decode: every element counts against maxAsn1Elements and
 * nesting is bounded by maxAsn1Depth. Everything but the certificates is
 * located before it is read; a certificate is charged the size its header
 * walk measured when the cache first saw it, so the same input meets the
 * same limits whether or not its certificates were cached.
 */
function parseLocated(der: Uint8Array, limits: CmsLimits): CadesSignature | undefined {
  if (limits.maxAsn1Depth <= CERTIFICATE_DEPTH + 1) return undefined;
  const budget = new ElementBudget(limits.maxAsn1Elements, 'cms.asn1Elements');
  const depthLimit = { name: 'cms.asn1Depth', max: limits.maxAsn1Depth };
  const ci = TlvElement.of(der, budget);
  if (!ci) return undefined;
  const parts = seqOf(signedDataOf(ci), 'SignedData');
  for (const p of parts) if (!isContextTag(p, 0)) locatePart(p, limits.maxAsn1Depth - SIGNED_DATA_PART_DEPTH, depthLimit);
  const sd = readSignedData(parts);
  checkSigners(sd, limits);

  const certElements = sd.certificates.filter((c) => isUniversal(c, TAG.sequence));
  if (certElements.length > limits.maxCertificates) throw new LimitExceededError('cms.certificates', limits.maxCertificates);
  const certMaxDepth = limits.maxAsn1Depth - CERTIFICATE_DEPTH;
  const certificates: ParsedCertificate[] = [];
  for (const c of sd.certificates) {
    if (!isUniversal(c, TAG.sequence)) {
      locateAll(c, certMaxDepth, depthLimit); // other CertificateChoices: bounded like the rest, then ignored
      continue;
    }
    const { certificate, size } = certificateCache.getSized(c.encoding, (bytes) => {
      const measured = measureTlv(bytes, Number.MAX_SAFE_INTEGER, MEASURE_MAX_DEPTH);
      if (!measured) throw new NotWalkable('certificate');
      return measured;
    });
    if (size.depth - 1 > certMaxDepth) throw new LimitExceededError(depthLimit.name, depthLimit.max);
    budget.charge(size.nodes - 1); // the certificate element itself was counted when located
    certificates.push(certificate);
  }
  let signedDataNode: Asn1Node | undefined;
  return assemble(der, sd, certificates, () => (signedDataNode ??= explicit(sequence(decodeWhole(der, 'CMS'), 'ContentInfo')[1], 0, 'ContentInfo content')));
}

function checkSigners(sd: SignedDataParts, limits: CmsLimits): void {
  if (sd.signerInfos.length === 0) throw new InputFormatError('SignedData has no SignerInfo');
  if (sd.signerInfos.length > limits.maxSigners) throw new LimitExceededError('cms.signers', limits.maxSigners);
}

/** The CadesSignature from the SignedData's parts; `signedData` gives its decoded tree for the lazy pkijs view. */
function assemble(der: Uint8Array, sd: SignedDataParts, certificates: ParsedCertificate[], signedData: () => Asn1Node): CadesSignature {
  const crls: ParsedCrl[] = [];
  const otherRevocationInfo: { format: string; info: DerElement }[] = [];
  for (const c of sd.crls) {
    if (c.tagClass === CONTEXT && c.tagNumber === 1) {
      // OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo ANY }, here [1] IMPLICIT.
      try {
        const parts = c.children('OtherRevocationInfoFormat');
        if (parts.length === 2) otherRevocationInfo.push({ format: oidOf(parts[0], 'otherRevInfoFormat'), info: parts[1]! });
      } catch {
        /* ignored like an unparsable CRL */
      }
      continue;
    }
    // CertificateList is a universal SEQUENCE.
    if (c.tagClass !== UNIVERSAL || c.tagNumber !== TAG.sequence) continue;
    try {
      crls.push(crlCache.get(c.encoding));
    } catch {
      /* ignored like an unparsable certificate */
    }
  }

  const signers = mapped(sd.signerInfos, (si, index) => readSignerInfo(si, index));
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

interface SignedDataParts {
  readonly eContentType: string;
  readonly eContent?: Uint8Array;
  readonly certificates: readonly DerElement[];
  readonly crls: readonly DerElement[];
  readonly signerInfos: readonly DerElement[];
}


/** RFC 5652 5.1 SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos. */
function readSignedData(sd: readonly DerElement[]): SignedDataParts {
  let i = 0;
  smallIntegerOf(sd[i++], 'version');
  for (const a of setOf(sd[i++], 'digestAlgorithms')) algorithmIdentifierOf(a, 'digestAlgorithms');
  const eci = seqOf(sd[i++], 'encapContentInfo');
  if (eci.length < 1 || eci.length > 2) throw new InputFormatError('encapContentInfo must have eContentType and optional eContent');
  const eContentType = oidOf(eci[0], 'eContentType');
  const eContent = eci[1] ? octetsOf(explicitOf(eci[1], 0, 'eContent'), 'eContent') : undefined;
  let certificates: readonly DerElement[] = [];
  let crls: readonly DerElement[] = [];
  if (isContextTag(sd[i], 0)) certificates = sd[i++]!.children('certificates');
  if (isContextTag(sd[i], 1)) crls = sd[i++]!.children('crls');
  const signerInfos = setOf(sd[i++], 'signerInfos');
  if (i !== sd.length) throw new InputFormatError('unexpected element after signerInfos');
  return { eContentType, eContent, certificates, crls, signerInfos };
}

/** SignerIdentifier: issuerAndSerialNumber, or [0] IMPLICIT SubjectKeyIdentifier (constructed form tolerated, as pkijs did). */
function signerIdentifierOf(el: DerElement | undefined, what: string): SignerIdentifier {
  if (isUniversal(el, TAG.sequence) && el.constructed) {
    const ias = el.children(`${what} issuerAndSerialNumber`);
    if (ias.length !== 2) throw new InputFormatError(`${what}: issuerAndSerialNumber must have issuer and serialNumber`);
    // The issuer Name is read once per distinct encoding (name.ts); the serial's magnitude is plain bytes.
    const name = readNameElement(ias[0], `${what} issuer`);
    return { type: 'issuerAndSerialNumber', issuerKey: name.key, issuerText: name.text, serialNumberHex: toHex(primitiveOf(ias[1], TAG.integer, `${what} serialNumber`)) };
  }
  if (isContextTag(el, 0)) {
    const keyId = el.constructed ? primitiveOf(el.children(`${what} subjectKeyIdentifier`)[0], TAG.octetString, `${what} subjectKeyIdentifier`) : el.content(`${what} subjectKeyIdentifier`);
    return { type: 'subjectKeyIdentifier', keyIdentifier: toHex(keyId) };
  }
  throw new InputFormatError(`${what}: sid is neither issuerAndSerialNumber nor [0] subjectKeyIdentifier`);
}

/**
 * The countersignature values (RFC 5652 11.4, unsigned attribute 1.2.840.113549.1.9.6) of `si`, each read as a
 * SignerInfo (`index` numbers them across the attribute's occurrences). A value that is no SignerInfo is a
 * problem, not a throw: the signature it counter-signs is validated all the same. The values were located
 * under the parse's element and depth limits, so reading them allocates nothing beyond those.
 */
export function readCounterSignerInfos(si: CadesSignerInfo, label: string): { readonly signers: readonly CadesSignerInfo[]; readonly problems: readonly string[] } {
  const signers: CadesSignerInfo[] = [];
  const problems: string[] = [];
  let index = 0;
  const attributes = si.unsignedAttributes.get(OID.counterSignature) ?? [];
  for (const a of attributes) {
    for (const v of a.values) {
      const i = index++;
      try {
        signers.push(readSignerInfo(v, i, `${label}/countersignature[${i}]`));
      } catch (e) {
        if (e instanceof LimitExceededError) throw e;
        problems.push(`${label}/countersignature[${i}] is not a SignerInfo: ${(e as Error).message}`);
      }
    }
  }
  if (attributes.length && index === 0) problems.push(`${label}: countersignature attribute without values`);
  return { signers, problems };
}

/** RFC 5652 5.3 SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsignedAttrs. */
function readSignerInfo(el: DerElement, index: number, what = `SignerInfo[${index}]`): CadesSignerInfo {
  const p = seqOf(el, what);
  let j = 0;
  smallIntegerOf(p[j++], `${what} version`);
  const sid = signerIdentifierOf(p[j++], what);
  const digestAlgorithm = algorithmIdentifierOf(p[j++], `${what} digestAlgorithm`);
  const signedAttrsElement = isContextTag(p[j], 0) ? p[j++] : undefined;
  const signatureAlgorithm = algorithmIdentifierOf(p[j++], `${what} signatureAlgorithm`);
  const signatureValue = octetsOf(p[j++], `${what} signature`);
  const unsignedAttrsElement = isContextTag(p[j], 1) ? p[j++] : undefined;
  if (j !== p.length) throw new InputFormatError(`${what}: unexpected element`);

  const signedAttributes = readAttributes(signedAttrsElement, `${what} signedAttrs`, true);
  const unsignedAttributes = readAttributes(unsignedAttrsElement, `${what} unsignedAttrs`, false);
  // Decoded with the other signed attribute values above; a value of another type is no claimed time. A repeated
  // signing-time (or one with several values) is no claimed time either: the received order is not signed, so
  // "the first" would be the sender's choice (format checking makes it a FORMAT_FAILURE).
  const st = singleValue(signedAttributes, OID.signingTime);
  const claimedSigningTime = isUniversal(st, TAG.utcTime) || isUniversal(st, TAG.generalizedTime) ? timeOf(st, `${what} signingTime`) : undefined;

  const ess = (oid: string, v: 1 | 2) => {
    const a = signedAttributes.get(oid);
    if (!a) return undefined;
    if (a.length !== 1 || a[0]!.values.length !== 1) return 'malformed' as const;
    return parseSigningCertificate(a[0]!.values[0]!, v) ?? ('malformed' as const);
  };
  const v2 = ess(OID.signingCertificateV2, 2);
  const v1 = ess(OID.signingCertificate, 1);
  let signedAttributesDer: Uint8Array | undefined;
  let signedAttributesReencoded = false;
  if (signedAttrsElement) {
    // The signature covers the DER of the attributes with the SET tag, not the [0] IMPLICIT tag (RFC 5652 5.4).
    // A private copy: the element is a view of the caller's input, which is never written.
    signedAttributesDer = copyBytes(signedAttrsElement.encoding);
    signedAttributesDer[0] = 0x31;
    // DER orders a SET OF by encoding and uses definite lengths. A signer that sent another order signed
    // something else than RFC 5652 says; verify over the DER form, as DSS does, so such input cannot pass.
    const canonical = derSetOf(mapped(signedAttrsElement.children(`${what} signedAttrs`), (c) => c.encoding));
    if (!equalBytes(canonical, signedAttributesDer)) {
      signedAttributesDer = canonical;
      signedAttributesReencoded = true;
    }
  }
  let raw: pkijs.SignerInfo | undefined;
  return {
    index,
    get raw(): pkijs.SignerInfo {
      return (raw ??= new pkijs.SignerInfo({ schema: asn1Of(el, what) }));
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
