/**
 * Reads XAdES qualifying properties (ETSI EN 319 132-1, XAdES 1.3.2 / 1.4.1
 * namespaces; 1.1.1 accepted for reading) of one ds:Signature. Pure parsing:
 * nothing here decides validity; malformed parts are collected in `problems`.
 */
import { readNameElement } from '../pki/name.js';
import { fromBase64, toHex } from '../util/bytes.js';
import { CONTEXT, ElementBudget, explicitOf, NotWalkable, primitiveOf, seqOf, TAG, type DerElement } from '../util/der.js';
import { elementOf } from '../util/der-values.js';
import { child, childElements, children, DSIG_NS, is, isElement, strictText, XADES141_NS, xpathOf } from './dom.js';
import { XML_DIGEST_OIDS } from './algorithms.js';
import { lookupTable } from '../util/table.js';

export const XADES_NAMESPACES = ['http://uri.etsi.org/01903/v1.3.2#', 'http://uri.etsi.org/01903/v1.1.1#'] as const;
export const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';
/** XAdES 1.1.1 used this variant of the Type URI. */
export const SIGNED_PROPERTIES_TYPES = new Set([SIGNED_PROPERTIES_TYPE, 'http://uri.etsi.org/01903/v1.1.1#SignedProperties']);

export interface CertReference {
  readonly version: 1 | 2;
  readonly digestMethod: string;
  readonly digestOid: string | undefined;
  readonly digest: Uint8Array;
  /** v1: X509IssuerName text and the serial as hex; v2: from the IssuerSerialV2 DER. */
  readonly issuerSerial?: { readonly issuerKeys: readonly string[]; readonly issuerText?: string; readonly serialNumberHex: string };
}

/** One referenced object of the -C references: its ds:DigestMethod (URI and OID when known) and ds:DigestValue. */
export interface DigestReference {
  readonly digestMethod: string;
  readonly digestOid: string | undefined;
  readonly digest: Uint8Array;
}

export interface EncapsulatedTimeStamp {
  readonly kind: 'SignatureTimeStamp' | 'ArchiveTimeStamp' | 'SigAndRefsTimeStamp' | 'RefsOnlyTimeStamp' | 'AllDataObjectsTimeStamp' | 'IndividualDataObjectsTimeStamp';
  readonly element: Element;
  readonly canonicalizationMethod: string | null;
  /** DER of the RFC 3161 TimeStampToken (CMS). */
  readonly token: Uint8Array | null;
  readonly namespace: string;
}

export interface QualifyingProperties {
  readonly element: Element;
  readonly namespace: string;
  readonly target: string | null;
  readonly signedProperties?: Element;
  readonly signedPropertiesId: string | null;
  readonly signingTime?: Date;
  readonly signingTimeText?: string;
  readonly signingCertificates: readonly CertReference[];
  readonly signingCertificateVersion: 1 | 2 | null;
  readonly signaturePolicy?: { readonly implied: boolean; readonly identifier: string | null; readonly digestMethod: string | null; readonly digest: Uint8Array | null };
  readonly dataObjectFormats: readonly { readonly objectReference: string; readonly mimeType: string | null; readonly encoding: string | null; readonly description: string | null }[];
  readonly commitmentTypes: readonly string[];
  readonly unsigned?: Element;
  readonly timeStamps: readonly EncapsulatedTimeStamp[];
  readonly certificateValues: readonly Uint8Array[];
  readonly crlValues: readonly Uint8Array[];
  readonly ocspValues: readonly Uint8Array[];
  readonly hasTimeStampValidationData: boolean;
  /** xades:CertificateValues / RevocationValues directly in UnsignedSignatureProperties (what makes XAdES-LT). */
  readonly hasCertificateValues: boolean;
  readonly hasRevocationValues: boolean;
  /**
   * xades:CompleteCertificateRefs / xades141:CompleteCertificateRefsV2 (the -C level): the CertDigest of each
   * referenced certificate (EN 319 132-1 5.4.2 / TS 101 903 7.4.1); unset when the signature has none.
   */
  readonly completeCertificateRefs?: { readonly name: string; readonly refs: readonly DigestReference[] };
  /** xades:CompleteRevocationRefs: the DigestAlgAndValue of each CRLRef and OCSPRef (an OCSPRef may have none). */
  readonly completeRevocationRefs?: { readonly crls: readonly DigestReference[]; readonly ocsps: readonly DigestReference[] };
  /**
   * The values of xades:RevocationValues directly in UnsignedSignatureProperties (the signature's own, which
   * CompleteRevocationRefs references), apart from those of TimeStampValidationData (added later, for time-stamps).
   */
  readonly signatureRevocationValues: { readonly crls: readonly Uint8Array[]; readonly ocsps: readonly Uint8Array[] };
  readonly problems: readonly string[];
  /**
   * Unreadable unsigned validation material (an EncapsulatedX509Certificate, CRL or OCSP value in
   * CertificateValues / RevocationValues / TimeStampValidationData). It is material, not signed
   * structure: it only lacks what it would have contributed (a path, a status), so it is a warning,
   * never a FORMAT_FAILURE of the signature. (A corrupted copy of the signing certificate leaves the
   * signer unidentified: INDETERMINATE, not a pass.) An archive time-stamp over it fails its imprint.
   */
  readonly materialProblems: readonly string[];
}

