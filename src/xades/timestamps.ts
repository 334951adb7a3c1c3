/**
 * XAdES time-stamps (EN 319 132-1 5.3, 5.5). Each EncapsulatedTimeStamp
 * (RFC 3161 TimeStampToken) is validated with the RFC 3161 module (src/tsp/:
 * token signature, ESS binding, TSA path, genTime) and bound to its XAdES
 * input: for SignatureTimeStamp the ds:SignatureValue element canonicalised
 * with the time-stamp's CanonicalizationMethod (default C14N 1.0).
 *
 * The signature stage (stage/timestamps.ts) validates each token against the
 * input computed here and decides what it proves. ArchiveTimeStamp,
 * SigAndRefsTimeStamp and AllDataObjectsTimeStamp inputs are computed; RefsOnly
 * and IndividualDataObjectsTimeStamp are not: their token is validated without
 * binding to data and reported, never used as proof of existence.
 */
import type { CheckList } from '../etsi/check.js';
import type { TimestampFact, TimestampKind } from '../stage/facts.js';
import { C14N_10, C14N_METHODS } from './algorithms.js';
import { canonicalize } from './c14n.js';
import { SIGNED_PROPERTIES_TYPES, type EncapsulatedTimeStamp, type QualifyingProperties } from './properties.js';
import type { XmlSignatureResult } from './xmldsig.js';
import { child, childElements, DSIG_NS, is, isAncestorOrSelf, XADES141_NS } from './dom.js';
import { concatBytes } from '../util/bytes.js';
import { XML_WORK, type WorkBudget } from '../util/work-budget.js';
import { lookupTable } from '../util/table.js';

/** What each XAdES time-stamp proves the existence of (AllDataObjectsTimeStamp: the signed data, a content time-stamp). */
const KIND: Readonly<Record<string, TimestampKind>> = lookupTable({
  SignatureTimeStamp: 'signature',
  ArchiveTimeStamp: 'archive',
  AllDataObjectsTimeStamp: 'content',
});

/**
 * The time-stamp tokens of a XAdES signature, each with the bytes its imprint must cover (computed here: the
 * inputs are XAdES-specific); the signature stage validates them. Work is charged to the document's budget,
 * so many time-stamps cannot multiply it unbounded.
 */
export function xadesTimestampFacts(
  qp: QualifyingProperties,
  xml: XmlSignatureResult | undefined,
  signature: Element,
  checks: CheckList,
  warnings: string[],
  budget?: WorkBudget,
): TimestampFact[] {
  const out: TimestampFact[] = [];
  let i = 0;
  for (const ts of qp.timeStamps) {
    const ordinal = i++;
    const id = `tst.${ts.kind}[${ordinal}]`;
    if (!ts.token) {
      checks.skip('TST', id, `${ts.kind}: no EncapsulatedTimeStamp to validate`);
      continue;
    }
    budget?.charge(ts.token.length + XML_WORK.certificate, `validating ${ts.kind} ${ordinal}`);
    let input: Uint8Array | undefined;
    try {
      if (ts.kind === 'SignatureTimeStamp') input = signatureTimestampInput(ts, signature);
      else if (ts.kind === 'ArchiveTimeStamp' && xml) input = archiveTimestampInput(ts, signature, qp, xml.references.map((r) => r.digestInput));
      else if (ts.kind === 'SigAndRefsTimeStamp') input = sigAndRefsTimestampInput(ts, signature);
      else if (ts.kind === 'AllDataObjectsTimeStamp' && xml) input = allDataObjectsTimestampInput(xml.references.map((r) => ({ type: r.type, input: r.digestInput })));
    } catch (e) {
      warnings.push(`${ts.kind}: time-stamped data could not be computed: ${(e as Error).message}`);
    }
    if (input) budget?.charge(input.length, `computing the input of ${ts.kind} ${ordinal}`);
    out.push({ kind: KIND[ts.kind] ?? 'other', id, label: ts.kind, ordinal, token: ts.token, ...(input ? { data: input } : {}) });
  }
  return out;
}

/** SignatureTimeStamp input (EN 319 132-1 5.3): ds:SignatureValue canonicalised with the time-stamp's method. */
export function signatureTimestampInput(ts: EncapsulatedTimeStamp, signature: Element): Uint8Array | undefined {
  const sv = child(signature, DSIG_NS, 'SignatureValue');
  const method = C14N_METHODS[ts.canonicalizationMethod ?? C14N_10];
  if (!sv || !method) return undefined;
  return new TextEncoder().encode(canonicalize(sv, sv, method));
}

