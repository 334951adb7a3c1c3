/**
 * EN 319 102-1 basic signature validation of one XAdES (or plain XML-DSig)
 * signature — FC, ISC, CV, XCV, SAV — producing the same SignatureReport as CAdES.
 *
 * Signed-content policy (signature-wrapping defence). A report can only say
 * "this document is signed" when the signed data is what the caller sees:
 * every data reference (all but the one to SignedProperties) must be either
 *   - a detached reference served from caller-supplied content, or
 *   - `URI=""` / `#id` of the document element (enveloped), or
 *   - an element inside this signature's own ds:Object when the document
 *     element IS the ds:Signature (enveloping), or when the document holds
 *     nothing but ds:Signature elements in empty containers (parallel
 *     enveloping signatures, as TÜBİTAK MA3 writes them: enveloping.ts).
 * Anything else — content moved into a ds:Object of a signature embedded in a
 * different document, a ds:Object of another signature, a sibling/descendant
 * element signed by Id while the document element is not (internally
 * detached) — gives the check
 * `fc.signed-content` INDETERMINATE / SIGNED_DATA_NOT_FOUND: the data that is
 * signed is not the data the caller has. Ambiguous Ids (the same Id on two
 * elements) are a FORMAT_FAILURE (`fc.unique-ids`). Each reference's coverage is
 * listed in the `cv.reference[i]` check details.
 *
 * XAdES structure: properties are read only from their EN 319 132-1 places
 * (ds:Signature/ds:Object/xades:QualifyingProperties/...); a XAdES element of the
 * signature found anywhere else (wrapped, moved, duplicated singleton) is a
 * FORMAT_FAILURE (`fc.xades-structure`) rather than ignored, and so is a
 * SignedProperties reference covering anything but that place. XAdES properties
 * without a signed SigningCertificate(V2) leave the signer unbound unless
 * ds:KeyInfo is itself signed: INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND.
 */