function xadesChild(parent: Element, ns: string, name: string): Element | undefined {
  return child(parent, ns, name);
}

/** The xades:QualifyingProperties elements in the ds:Object children of a ds:Signature. */
export function findQualifyingProperties(signature: Element): Element[] {
  const out: Element[] = [];
  for (const obj of children(signature, DSIG_NS, 'Object')) {
    for (const c of childElements(obj)) {
      if (c.localName === 'QualifyingProperties' && (XADES_NAMESPACES as readonly string[]).includes(c.namespaceURI ?? '')) out.push(c);
    }
  }
  return out;
}

/** XAdES 1.4.1 elements (ArchiveTimeStamp, TimeStampValidationData) sit among the 1.3.2 ones. */
const ALL_XADES_NAMESPACES: readonly string[] = [...XADES_NAMESPACES, XADES141_NS];

/**
 * Where EN 319 132-1 (and TS 101 903) puts each XAdES element this validator reads:
 * local name → allowed parent local names (the parent in a XAdES namespace). `Object`
 * means ds:Object directly in the ds:Signature being validated.
 */
const XADES_PLACEMENT: Readonly<Record<string, readonly string[]>> = lookupTable({
  QualifyingProperties: ['Object'],
  SignedProperties: ['QualifyingProperties'],
  UnsignedProperties: ['QualifyingProperties'],
  SignedSignatureProperties: ['SignedProperties'],
  SignedDataObjectProperties: ['SignedProperties'],
  UnsignedSignatureProperties: ['UnsignedProperties'],
  UnsignedDataObjectProperties: ['UnsignedProperties'],
  SigningTime: ['SignedSignatureProperties'],
  SigningCertificate: ['SignedSignatureProperties'],
  SigningCertificateV2: ['SignedSignatureProperties'],
  SignaturePolicyIdentifier: ['SignedSignatureProperties'],
  SignatureProductionPlace: ['SignedSignatureProperties'],
  SignatureProductionPlaceV2: ['SignedSignatureProperties'],
  SignerRole: ['SignedSignatureProperties'],
  SignerRoleV2: ['SignedSignatureProperties'],
  DataObjectFormat: ['SignedDataObjectProperties'],
  CommitmentTypeIndication: ['SignedDataObjectProperties'],
  AllDataObjectsTimeStamp: ['SignedDataObjectProperties'],
  IndividualDataObjectsTimeStamp: ['SignedDataObjectProperties'],
  SignatureTimeStamp: ['UnsignedSignatureProperties'],
  ArchiveTimeStamp: ['UnsignedSignatureProperties'],
  SigAndRefsTimeStamp: ['UnsignedSignatureProperties'],
  RefsOnlyTimeStamp: ['UnsignedSignatureProperties'],
  CounterSignature: ['UnsignedSignatureProperties'],
  CompleteCertificateRefs: ['UnsignedSignatureProperties'],
  CompleteCertificateRefsV2: ['UnsignedSignatureProperties'],
  CompleteRevocationRefs: ['UnsignedSignatureProperties'],
  TimeStampValidationData: ['UnsignedSignatureProperties'],
  CertificateValues: ['UnsignedSignatureProperties', 'TimeStampValidationData'],
  RevocationValues: ['UnsignedSignatureProperties', 'TimeStampValidationData'],
});