/**
 * AllDataObjectsTimeStamp input (XAdES 1.3.2 7.2.9): the octets of every ds:Reference
 * except the one to SignedProperties, in SignedInfo order. A proof of existence of
 * the signed data (not of the signature): reported only.
 */
export function allDataObjectsTimestampInput(refs: readonly { readonly type: string | null; readonly input: Uint8Array | null }[]): Uint8Array | undefined {
  const data = refs.filter((r) => !(r.type && SIGNED_PROPERTIES_TYPES.has(r.type)));
  if (data.some((r) => r.input === null)) return undefined;
  return concatBytes(data.map((r) => r.input!));
}

const SIG_AND_REFS_COVERED = new Set([
  'SignatureTimeStamp',
  'CompleteCertificateRefs',
  'CompleteRevocationRefs',
  'AttributeCertificateRefs',
  'AttributeRevocationRefs',
  'CompleteCertificateRefsV2',
  'AttributeCertificateRefsV2',
]);

/**
 * SigAndRefsTimeStamp input (XAdES 1.3.2 7.5.1, "explicit" mode): ds:SignatureValue,
 * then the signature time-stamps and the complete/attribute certificate and
 * revocation references that precede it, each canonicalised. Reported only (XAdES-X
 * is not a baseline level); never used as proof of existence.
 */
export function sigAndRefsTimestampInput(ts: EncapsulatedTimeStamp, signature: Element): Uint8Array | undefined {
  const method = C14N_METHODS[ts.canonicalizationMethod ?? C14N_10];
  const sv = child(signature, DSIG_NS, 'SignatureValue');
  if (!method || !sv) return undefined;
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode(canonicalize(sv, sv, method))];
  for (const el of childElements(ts.element.parentNode as Element)) {
    if (el === ts.element) break;
    if (SIG_AND_REFS_COVERED.has(el.localName)) parts.push(enc.encode(canonicalize(el, el, method)));
  }
  return concatBytes(parts);
}


/**
 * ArchiveTimeStamp input (XAdES 1.3.2 clause 7.7.1; EN 319 132-1 5.5.2.2 for the
 * 1.4.1 element): the octets of every ds:Reference after its transforms, then
 * ds:SignedInfo, ds:SignatureValue, ds:KeyInfo, every unsigned signature property
 * before this time-stamp, and the ds:Object elements (see below), each
 * canonicalised with the time-stamp's CanonicalizationMethod. Checked against
 * the DSS LTA samples (1.3.2 and 1.4.1, enveloped and enveloping): their
 * message imprints match.
 */
export function archiveTimestampInput(
  ts: EncapsulatedTimeStamp,
  signature: Element,
  qp: QualifyingProperties,
  referenceInputs: readonly (Uint8Array | null)[],
): Uint8Array | undefined {
  const method = C14N_METHODS[ts.canonicalizationMethod ?? C14N_10];
  if (!method || referenceInputs.some((r) => r === null)) return undefined;
  const parts: Uint8Array[] = [...(referenceInputs as Uint8Array[])];
  const enc = new TextEncoder();
  const c14n = (el: Element) => parts.push(enc.encode(canonicalize(el, el, method)));
  for (const name of ['SignedInfo', 'SignatureValue', 'KeyInfo']) {
    const el = child(signature, DSIG_NS, name);
    if (el) c14n(el);
  }
  const usp = ts.element.parentNode as Element;
  for (const el of childElements(usp)) {
    if (el === ts.element) break;
    c14n(el);
  }
  // ds:Object elements other than the one holding QualifyingProperties: all of them for the
  // EN 319 132-1 (1.4.1) element, only those no ds:Reference points at for the 1.3.2 one —
  // what DSS computes and what the DSS LTA samples' message imprints confirm for both.
  const referenced = new Set<string>();
  const si = child(signature, DSIG_NS, 'SignedInfo');
  for (const r of si ? childElements(si) : []) {
    const uri = r.getAttribute('URI');
    if (uri?.startsWith('#')) referenced.add(uri.slice(1));
  }
  const v141 = ts.namespace === XADES141_NS;
  for (const obj of childElements(signature).filter((e) => is(e, DSIG_NS, 'Object'))) {
    if (isAncestorOrSelf(obj, qp.element)) continue;
    if (!v141 && referenced.has(obj.getAttribute('Id') ?? '\0')) continue;
    c14n(obj);
  }
  return concatBytes(parts);
}