import { LimitExceededError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { certificateCache, crlCache } from '../pki/cache.js';
import { CertificatePool } from '../pki/pool.js';
import { CheckList } from '../etsi/check.js';
import { equalBytes } from '../util/bytes.js';
import { ParsedCrl } from '../pki/crl.js';
import { ParsedOcspResponse } from '../revocation/ocsp.js';
import type { ValidationContext } from '../validation/options.js';
import { evaluateSignature, type SignatureOutcome } from '../stage/signature.js';
import type { AlgorithmUse, SeverityFact, SignatureFacts, SignaturePolicyFact, TimestampFact } from '../stage/facts.js';
import { child, childElements, children, DSIG_NS, forEachElement, indexIds, isAncestorOrSelf, XADES141_NS, xpathOf } from './dom.js';
import { MAX_COUNTER_SIGNATURE_DEPTH } from '../limits.js';
import {
  findQualifyingProperties,
  misplacedXadesElements,
  readQualifyingProperties,
  SIGNED_PROPERTIES_TYPES,
  XADES_NAMESPACES,
  type CertReference,
  type QualifyingProperties,
} from './properties.js';
import { WorkBudget, XML_WORK } from '../util/work-budget.js';
import { keyInfoCertificateElements, keyInfoCertificates, NO_VERIFICATION_KEY, readSignatureStructure, verifyXmlSignature, type DetachedContent, type ReferenceResult, type SignatureStructure, type XmlSignatureResult } from './xmldsig.js';
import { xmlDigestOid, xmlSignatureMethod } from './algorithms.js';
import { keyValueKeys } from './keyvalue.js';
import { xadesTimestampFacts } from './timestamps.js';
import { isDirectObjectData, signatureContainer, unsignedObjectContent } from './enveloping.js';
import { securityTokenCertificates, securityTokenReferences, soapShape, wsSecurityCoverage, type TokenCertificate } from './wssecurity.js';
import { checkXadesCompleteReferences } from './references.js';

const XADES_ALL_NAMESPACES: readonly string[] = [...XADES_NAMESPACES, XADES141_NS];

export interface XadesValidationInput {
  readonly doc: Document;
  readonly signature: Element;
  /** Position among the document's signatures, for the report id. */
  readonly index: number;
  readonly detachedContent?: DetachedContent;
  /** The document's work budget, shared by all its signatures (default: a fresh `limits.maxXmlWork`). */
  readonly budget?: WorkBudget;
  /** `indexIds(doc)`, computed once per document by the caller (default: computed here). */
  readonly ids?: ReadonlyMap<string, readonly Element[]>;
  /** The report id (default `Signature[@Id='…']` or `Signature[index]`). */
  readonly id?: string;
  /**
   * Counter-signatures still to validate in the document (limits.maxSigners less its signatures and the
   * counter-signatures already taken), shared by all its signatures (default: maxSigners less this one).
   */
  readonly allowance?: { left: number };
  /**
   * Set when `signature` is a counter-signature (EN 319 132-1 5.4.2): the ds:SignatureValue of the signature it
   * counter-signs (its only allowed signed data), that signature's report id, and the nesting depth (1 = a
   * counter-signature of a signature).
   */
  readonly countersigned?: { readonly signatureValue: Element; readonly id: string; readonly depth: number };
}

/** The Type of the reference by which a counter-signature covers the countersigned ds:SignatureValue (EN 319 132-1 5.4.2). */
export const COUNTERSIGNED_SIGNATURE_TYPE = 'http://uri.etsi.org/01903#CountersignedSignature';

/** The ds:Signature elements of a document that are signatures in their own right (not counter-signatures). */
export function findSignatures(doc: Document): Element[] {
  // Document order, as getElementsByTagNameNS gives it, without building xmldom's live list.
  const all: Element[] = [];
  forEachElement(doc, (e) => {
    if (e.namespaceURI === DSIG_NS && e.localName === 'Signature') all.push(e);
  });
  return all.filter((s) => {
    for (let p = s.parentNode; p; p = p.parentNode) {
      const el = p as Element;
      if (el.localName === 'CounterSignature' || (el.namespaceURI === DSIG_NS && el.localName === 'SignedInfo')) return false;
    }
    return true;
  });
}

/** The facts of one ds:Signature: FC, ISC and CV done here; XCV, SAV, time-stamps, PSV and the verdict are the stage's. */
export async function collectXadesSignature(input: XadesValidationInput, ctx: ValidationContext): Promise<SignatureFacts> {
  const { doc, signature } = input;
  const checks = new CheckList();
  const warnings: string[] = [];
  const findings: SeverityFact[] = [];
  const algorithms: AlgorithmUse[] = [];
  let pool: CertificatePool | undefined;
  let kiCerts: ParsedCertificate[] = [];
  let embedded: ParsedCertificate[] = [];
  const embeddedCrls: ParsedCrl[] = [];
  const embeddedOcsps: ParsedOcspResponse[] = [];
  let timestamps: TimestampFact[] = [];
  const sigId = signature.getAttribute('Id');
  const id = input.id ?? (sigId ? `Signature[@Id='${sigId}']` : `Signature[${input.index}]`);
  let counterSignatures: SignatureFacts[] = [];
  let signaturePolicy: SignaturePolicyFact | undefined;
  let certificateReferences: SignatureFacts['certificateReferences'];

  // --- FC: format checking (XML-DSig structure, EN 319 132-1 XAdES-B) ---
  let structure: SignatureStructure | undefined;
  let signer: ParsedCertificate | undefined;
  let xml: XmlSignatureResult | undefined;
  let level = 'XML-DSig';
  let qp: QualifyingProperties | undefined;
  /** The SignedProperties read are the ones this signature covers: only then is SigningTime reported. */
  let propertiesSigned = false;
  try {
    structure = readSignatureStructure(signature);
  } catch (e) {
    checks.fail('FC', 'fc.structure', `ds:Signature is malformed: ${(e as Error).message}`, 'FORMAT_FAILURE');
    return finish();
  }
  // XAdES elements anywhere but their standard place would be ignored by the reader below (a wrapped
  // QualifyingProperties made the signature look like plain XML-DSig): they are a format failure.
  for (const p of misplacedXadesElements(signature)) checks.fail('FC', 'fc.xades-structure', p, 'FORMAT_FAILURE');
  const qpEls = findQualifyingProperties(signature);
  if (qpEls.length > 1) checks.fail('FC', 'fc.qualifying-properties', `${qpEls.length} QualifyingProperties elements: exactly one is allowed`, 'FORMAT_FAILURE');
  else if (qpEls.length === 1) {
    qp = readQualifyingProperties(qpEls[0]!);
    for (const p of qp.problems) checks.fail('FC', 'fc.qualifying-properties', p, 'FORMAT_FAILURE');
    for (const p of qp.materialProblems) warnings.push(p);
    if (sigId && qp.target === `#${sigId}`) checks.pass('FC', 'fc.target', `QualifyingProperties Target ${qp.target} is this signature`);
    else {
      // The properties are bound structurally all the same: they are read only from this
      // signature's own ds:Object and SignedProperties must be covered by its SignedInfo.
      // Real-world signers get Target wrong (DSS accepts e.g. "#Signature" for Id "signature").
      // Its weight is the policy's (qualifyingPropertiesTargetMismatch): the stage records it, FAIL as a failing fc.target.
      findings.push({
        finding: 'qualifyingPropertiesTargetMismatch',
        detail: `QualifyingProperties Target "${qp.target ?? ''}" does not match the signature Id "${sigId ?? ''}"`,
        note: { block: 'FC', id: 'fc.target', detail: `QualifyingProperties Target "${qp.target ?? ''}" does not name this signature (Id "${sigId ?? ''}"); accepted because they sit in this signature's ds:Object` },
      });
    }
    if (!qp.signedProperties) checks.fail('FC', 'fc.signed-properties', 'QualifyingProperties has no SignedProperties', 'FORMAT_FAILURE');
    level = levelOf(qp);
  } else {
    findings.push({ finding: 'signingCertificateNotSigned', detail: 'no XAdES QualifyingProperties: a plain XML-DSig signature; the signing certificate is not bound by the signature' });
  }
  const ids = input.ids ?? indexIds(doc);
  const duplicates = structure.references
    .map((r) => r.getAttribute('URI') ?? '')
    .filter((u) => u.startsWith('#'))
    .map((u) => u.slice(1).replace(/^xpointer\(id\(['"]([^'"]+)['"]\)\)$/, '$1'))
    .filter((i) => (ids.get(i)?.length ?? 0) > 1);
  if (sigId && (ids.get(sigId)?.length ?? 0) > 1) duplicates.push(sigId);
  // A WS-Security token reference by Id follows the same rule as a ds:Reference: one element or refused.
  for (const str of securityTokenReferences(structure.keyInfo)) {
    for (const r of Array.from(str.getElementsByTagNameNS(str.namespaceURI, 'Reference'))) {
      const u = r.getAttribute('URI') ?? '';
      if (u.startsWith('#') && (ids.get(u.slice(1))?.length ?? 0) > 1) duplicates.push(u.slice(1));
    }
  }
  if (qp?.signedPropertiesId && (ids.get(qp.signedPropertiesId)?.length ?? 0) > 1) duplicates.push(qp.signedPropertiesId);
  if (duplicates.length) {
    checks.fail('FC', 'fc.unique-ids', `Id(s) ${[...new Set(duplicates)].map((d) => `"${d}"`).join(', ')} occur on more than one element: references are ambiguous`, 'FORMAT_FAILURE');
  }

  // --- ISC: identification of the signing certificate ---
  // All work on the document (every signature's canonicalizations, digests, certificates) draws on one budget.
  const budget = input.budget ?? new WorkBudget(ctx.limits.maxXmlWork);
  // Carried certificates are counted before any is decoded, and bounded like a CMS's.
  const carried = keyInfoCertificateElements(structure.keyInfo).length + (qp?.certificateValues.length ?? 0);
  if (carried > ctx.limits.maxCertificates) {
    throw new LimitExceededError('xml.certificates', ctx.limits.maxCertificates, `the signature carries ${carried} certificates (max ${ctx.limits.maxCertificates})`);
  }
  const problems: string[] = [];
  kiCerts = keyInfoCertificates(structure.keyInfo, problems, budget);
  // WS-Security: ds:KeyInfo/wsse:SecurityTokenReference names a wsse:BinarySecurityToken; its certificate is a
  // candidate exactly like a ds:X509Certificate (unsigned unless the token itself is covered by a reference).
  const tokens = securityTokenCertificates(structure.keyInfo, doc, ids, budget);
  problems.push(...tokens.problems);
  const tokenOf = new Map<ParsedCertificate, TokenCertificate>();
  for (const t of tokens.certificates) {
    if (!tokenOf.has(t.certificate)) tokenOf.set(t.certificate, t);
    if (!kiCerts.includes(t.certificate)) kiCerts.push(t.certificate);
  }
  for (const p of problems) warnings.push(p);
  embedded = qp ? qp.certificateValues.flatMap((d) => tryCert(d, warnings, budget)) : [];
  const xmlOptions = { registry: ctx.registry, detachedContent: input.detachedContent, maxReferences: ctx.limits.maxXmlReferences, budget, ids };
  // Path building consults ctx.anchors through its own index: the pool holds the carried certificates, plus
  // the anchor that signed directly when the reference names one (never a copy of the whole trust set).
  pool = new CertificatePool([...kiCerts, ...embedded, ...ctx.intermediates].map((certificate) => ({ certificate })));
  if (qp && qp.signingCertificates.length) {
    const first = qp.signingCertificates[0]!;
    const matching = async (list: Iterable<ParsedCertificate>) => {
      for (const c of list) if (await certRefMatches(first, c, ctx, warnings)) return c;
      return undefined;
    };
    const named = first.issuerSerial ? first.issuerSerial.issuerKeys.flatMap((k) => ctx.anchors.withIssuerSerial(k, first.issuerSerial!.serialNumberHex)) : [];
    signer = await matching([...pool.values()].map((x) => x.certificate));
    // Digest-only references (and issuer names that do not parse to a key) still find a directly trusted signer, by a scan.
    const anchor = signer ? undefined : ((await matching(named.map((a) => a.certificate))) ?? (await matching([...ctx.anchors.values()].map((a) => a.certificate))));
    const trusted = anchor && ctx.anchors.find(anchor);
    if (trusted) {
      signer = trusted.certificate;
      pool.add(trusted);
    }
    const name = first.version === 2 ? 'SigningCertificateV2' : 'SigningCertificate';
    if (signer) checks.pass('ISC', 'isc.signing-certificate-reference', `${name} digest${first.issuerSerial ? ' and issuer/serial' : ''} match ${signer.subject.text}`);
    else checks.indeterminate('ISC', 'isc.signing-certificate-reference', `no available certificate matches the ${name} reference`, 'NO_SIGNING_CERTIFICATE_FOUND');
  } else {
    if (qp) findings.push({ finding: 'signingCertificateNotSigned', detail: 'XAdES SignedProperties carry no SigningCertificate(V2): not XAdES-B; the signer is identified by KeyInfo only' });
    // No signed binding: take the KeyInfo certificate whose key verifies; trust still comes only from XCV. The
    // candidates are tried on the SignatureValue alone (one canonical SignedInfo); references are digested once.
    if (kiCerts.length) {
      xml = await verifyXmlSignature(doc, signature, { ...xmlOptions, key: kiCerts });
      signer = (xml.key as ParsedCertificate | null) ?? kiCerts[0];
    }
    const token = signer && tokenOf.get(signer);
    if (signer && token) checks.pass('ISC', 'isc.key-info', `signer identified by the certificate ${signer.subject.text} of the ${token.description} that ds:KeyInfo/wsse:SecurityTokenReference names (not bound by a signed property)`);
    else if (signer) checks.pass('ISC', 'isc.key-info', `signer identified by its ds:KeyInfo certificate ${signer.subject.text} (not bound by a signed property)`);
    else {
      const strs = securityTokenReferences(structure.keyInfo).length;
      checks.indeterminate(
        'ISC',
        'isc.key-info',
        strs
          ? `no signing certificate: the ds:KeyInfo wsse:SecurityTokenReference gives no usable X.509 token${tokens.problems.length ? ` (${tokens.problems.join('; ')})` : ''}`
          : 'no signing certificate: ds:KeyInfo carries no X509Certificate and no SigningCertificate is present',
        'NO_SIGNING_CERTIFICATE_FOUND',
      );
      // A bare public key identifies nobody, but checking it tells the caller whether the signature is intact.
      const keys = await keyValueKeys(structure.keyInfo);
      if (keys.length) {
        xml = await verifyXmlSignature(doc, signature, { ...xmlOptions, key: keys });
        if (xml.signatureValid) warnings.push('the signature verifies with the public key in ds:KeyValue, which is not bound to any certificate: intact, signer unknown');
      } else if (strs) {
        // No key at all: the references are still resolved (not digested) so the report says what they would cover.
        xml = await verifyXmlSignature(doc, signature, { ...xmlOptions, key: [] });
      }
    }
  }

  // --- CV: references and signature value (with the identified certificate only) ---
  if (signer && !xml) xml = await verifyXmlSignature(doc, signature, { ...xmlOptions, key: signer });
  if (xml) {
    for (const r of xml.references) {
      const what = `reference ${r.index}${r.uri !== null ? ` URI="${r.uri}"` : ''}${r.type ? ` Type=${r.type}` : ''} covers ${r.covered.description}${r.covered.excludesSignature ? ' minus the enveloped signature' : ''}`;
      if (!r.digested && !xml.signatureValid && !r.error?.startsWith('malformed') && !r.error?.includes('ambiguous')) checks.skip('CV', `cv.reference[${r.index}]`, `${what}: ${r.error}`);
      else if (r.digestOk) checks.pass('CV', `cv.reference[${r.index}]`, `${what}: ${r.digestAlgorithm} digest ${r.digestValue} matches`);
      else if (r.error?.startsWith('digest mismatch')) checks.fail('CV', `cv.reference[${r.index}]`, `${what}: ${r.error}`, 'HASH_FAILURE');
      else if (r.error?.includes('ambiguous') || r.error?.startsWith('malformed')) checks.fail('FC', `cv.reference[${r.index}]`, `${what}: ${r.error}`, 'FORMAT_FAILURE');
      else if (r.error?.startsWith('unsupported algorithm')) checks.indeterminate('CV', `cv.reference[${r.index}]`, `${what}: ${r.error}`, 'CRYPTO_CONSTRAINTS_FAILURE');
      else checks.indeterminate('CV', `cv.reference[${r.index}]`, `${what}: ${r.error}`, 'SIGNED_DATA_NOT_FOUND');
    }
    if (!xml.signatureValid && !signer && xml.signatureError === NO_VERIFICATION_KEY) checks.skip('CV', 'cv.signature-value', 'not verified: no signing certificate to verify the SignatureValue with');
    else if (xml.signatureValid) checks.pass('CV', 'cv.signature-value', `${xml.resolvedAlgorithm?.name ?? xml.signedInfoAlgorithm} SignatureValue verifies with the signer's ${xml.resolvedAlgorithm?.key ?? ''} key`);
    else if (xml.problems.length) checks.fail('FC', 'fc.structure', xml.problems.join('; '), 'FORMAT_FAILURE');
    else if (!xmlSignatureMethod(xml.signedInfoAlgorithm, ctx.registry) || /unsupported|not supported|no provider/i.test(xml.signatureError ?? '')) {
      checks.indeterminate('CV', 'cv.signature-value', xml.signatureError ?? 'unsupported algorithm', 'CRYPTO_CONSTRAINTS_FAILURE');
    } else checks.fail('CV', 'cv.signature-value', xml.signatureError ?? 'SignatureValue does not verify', 'SIG_CRYPTO_FAILURE');

    // SignedProperties must be signed, by a reference of the XAdES Type that covers exactly that element.
    if (qp?.signedProperties) {
      const sp = xml.references.filter((r) => r.covered.element === qp!.signedProperties);
      const typed = sp.filter((r) => r.type && SIGNED_PROPERTIES_TYPES.has(r.type));
      if (typed.length === 1) {
        checks.pass('FC', 'fc.signed-properties-reference', `SignedProperties covered by reference ${typed[0]!.index} of Type ${typed[0]!.type}`);
        propertiesSigned = typed[0]!.digestOk;
      }
      else if (sp.length) checks.fail('FC', 'fc.signed-properties-reference', 'SignedProperties is referenced without Type http://uri.etsi.org/01903#SignedProperties', 'FORMAT_FAILURE');
      else checks.fail('FC', 'fc.signed-properties-reference', 'no ds:Reference covers the SignedProperties: the XAdES properties are not signed', 'FORMAT_FAILURE');
    }
    // A reference of the SignedProperties Type, or one covering any xades:SignedProperties, must cover
    // the one at ds:Object/xades:QualifyingProperties/xades:SignedProperties of this signature: signed
    // properties anywhere else are properties nobody reads, and the signer would go unbound.
    for (const r of xml.references) {
      const el = r.covered.element;
      const coversSignedProperties = !!el && el.localName === 'SignedProperties' && XADES_ALL_NAMESPACES.includes(el.namespaceURI ?? '');
      if (((r.type && SIGNED_PROPERTIES_TYPES.has(r.type)) || coversSignedProperties) && (!qp?.signedProperties || el !== qp.signedProperties)) {
        checks.fail(
          'FC',
          'fc.signed-properties-reference',
          `reference ${r.index}${r.type ? ` of Type ${r.type}` : ''} covers ${r.covered.description}, not ds:Signature/ds:Object/xades:QualifyingProperties/xades:SignedProperties of this signature`,
          'FORMAT_FAILURE',
        );
      }
    }
    // A signature that claims to be XAdES must bind its signing certificate by a signed property
    // (EN 319 132-1 5.2.2); TS 101 903 XAdES-BES also allowed a signed ds:KeyInfo instead. Without
    // either, anyone can swap the KeyInfo certificate for another one with the same key.
    if (qp && !qp.signingCertificates.length && signer) {
      // A token certificate is bound only when the token itself is signed too (the KeyInfo holds just its Id).
      const token = tokenOf.get(signer);
      const signed = (el: Element | undefined) => !!el && xml!.references.some((r) => r.covered.element === el && r.digestOk);
      const keyInfoSigned = signed(structure.keyInfo) && (!token || signed(token.token));
      if (keyInfoSigned) checks.pass('ISC', 'isc.key-info-signed', 'no SigningCertificate(V2), but ds:KeyInfo with the signing certificate is covered by a signed reference');
      else checks.indeterminate('ISC', 'isc.signing-certificate-reference', 'XAdES QualifyingProperties without a signed SigningCertificate(V2), and ds:KeyInfo is not signed: the signing certificate is not bound by the signature', 'NO_SIGNING_CERTIFICATE_FOUND');
    }
    if (input.countersigned) counterSignedContentPolicy(signature, xml, qp, input.countersigned, checks, warnings);
    else signedContentPolicy(doc, signature, xml, qp, checks, findings);
    // DataObjectFormat must point at a data reference of this signature.
    for (const dof of qp?.dataObjectFormats ?? []) {
      const target = dof.objectReference.replace(/^#/, '');
      if (!xml.references.some((r) => r.id === target)) {
        checks.fail('FC', 'fc.data-object-format', `DataObjectFormat ObjectReference "${dof.objectReference}" names no ds:Reference of this signature`, 'FORMAT_FAILURE');
      }
    }
  }

  // A document the caller supplies is the document it wants verified. Only a detached reference signs supplied
  // bytes; a signature without one (enveloped, enveloping) signs what it carries, so "verifying" it against a
  // supplied document would pass any document: it fails instead, as CAdES does for attached content.
  if (input.detachedContent && !structure.references.some((r) => isDetachedUri(r.hasAttribute('URI') ? r.getAttribute('URI') : null))) {
    const signs = xml?.references.filter((r) => r.covered.kind !== 'unresolved').map((r) => r.covered.description) ?? [];
    checks.fail(
      'CV',
      'cv.supplied-content',
      `the supplied document is not the signed content: this signature has no detached reference${signs.length ? ` (it signs ${[...new Set(signs)].join(', ')} of the XML document itself)` : ''}`,
      'HASH_FAILURE',
    );
  }

  // --- carried XAdES-LT validation data (material: the stage verifies each CRL / OCSP response before use) ---
  for (const der of qp?.crlValues ?? []) {
    try {
      embeddedCrls.push(crlCache.get(der));
    } catch (e) {
      warnings.push(`unreadable EncapsulatedCRLValue: ${(e as Error).message}`);
    }
  }
  for (const der of qp?.ocspValues ?? []) {
    try {
      embeddedOcsps.push(ParsedOcspResponse.fromDer(der));
    } catch (e) {
      warnings.push(`unreadable EncapsulatedOCSPValue: ${(e as Error).message}`);
    }
  }

  // --- -C references (CompleteCertificateRefs(V2), CompleteRevocationRefs) against the carried validation data ---
  if (qp) certificateReferences = await checkXadesCompleteReferences(qp, [...kiCerts, ...embedded], ctx, checks);

  // --- algorithms used: the signature, each ds:Reference digest (each binds signed data), the SigningCertificate digest ---
  if (xml?.resolvedAlgorithm) algorithms.push({ kind: 'signature', algorithm: xml.resolvedAlgorithm });
  for (const r of xml?.references ?? []) {
    algorithms.push({ kind: 'digest', role: 'binding', id: `sav.reference-digest[${r.index}]`, what: `reference ${r.index} DigestMethod ${r.digestAlgorithm}`, digest: r.digestAlgorithm });
  }
  const certRef = qp?.signingCertificates[0];
  const certRefDigestOid = certRef && (certRef.digestOid ?? xmlDigestOid(certRef.digestMethod, ctx.registry));
  if (signer && certRefDigestOid) {
    const name = ctx.registry.digestName(certRefDigestOid);
    algorithms.push({ kind: 'digest', role: 'signing-certificate-reference', id: 'sav.signing-certificate-digest', what: `SigningCertificate reference digest ${name}`, digest: name });
  }
  // SignaturePolicyIdentifier (XAdES-EPES): a fact for the stage, which checks it. Only a signed one counts.
  if (qp?.signaturePolicy && propertiesSigned) signaturePolicy = xadesSignaturePolicy(qp.signaturePolicy, ctx);
  if (signaturePolicy?.problem) checks.fail('FC', 'fc.signature-policy-identifier', `SignaturePolicyIdentifier is malformed: ${signaturePolicy.problem}`, 'FORMAT_FAILURE');

  // --- time-stamp tokens with the bytes each covers (T / LT / LTA) ---
  timestamps = qp ? xadesTimestampFacts(qp, xml, signature, checks, warnings, budget) : [];

  // --- counter-signatures: signatures of their own, over this signature's ds:SignatureValue ---
  if (qp) {
    const allowance = input.allowance ?? { left: ctx.limits.maxSigners - 1 };
    counterSignatures = await counterSignatureFacts({ ...input, budget, ids, allowance }, qp, structure, id, input.countersigned?.depth ?? 0, ctx, warnings);
  }

  return finish();

  function finish(): SignatureFacts {
    return {
      id,
      format: 'XAdES',
      level,
      checks: checks.items,
      warnings,
      signer,
      pool: pool ?? new CertificatePool(),
      certificates: [...kiCerts, ...embedded],
      crls: embeddedCrls,
      ocsps: embeddedOcsps,
      signatureAlgorithmName: xml?.resolvedAlgorithm?.name ?? structure?.signatureMethod ?? null,
      digestAlgorithmName: xml?.resolvedAlgorithm?.digest ?? null,
      algorithms,
      claimedSigningTime: propertiesSigned ? qp?.signingTime : undefined,
      timestamps,
      findings,
      ...(signaturePolicy ? { signaturePolicy } : {}),
      ...(certificateReferences ? { certificateReferences } : {}),
      ...(counterSignatures.length ? { counterSignatures } : {}),
    };
  }
}

/**
 * The xades:CounterSignature properties of a signature (UnsignedSignatureProperties, EN 319 132-1 5.4.2), each
 * holding one ds:Signature collected as a signature of its own whose only signed data may be `structure`'s
 * ds:SignatureValue. Bounded: none deeper than MAX_COUNTER_SIGNATURE_DEPTH, none beyond `input.allowance`
 * (limits.maxSigners over the document); those left out are named in `warnings`. They share the document's work budget.
 */
async function counterSignatureFacts(
  input: XadesValidationInput & { readonly allowance: { left: number } },
  qp: QualifyingProperties,
  structure: SignatureStructure,
  id: string,
  depth: number,
  ctx: ValidationContext,
  warnings: string[],
): Promise<SignatureFacts[]> {
  const usp = qp.unsigned ? child(qp.unsigned, qp.namespace, 'UnsignedSignatureProperties') : undefined;
  const holders = usp ? children(usp, qp.namespace, 'CounterSignature') : [];
  if (!holders.length) return [];
  if (depth >= MAX_COUNTER_SIGNATURE_DEPTH) {
    warnings.push(`${holders.length} CounterSignature(s) of ${id} not validated: nested deeper than ${MAX_COUNTER_SIGNATURE_DEPTH} levels`);
    return [];
  }
  const out: SignatureFacts[] = [];
  for (const [i, holder] of holders.entries()) {
    const sigs = children(holder, DSIG_NS, 'Signature');
    if (sigs.length !== 1 || childElements(holder).length !== 1) {
      warnings.push(`CounterSignature[${i}] of ${id} does not hold exactly one ds:Signature: not validated`);
      continue;
    }
    if (input.allowance.left <= 0) {
      warnings.push(`${holders.length - i} CounterSignature(s) of ${id} not validated: the document holds more signatures and counter-signatures than limits.maxSigners (${ctx.limits.maxSigners})`);
      break;
    }
    input.allowance.left--;
    out.push(
      await collectXadesSignature(
        {
          doc: input.doc,
          signature: sigs[0]!,
          index: i,
          id: `${id}/CounterSignature[${i}]`,
          // A counter-signature signs the countersigned SignatureValue only: no supplied document is its content.
          budget: input.budget,
          ids: input.ids,
          allowance: input.allowance,
          countersigned: { signatureValue: structure.signatureValueElement, id, depth: depth + 1 },
        },
        ctx,
      ),
    );
  }
  return out;
}

/** One XAdES signature: its facts, judged by the signature stage (kept for callers that validate one ds:Signature). */
export async function validateXadesSignature(input: XadesValidationInput, ctx: ValidationContext): Promise<SignatureOutcome> {
  return evaluateSignature(await collectXadesSignature(input, ctx), ctx);
}

/** XAdES baseline level as far as the unsigned properties go (EN 319 132-1 clause 6). */
function levelOf(qp: QualifyingProperties): string {
  const b = qp.signingCertificates.length > 0 && qp.signingTime !== undefined;
  if (!b) return 'XAdES-BES';
  const has = (k: string) => qp.timeStamps.some((t) => t.kind === k);
  if (has('ArchiveTimeStamp')) return 'XAdES-BASELINE-LTA';
  if (has('SignatureTimeStamp') && qp.hasCertificateValues && qp.hasRevocationValues) return 'XAdES-BASELINE-LT';
  if (has('SignatureTimeStamp')) return 'XAdES-BASELINE-T';
  return 'XAdES-BASELINE-B';
}

/** The references of `signature` that sign data: all but those to its SignedProperties and to its own parts. */
function dataReferences(signature: Element, xml: XmlSignatureResult, qp: QualifyingProperties | undefined): ReferenceResult[] {
  // References to the signature's own parts (SignedProperties, KeyInfo, SignatureValue...) protect
  // the signature, they are not signed data; only ds:Object content can be data inside it.
  const inOwnObject = (el: Element | null) => {
    for (let n: Node | null = el; n && n !== signature; n = n.parentNode) {
      if (n.parentNode === signature) return (n as Element).namespaceURI === DSIG_NS && (n as Element).localName === 'Object';
    }
    return false;
  };
  return xml.references.filter(
    (r) =>
      !(qp?.signedProperties && r.covered.element === qp.signedProperties) &&
      !(r.type && SIGNED_PROPERTIES_TYPES.has(r.type)) &&
      !(r.covered.element && r.covered.insideSignature && !inOwnObject(r.covered.element) && r.covered.element !== signature),
  );
}

/**
 * The signed-content rule of a counter-signature (EN 319 132-1 5.4.2): its signed data is exactly the
 * ds:SignatureValue of the signature it counter-signs. A data reference covering anything else (another
 * element, the whole parent signature, a detached file) is SIGNED_DATA_NOT_FOUND: what it signs is not the
 * signature it claims to counter-sign.
 */
function counterSignedContentPolicy(
  signature: Element,
  xml: XmlSignatureResult,
  qp: QualifyingProperties | undefined,
  countersigned: NonNullable<XadesValidationInput['countersigned']>,
  checks: CheckList,
  warnings: string[],
): void {
  const data = dataReferences(signature, xml, qp);
  if (data.length === 0) {
    checks.fail('FC', 'fc.signed-content', `no reference signs the countersigned ds:SignatureValue of ${countersigned.id}`, 'FORMAT_FAILURE');
    return;
  }
  const bad = data.filter((r) => r.covered.kind !== 'unresolved' && r.covered.element !== countersigned.signatureValue);
  if (bad.length) {
    const what = bad.map((r) => `reference ${r.index} (${r.uri ?? 'no URI'}) covers ${r.covered.description}`).join('; ');
    checks.indeterminate('FC', 'fc.signed-content', `a counter-signature signs the ds:SignatureValue of ${countersigned.id} and nothing else (EN 319 132-1 5.4.2): ${what}`, 'SIGNED_DATA_NOT_FOUND');
    return;
  }
  if (data.some((r) => r.covered.kind === 'unresolved')) return; // its CV check says why; nothing is signed data yet
  const typed = data.filter((r) => r.type === COUNTERSIGNED_SIGNATURE_TYPE);
  if (!typed.length) warnings.push(`the reference to the countersigned ds:SignatureValue has no Type ${COUNTERSIGNED_SIGNATURE_TYPE} (EN 319 132-1 5.4.2)`);
  checks.pass('FC', 'fc.signed-content', `signed data is the ds:SignatureValue ${xpathOf(countersigned.signatureValue)} of the countersigned signature ${countersigned.id}`);
}

function signedContentPolicy(doc: Document, signature: Element, xml: XmlSignatureResult, qp: QualifyingProperties | undefined, checks: CheckList, findings: SeverityFact[]): void {
  // WS-Security: a signature in soap:Header/wsse:Security of an exact SOAP envelope signs message parts by
  // Id; only the Envelope's own Body and its own header's Timestamp / token are accepted (wssecurity.ts).
  const shape = soapShape(doc, signature);
  const soapPart = (r: ReferenceResult) => (shape && r.covered.kind === 'element' && r.covered.element && r.uri?.startsWith('#') ? wsSecurityCoverage(shape, r.covered.element) : undefined);
  const data = dataReferences(signature, xml, qp);
  if (data.length === 0) {
    checks.fail('FC', 'fc.signed-content', 'no reference signs any data besides the signed properties', 'FORMAT_FAILURE');
    return;
  }
  const enveloping = doc.documentElement === signature;
  // Parallel enveloping signatures: only when the document holds nothing but signatures (this one among them).
  const container = enveloping ? undefined : signatureContainer(doc);
  const parallel = !!container?.signatures.includes(signature);
  const bad: string[] = [];
  let inOwnObject = false;
  for (const r of data) {
    const c = r.covered;
    if (c.kind === 'unresolved') continue; // already a CV finding
    if (c.kind === 'detached' || c.isDocumentElement) continue;
    // Enveloping: the data is a ds:Object child of this signature, or an element directly in one
    // (a ds:Object re-parented deeper, e.g. under a wrapper, is the DSS "fake object" XSW).
    if ((enveloping || parallel) && c.element && isDirectObjectData(signature, c.element)) {
      inOwnObject = true;
      continue;
    }
    if (soapPart(r)) continue;
    const other = !c.insideSignature && c.element ? enclosingSignature(c.element) : undefined;
    bad.push(
      `reference ${r.index} (${r.uri}) covers ${c.description}, ${
        c.insideSignature
          ? `inside the signature while the document element is ${doc.documentElement.nodeName}${container ? '' : ' and holds more than signatures'}`
          : other
            ? `inside another ds:Signature ${xpathOf(other)}, not in a ds:Object of this one`
            : `not the document element ${doc.documentElement.nodeName}`
      }`,
    );
  }
  if (bad.length) {
    checks.indeterminate('FC', 'fc.signed-content', `the signed data is not the document the caller has: ${bad.join('; ')}`, 'SIGNED_DATA_NOT_FOUND');
  } else {
    const what = [...new Set(data.map((r) => soapPart(r) ?? describeSignedData(r, signature)))];
    const where =
      parallel && inOwnObject
        ? `, inside this ds:Signature (one of ${container!.signatures.length} parallel ds:Signature elements; the document holds nothing else: ${container!.containers.join(', ')} carry no text and no attributes)`
        : '';
    checks.pass('FC', 'fc.signed-content', `signed data is ${what.join(' and ')}${where}`);
    for (const w of uncoveredMarkup(doc, signature, data)) findings.push({ finding: 'xmlMarkupNotCovered', detail: w });
    if (inOwnObject) {
      // What the references name (a digest mismatch is the CV block's failure, not unsigned content).
      const signed = data.filter((r) => r.covered.element).map((r) => r.covered.element!);
      for (const w of unsignedObjectContent(signature, signed)) findings.push({ finding: 'xmlMarkupNotCovered', detail: w });
    }
  }
}

/** The nearest ds:Signature ancestor of `el`, if any. */
function enclosingSignature(el: Element): Element | undefined {
  for (let n = el.parentNode; n && n.nodeType === 1; n = n.parentNode) {
    if ((n as Element).namespaceURI === DSIG_NS && (n as Element).localName === 'Signature') return n as Element;
  }
  return undefined;
}

/** Exactly what one data reference signs: the detached name, the document element, or which ds:Object (path and Id). */
function describeSignedData(r: ReferenceResult, signature: Element): string {
  const c = r.covered;
  if (c.kind === 'detached') return `detached content "${c.description}"`;
  const el = c.element;
  if (!el) return `unresolved reference ${r.index}`; // its own CV check says why
  if (c.isDocumentElement) return `the document element ${c.description}${c.excludesSignature ? ' minus the enveloped signature' : ''}`;
  const obj = el.parentNode === signature ? el : (el.parentNode as Element);
  const objId = obj.getAttribute('Id');
  const objText = `ds:Object ${xpathOf(obj)}${objId ? ` (Id "${objId}")` : ' (no Id)'}`;
  return obj === el ? `the ${objText}` : `${c.description} in ${objText}`;
}

const PI_NODE = 7;
const COMMENT_NODE = 8;

/**
 * Processing instructions and comments of the document that no signed reference covers: a by-Id reference
 * covers only its element (without comments), `URI=""` the whole document without comments. They are text
 * a consumer may act on (an xml-stylesheet PI changes what is displayed), so the report names them.
 */
function uncoveredMarkup(doc: Document, signature: Element, data: readonly ReferenceResult[]): string[] {
  const out: string[] = [];
  let more = 0;
  const stack: Node[] = [];
  for (let c = doc.lastChild; c; c = c.previousSibling) stack.push(c);
  while (stack.length) {
    const n = stack.pop()!;
    if (n === signature) continue;
    // xmldom keeps the XML declaration as a processing instruction "xml": it is not one (the target is reserved).
    if (n.nodeType === PI_NODE && n === doc.firstChild && (n as ProcessingInstruction).target === 'xml') continue;
    if (n.nodeType === PI_NODE || n.nodeType === COMMENT_NODE) {
      const covered = data.some((r) => {
        const c = r.covered;
        if (!r.digestOk || !c.element) return false;
        if (n.nodeType === COMMENT_NODE && !c.comments) return false;
        return c.kind === 'document' || isAncestorOrSelf(c.element, n);
      });
      if (!covered) {
        if (out.length >= 10) more++;
        else {
          const where = n.parentNode && n.parentNode.nodeType === 1 ? `in ${xpathOf(n.parentNode)}` : n.compareDocumentPosition(doc.documentElement) & 4 ? 'before the document element' : 'after the document element';
          const text = n.nodeType === PI_NODE ? `processing instruction <?${(n as ProcessingInstruction).target} ${(n.nodeValue ?? '').slice(0, 200)}?>` : `comment <!--${(n.nodeValue ?? '').slice(0, 200)}-->`;
          out.push(`not covered by the signature: ${text} ${where}`);
        }
      }
    }
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  if (more) out.push(`not covered by the signature: ${more} more processing instruction(s) / comment(s)`);
  return out;
}

/** A reference URI that is served from caller-supplied content (not the document, not an Id in it). */
function isDetachedUri(uri: string | null): boolean {
  return uri === null || (uri !== '' && !uri.startsWith('#'));
}

function tryCert(der: Uint8Array, warnings: string[], budget: WorkBudget): ParsedCertificate[] {
  budget.charge(XML_WORK.certificate + der.length, 'parsing CertificateValues');
  try {
    return [certificateCache.get(der)];
  } catch (e) {
    warnings.push(`unreadable embedded certificate: ${(e as Error).message}`);
    return [];
  }
}

/** SigningCertificate(V2) binding (EN 319 132-1 5.2.2): the digest with the element's own algorithm, then issuer/serial. */
async function certRefMatches(ref: CertReference, c: ParsedCertificate, ctx: ValidationContext, warnings: string[]): Promise<boolean> {
  // The reference's DigestMethod may be a provider's own URI (GOST): resolved through the registry.
  const digestOid = ref.digestOid ?? xmlDigestOid(ref.digestMethod, ctx.registry);
  if (!digestOid || !ctx.registry.supportsDigest(digestOid)) return false;
  const h = await ctx.registry.digest(digestOid, c.der);
  if (!equalBytes(h, ref.digest)) return false;
  // The digest pins the certificate; issuer/serial is a hint (DSS treats a mismatch as a warning,
  // and real signers write IssuerSerialV2 names in reversed RDN order).
  if (ref.issuerSerial) {
    if (ref.issuerSerial.serialNumberHex !== c.serialNumberHex) warnings.push(`SigningCertificate digest matches ${c.subject.text} but the IssuerSerial serial number differs`);
    else if (ref.issuerSerial.issuerKeys.length && !ref.issuerSerial.issuerKeys.includes(c.issuer.key)) {
      warnings.push(`SigningCertificate digest matches ${c.subject.text} but the IssuerSerial issuer name is written differently from ${c.issuer.text}`);
    } else if (ref.issuerSerial.issuerText !== undefined && normalizeDn(ref.issuerSerial.issuerText) !== normalizeDn(c.issuer.text)) {
      warnings.push(`X509IssuerName "${ref.issuerSerial.issuerText}" is written differently from the certificate issuer "${c.issuer.text}"`);
    }
  }
  return true;
}

function normalizeDn(s: string): string {
  return s
    .split(/\s*[,;]\s*/)
    .map((p) => p.replace(/\s*=\s*/, '=').toLowerCase().trim())
    .sort()
    .join(',');
}


/**
 * The SignaturePolicyIdentifier as a stage fact: a `urn:oid:` identifier (EN 319 132-1 5.2.9, Qualifier OIDAsURN)
 * and a bare dotted OID both become the OID; the SigPolicyHash DigestMethod URI becomes the registry's name.
 */
function xadesSignaturePolicy(p: NonNullable<QualifyingProperties['signaturePolicy']>, ctx: ValidationContext): SignaturePolicyFact {
  if (p.implied) return { implied: true, id: null, digestAlgorithm: null, digest: null };
  const raw = p.identifier?.trim() ?? null;
  const asOid = raw?.replace(/^urn:oid:/i, '') ?? null;
  const id = asOid && /^[0-2](\.(0|[1-9]\d*))+$/.test(asOid) ? asOid : raw;
  const oid = p.digestMethod ? xmlDigestOid(p.digestMethod, ctx.registry) : undefined;
  const digestAlgorithm = oid ? ctx.registry.digestName(oid) : p.digestMethod;
  const problem = !raw ? 'SigPolicyId has no Identifier' : !p.digestMethod || !p.digest ? 'SigPolicyHash has no DigestMethod or DigestValue' : undefined;
  return { implied: false, id, digestAlgorithm, digest: p.digest, ...(problem ? { problem } : {}) };
}