/** Elements that may occur at most once under their parent (the reader takes the first: a second one would be ignored). */
const XADES_SINGLETONS = new Set([
  'SignedProperties',
  'UnsignedProperties',
  'SignedSignatureProperties',
  'SignedDataObjectProperties',
  'UnsignedSignatureProperties',
  'UnsignedDataObjectProperties',
  'SigningTime',
  'SigningCertificate',
  'SigningCertificateV2',
  'SignaturePolicyIdentifier',
  'SignatureProductionPlace',
  'SignatureProductionPlaceV2',
  'SignerRole',
  'SignerRoleV2',
  'CompleteCertificateRefs',
  'CompleteCertificateRefsV2',
  'CompleteRevocationRefs',
]);

/**
 * XAdES elements of this signature that are not where XAdES puts them (wrapped,
 * moved, duplicated). The reader only looks at the standard places, so anything
 * elsewhere would be silently ignored — a wrapped QualifyingProperties would turn
 * a XAdES signature with a wrong SigningCertificateV2 into a "plain XML-DSig"
 * one. Callers treat every entry as a FORMAT_FAILURE. Nested ds:Signature
 * subtrees (counter-signatures) are their own signatures and are not visited.
 */
export function misplacedXadesElements(signature: Element): string[] {
  const out: string[] = [];
  const singletons = new Map<Element, Map<string, number>>();
  // Children pushed last to first, so they pop in document order (no array of each element's children).
  const stack: Element[] = [];
  for (let c = signature.lastChild; c; c = c.previousSibling) if (isElement(c)) stack.push(c);
  while (stack.length) {
    const el = stack.pop()!;
    if (el.namespaceURI === DSIG_NS && el.localName === 'Signature') continue;
    for (let c = el.lastChild; c; c = c.previousSibling) if (isElement(c)) stack.push(c);
    if (!ALL_XADES_NAMESPACES.includes(el.namespaceURI ?? '')) continue;
    // A table without a prototype: an element named "constructor" or "toString" is no XAdES element.
    const allowed = XADES_PLACEMENT[el.localName ?? ''];
    if (!allowed) continue;
    const parent = el.parentNode as Element | null;
    let ok: boolean;
    if (allowed.includes('Object')) ok = !!parent && is(parent, DSIG_NS, 'Object') && parent.parentNode === signature;
    else ok = !!parent && ALL_XADES_NAMESPACES.includes(parent.namespaceURI ?? '') && allowed.includes(parent.localName ?? '');
    if (!ok) {
      // The location is spelled out only for an element that is reported (most signatures have none).
      out.push(`${xpathOf(el)} is not where XAdES puts it (${allowed.includes('Object') ? 'ds:Signature/ds:Object' : allowed.map((a) => `xades:${a}`).join(' or ')}): misplaced XAdES element`);
      continue;
    }
    if (XADES_SINGLETONS.has(el.localName ?? '')) {
      // Counted per parent in one pass: a hostile document may repeat an element many times.
      const perParent = singletons.get(parent!) ?? new Map<string, number>();
      perParent.set(el.localName, (perParent.get(el.localName) ?? 0) + 1);
      singletons.set(parent!, perParent);
    }
  }
  for (const [parent, counts] of singletons) {
    for (const [name, n] of counts) if (n > 1) out.push(`${n} ${name} elements in ${xpathOf(parent)}: at most one is allowed`);
  }
  return out;
}

export function readQualifyingProperties(qp: Element): QualifyingProperties {
  const ns = qp.namespaceURI!;
  const problems: string[] = [];
  const guard = <T>(what: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const materialProblems: string[] = [];
  const material = <T>(what: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      materialProblems.push(`${what} ignored: ${(e as Error).message}`);
      return undefined;
    }
  };
  const sp = xadesChild(qp, ns, 'SignedProperties');
  const ssp = sp ? xadesChild(sp, ns, 'SignedSignatureProperties') : undefined;
  const sdop = sp ? xadesChild(sp, ns, 'SignedDataObjectProperties') : undefined;

  let signingTime: Date | undefined;
  let signingTimeText: string | undefined;
  const st = ssp ? xadesChild(ssp, ns, 'SigningTime') : undefined;
  if (st) {
    signingTimeText = guard('SigningTime', () => strictText(st).trim());
    // xs:dateTime; without a zone it is local time of unknown zone — read as UTC and say so.
    if (signingTimeText) {
      const withZone = /(Z|[+-]\d\d:\d\d)$/.test(signingTimeText) ? signingTimeText : `${signingTimeText}Z`;
      const d = new Date(withZone);
      if (Number.isNaN(d.getTime()) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(signingTimeText)) problems.push(`SigningTime "${signingTimeText}" is not an xs:dateTime`);
      else signingTime = d;
    }
  }

  const signingCertificates: CertReference[] = [];
  let signingCertificateVersion: 1 | 2 | null = null;
  const scV2 = ssp ? xadesChild(ssp, ns, 'SigningCertificateV2') : undefined;
  const scV1 = ssp ? xadesChild(ssp, ns, 'SigningCertificate') : undefined;
  const sc = scV2 ?? scV1;
  if (sc) {
    signingCertificateVersion = scV2 ? 2 : 1;
    for (const cert of children(sc, ns, 'Cert')) {
      const ref = guard('SigningCertificate Cert', () => readCertRef(cert, ns, signingCertificateVersion!));
      if (ref) signingCertificates.push(ref);
    }
    if (!signingCertificates.length) problems.push('SigningCertificate has no readable Cert');
  }

  let signaturePolicy: QualifyingProperties['signaturePolicy'];
  const spi = ssp ? xadesChild(ssp, ns, 'SignaturePolicyIdentifier') : undefined;
  if (spi) {
    const spId = xadesChild(spi, ns, 'SignaturePolicyId');
    if (!spId) signaturePolicy = { implied: true, identifier: null, digestMethod: null, digest: null };
    else {
      const idEl = xadesChild(spId, ns, 'SigPolicyId');
      const identifier = idEl ? (xadesChild(idEl, ns, 'Identifier')?.textContent?.trim() ?? null) : null;
      const hash = xadesChild(spId, ns, 'SigPolicyHash');
      const dm = hash ? child(hash, DSIG_NS, 'DigestMethod')?.getAttribute('Algorithm') ?? null : null;
      const dv = hash ? child(hash, DSIG_NS, 'DigestValue') : undefined;
      signaturePolicy = { implied: false, identifier, digestMethod: dm, digest: dv ? (guard('SigPolicyHash', () => fromBase64(strictText(dv))) ?? null) : null };
    }
  }

  const dataObjectFormats = (sdop ? children(sdop, ns, 'DataObjectFormat') : []).map((d) => ({
    objectReference: d.getAttribute('ObjectReference') ?? '',
    mimeType: xadesChild(d, ns, 'MimeType')?.textContent?.trim() ?? null,
    encoding: xadesChild(d, ns, 'Encoding')?.textContent?.trim() ?? null,
    description: xadesChild(d, ns, 'Description')?.textContent?.trim() ?? null,
  }));
  const commitmentTypes = (sdop ? children(sdop, ns, 'CommitmentTypeIndication') : []).map((c) => {
    const id = xadesChild(c, ns, 'CommitmentTypeId');
    return (id ? xadesChild(id, ns, 'Identifier')?.textContent?.trim() : undefined) ?? '';
  });

  const timeStamps: EncapsulatedTimeStamp[] = [];
  const readTs = (el: Element, kind: EncapsulatedTimeStamp['kind']) => {
    const cm = child(el, DSIG_NS, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? null;
    const ets = childElements(el).find((e) => e.localName === 'EncapsulatedTimeStamp');
    const token = ets ? (guard(`${kind} EncapsulatedTimeStamp`, () => fromBase64(strictText(ets))) ?? null) : null;
    if (!ets) problems.push(`${kind} without EncapsulatedTimeStamp (XMLTimeStamp is not supported)`);
    timeStamps.push({ kind, element: el, canonicalizationMethod: cm, token, namespace: el.namespaceURI ?? '' });
  };
  if (sdop) {
    for (const el of children(sdop, ns, 'AllDataObjectsTimeStamp')) readTs(el, 'AllDataObjectsTimeStamp');
    for (const el of children(sdop, ns, 'IndividualDataObjectsTimeStamp')) readTs(el, 'IndividualDataObjectsTimeStamp');
  }
  const up = xadesChild(qp, ns, 'UnsignedProperties');
  const usp = up ? xadesChild(up, ns, 'UnsignedSignatureProperties') : undefined;
  const certificateValues: Uint8Array[] = [];
  const crlValues: Uint8Array[] = [];
  const ocspValues: Uint8Array[] = [];
  let hasTimeStampValidationData = false;
  let hasCertificateValues = false;
  let hasRevocationValues = false;
  let completeCertificateRefs: QualifyingProperties['completeCertificateRefs'];
  let completeRevocationRefs: QualifyingProperties['completeRevocationRefs'];
  const ownCrls: Uint8Array[] = [];
  const ownOcsps: Uint8Array[] = [];
  for (const el of usp ? childElements(usp) : []) {
    const local = el.localName;
    const inXades = el.namespaceURI === ns;
    const in141 = el.namespaceURI === XADES141_NS;
    if (inXades && (local === 'SignatureTimeStamp' || local === 'SigAndRefsTimeStamp' || local === 'RefsOnlyTimeStamp' || local === 'ArchiveTimeStamp')) readTs(el, local);
    else if (in141 && local === 'ArchiveTimeStamp') readTs(el, 'ArchiveTimeStamp');
    else if ((inXades && local === 'CompleteCertificateRefs') || (in141 && local === 'CompleteCertificateRefsV2')) {
      // Unsigned, but a wrong reference is a wrong -C form, not an absent one: unreadable references are a problem.
      const refs = guard(local, () => readCertificateRefs(el, ns));
      if (refs && !completeCertificateRefs) completeCertificateRefs = { name: local, refs };
    } else if (inXades && local === 'CompleteRevocationRefs') {
      const refs = guard(local, () => readRevocationRefs(el, ns));
      if (refs && !completeRevocationRefs) completeRevocationRefs = refs;
    }
    else if (inXades && local === 'CertificateValues') {
      hasCertificateValues = true;
      for (const c of children(el, ns, 'EncapsulatedX509Certificate')) {
        const der = material('EncapsulatedX509Certificate', () => fromBase64(strictText(c)));
        if (der) certificateValues.push(der);
      }
    } else if (inXades && local === 'RevocationValues') {
      hasRevocationValues = true;
      const crls: Uint8Array[] = [];
      const ocsps: Uint8Array[] = [];
      readRevocationValues(el, ns, crls, ocsps, material);
      for (const [own, all, read] of [[ownCrls, crlValues, crls], [ownOcsps, ocspValues, ocsps]] as const) {
        own.push(...read);
        all.push(...read);
      }
    } else if (in141 && local === 'TimeStampValidationData') {
      hasTimeStampValidationData = true;
      const cv = xadesChild(el, ns, 'CertificateValues');
      for (const c of cv ? children(cv, ns, 'EncapsulatedX509Certificate') : []) {
        const der = material('EncapsulatedX509Certificate', () => fromBase64(strictText(c)));
        if (der) certificateValues.push(der);
      }
      const rv = xadesChild(el, ns, 'RevocationValues');
      if (rv) readRevocationValues(rv, ns, crlValues, ocspValues, material);
    }
  }
  return {
    element: qp,
    namespace: ns,
    target: qp.getAttribute('Target'),
    signedProperties: sp,
    signedPropertiesId: sp?.getAttribute('Id') || null,
    signingTime,
    signingTimeText,
    signingCertificates,
    signingCertificateVersion,
    signaturePolicy,
    dataObjectFormats,
    commitmentTypes,
    unsigned: up,
    timeStamps,
    certificateValues,
    crlValues,
    ocspValues,
    hasTimeStampValidationData,
    hasCertificateValues,
    hasRevocationValues,
    ...(completeCertificateRefs ? { completeCertificateRefs } : {}),
    ...(completeRevocationRefs ? { completeRevocationRefs } : {}),
    signatureRevocationValues: { crls: ownCrls, ocsps: ownOcsps },
    problems,
    materialProblems,
  };
}

function readRevocationValues(
  el: Element,
  ns: string,
  crls: Uint8Array[],
  ocsps: Uint8Array[],
  guard: <T>(what: string, f: () => T) => T | undefined,
): void {
  const crlV = child(el, ns, 'CRLValues');
  for (const c of crlV ? children(crlV, ns, 'EncapsulatedCRLValue') : []) {
    const der = guard('EncapsulatedCRLValue', () => fromBase64(strictText(c)));
    if (der) crls.push(der);
  }
  const ocspV = child(el, ns, 'OCSPValues');
  for (const c of ocspV ? children(ocspV, ns, 'EncapsulatedOCSPValue') : []) {
    const der = guard('EncapsulatedOCSPValue', () => fromBase64(strictText(c)));
    if (der) ocsps.push(der);
  }
}

/** A ds:DigestMethod + ds:DigestValue pair inside `parent` (CertDigest, DigestAlgAndValue). */
function digestPair(parent: Element, what: string): DigestReference {
  const digestMethod = child(parent, DSIG_NS, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
  const dv = child(parent, DSIG_NS, 'DigestValue');
  if (!dv) throw new Error(`${what} without ds:DigestValue`);
  return { digestMethod, digestOid: XML_DIGEST_OIDS[digestMethod], digest: fromBase64(strictText(dv)) };
}

/** CompleteCertificateRefs(V2)/CertRefs/Cert/CertDigest (the V2 form's children are in the 1.3.2 namespace). */
function readCertificateRefs(el: Element, ns: string): DigestReference[] {
  const certRefs = child(el, ns, 'CertRefs');
  if (!certRefs) throw new Error('no CertRefs');
  return children(certRefs, ns, 'Cert').map((c) => {
    const cd = child(c, ns, 'CertDigest');
    if (!cd) throw new Error('Cert without CertDigest');
    return digestPair(cd, 'CertDigest');
  });
}

/** CompleteRevocationRefs: CRLRefs/CRLRef/DigestAlgAndValue and OCSPRefs/OCSPRef/DigestAlgAndValue (optional there). */
function readRevocationRefs(el: Element, ns: string): { crls: DigestReference[]; ocsps: DigestReference[] } {
  const crlRefs = child(el, ns, 'CRLRefs');
  const ocspRefs = child(el, ns, 'OCSPRefs');
  const crls = (crlRefs ? children(crlRefs, ns, 'CRLRef') : []).map((r) => {
    const d = child(r, ns, 'DigestAlgAndValue');
    if (!d) throw new Error('CRLRef without DigestAlgAndValue');
    return digestPair(d, 'CRLRef DigestAlgAndValue');
  });
  const ocsps: DigestReference[] = [];
  for (const r of ocspRefs ? children(ocspRefs, ns, 'OCSPRef') : []) {
    const d = child(r, ns, 'DigestAlgAndValue');
    if (d) ocsps.push(digestPair(d, 'OCSPRef DigestAlgAndValue'));
  }
  return { crls, ocsps };
}

function readCertRef(cert: Element, ns: string, version: 1 | 2): CertReference {
  const cd = child(cert, ns, 'CertDigest');
  if (!cd) throw new Error('Cert without CertDigest');
  const dm = child(cd, DSIG_NS, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
  const dvEl = child(cd, DSIG_NS, 'DigestValue');
  if (!dvEl) throw new Error('CertDigest without DigestValue');
  const digest = fromBase64(strictText(dvEl));
  let issuerSerial: CertReference['issuerSerial'];
  if (version === 1) {
    const is = child(cert, ns, 'IssuerSerial');
    if (is) {
      const name = child(is, DSIG_NS, 'X509IssuerName')?.textContent?.trim() ?? '';
      const serialText = child(is, DSIG_NS, 'X509SerialNumber')?.textContent?.trim() ?? '';
      if (!/^-?\d+$/.test(serialText)) throw new Error(`X509SerialNumber "${serialText}" is not an integer`);
      issuerSerial = { issuerKeys: [], issuerText: name, serialNumberHex: serialHex(BigInt(serialText)) };
    }
  } else {
    const is = child(cert, ns, 'IssuerSerialV2');
    if (is) {
      const der = fromBase64(strictText(is));
      try {
        issuerSerial = readIssuerSerialV2(elementOf(der, 'IssuerSerialV2', new ElementBudget(ISSUER_SERIAL_ELEMENTS, 'IssuerSerialV2 elements')));
      } catch (e) {
        // A form the header walk does not follow (BER indefinite lengths): read the decoded tree instead.
        if (!(e instanceof NotWalkable)) throw e;
        issuerSerial = readIssuerSerialV2(elementOf(der, 'IssuerSerialV2', undefined));
      }
    }
  }
  return { version, digestMethod: dm, digestOid: XML_DIGEST_OIDS[dm], digest, issuerSerial };
}

/** More elements than any issuer Name in an IssuerSerialV2 has; a larger one is a problem of the property, not a limit of the document. */
const ISSUER_SERIAL_ELEMENTS = 4096;

/**
 * RFC 5035 IssuerSerial { issuer GeneralNames, serialNumber INTEGER, issuerUID BIT STRING OPTIONAL }
 * read element by element (header-walked DER, names through pki/name's memo): pkijs.IssuerSerial's
 * schema comparison was ~11% of a whole XAdES-B verify for a signer seen for the first time.
 * Only directoryName ([4] EXPLICIT Name) issuers can match a certificate; other GeneralName forms are skipped.
 */
function readIssuerSerialV2(el: DerElement): NonNullable<CertReference['issuerSerial']> {
  const what = 'IssuerSerialV2';
  const parts = seqOf(el, what);
  if (parts.length < 2 || parts.length > 3) throw new Error(`${what}: expected issuer and serialNumber`);
  const issuerKeys: string[] = [];
  for (const gn of seqOf(parts[0], `${what} issuer`)) {
    if (gn.tagClass !== CONTEXT) throw new Error(`${what}: a GeneralName must be context-tagged`);
    if (gn.tagNumber === 4) issuerKeys.push(readNameElement(explicitOf(gn, 4, `${what} directoryName`), `${what} directoryName`).key);
  }
  const serial = primitiveOf(parts[1], TAG.integer, `${what} serialNumber`);
  if (!serial.length) throw new Error(`${what}: empty serialNumber`);
  return { issuerKeys, serialNumberHex: toHex(serial) };
}

/** DER INTEGER content of a serial, as hex, matching ParsedCertificate.serialNumberHex. */
function serialHex(n: bigint): string {
  if (n < 0n) {
    // Two's complement of the minimal length.
    let bytes = 1;
    while (-n > 1n << BigInt(bytes * 8 - 1)) bytes++;
    return ((1n << BigInt(bytes * 8)) + n).toString(16).padStart(bytes * 2, '0');
  }
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  if (parseInt(h.slice(0, 2), 16) & 0x80) h = '00' + h;
  return h;
}
