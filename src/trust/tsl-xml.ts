import { InputFormatError } from '../errors.js';
import { parseXml, type XmlLimits, DEFAULT_XML_LIMITS } from '../xml/parse.js';
import { TrustListError } from './errors.js';
import { fromBase64, toHex } from '../util/bytes.js';
import {
  TEST_LIST_RULE,
  type DigitalIdentity,
  type ListAddress,
  type MutualRecognitionInfo,
  type SchemeInformation,
  type ServiceEquivalence,
  type ServiceHistoryInstance,
  type TrustedList,
  type TrustService,
  type TrustServiceProvider,
  type TslPointer,
} from './model.js';
import { NS, MRA_STATUS, TSL_TAG, isListOfListsType } from './uris.js';
import { base64Text, child, childElements, isoTime, multiLang, required, text } from './xml-read.js';

const T = NS.tsl;

export interface ParsedTslXml {
  readonly list: TrustedList;
  readonly document: Document;
  /** Structure findings that did not stop parsing (for reports), e.g. no ds:Signature. */
  readonly warnings: readonly string[];
}

/**
 * Reads an ETSI TS 119 612 TrustServiceStatusList (v5 or v6). Parsing is
 * strict where the list's meaning depends on it (scheme information, service
 * type/status/time) and lenient about the rest; the signature is not checked here.
 */
export function parseTrustedListXml(input: Uint8Array | string, limits: XmlLimits = DEFAULT_XML_LIMITS): ParsedTslXml {
  let doc: Document;
  try {
    doc = parseXml(input, limits);
  } catch (e) {
    if (e instanceof InputFormatError) throw new TrustListError(`trusted list is not well-formed XML: ${e.message}`, { cause: e });
    throw e;
  }
  const root = doc.documentElement;
  if (root.namespaceURI !== T || root.localName !== 'TrustServiceStatusList') {
    throw new TrustListError(`not an ETSI TS 119 612 list: root is {${root.namespaceURI ?? ''}}${root.localName}`);
  }
  const warnings: string[] = [];
  if (root.getAttribute('TSLTag') !== TSL_TAG) warnings.push(`TSLTag is "${root.getAttribute('TSLTag') ?? ''}", expected ${TSL_TAG}`);
  const signatures = childElements(root, NS.ds, 'Signature');
  if (signatures.length === 0) warnings.push('no ds:Signature element is present');
  if (signatures.length > 1) warnings.push(`${signatures.length} ds:Signature elements (exactly one expected)`);

  const scheme = readScheme(required(root, T, 'SchemeInformation', 'TrustServiceStatusList'));
  if (scheme.version !== 5 && scheme.version !== 6) warnings.push(`TSLVersionIdentifier ${scheme.version} (5 or 6 expected)`);
  if (signatures.length === 1) warnings.push(...signatureProfileFindings(signatures[0]!, scheme.version));
  const tspList = child(root, T, 'TrustServiceProviderList');
  const providers = tspList ? childElements(tspList, T, 'TrustServiceProvider').map(readProvider) : [];
  const kind = isListOfListsType(scheme.type) ? 'LOTL' : 'TL';
  return {
    list: {
      id: `${scheme.territory ?? 'XX'}:${kind}`,
      scheme,
      providers,
      test: scheme.schemeTypeCommunityRules.includes(TEST_LIST_RULE),
    },
    document: doc,
    warnings,
  };
}

/**
 * The signing-certificate reference the TL version requires (as DSS's TLStructureVerifier):
 * v6 (TS 119 612 v2.4.1) lists use xades:SigningCertificateV2, v5 lists xades:SigningCertificate.
 */
function signatureProfileFindings(signature: Element, version: number): string[] {
  const has = (local: string): boolean => signature.getElementsByTagNameNS(NS.xades, local).length > 0;
  if (version === 6 && !has('SigningCertificateV2')) return ['TS 119 612 v6 list: its signature has no xades:SigningCertificateV2'];
  if (version === 5 && !has('SigningCertificate')) return ['TS 119 612 v5 list: its signature has no xades:SigningCertificate'];
  return [];
}

function uris(el: Element | undefined): string[] {
  return el ? childElements(el, T, 'URI').map(text).filter(Boolean) : [];
}

function readScheme(si: Element): SchemeInformation {
  const where = 'SchemeInformation';
  const num = (local: string): number => {
    const v = text(required(si, T, local, where));
    if (!/^\d+$/.test(v)) throw new TrustListError(`${where}: ${local} is not a number: "${v}"`);
    return Number(v);
  };
  const next = child(si, T, 'NextUpdate');
  const nextText = next ? text(child(next, T, 'dateTime')) : '';
  const hip = child(si, T, 'HistoricalInformationPeriod');
  const pointersEl = child(si, T, 'PointersToOtherTSL');
  const dp = child(si, T, 'DistributionPoints');
  const policy = child(si, T, 'PolicyOrLegalNotice');
  return {
    version: num('TSLVersionIdentifier'),
    sequenceNumber: num('TSLSequenceNumber'),
    type: text(required(si, T, 'TSLType', where)),
    operatorName: multiLang(required(si, T, 'SchemeOperatorName', where), T, 'Name'),
    ...optional('operatorAddress', readAddress(child(si, T, 'SchemeOperatorAddress'))),
    schemeName: multiLang(child(si, T, 'SchemeName'), T, 'Name'),
    territory: text(child(si, T, 'SchemeTerritory')) || null,
    statusDeterminationApproach: text(child(si, T, 'StatusDeterminationApproach')) || null,
    schemeTypeCommunityRules: uris(child(si, T, 'SchemeTypeCommunityRules')),
    schemeInformationUris: uris(child(si, T, 'SchemeInformationURI')),
    policyOrLegalNotice: policy ? multiLang(policy, T, 'TSLLegalNotice') || null : null,
    historicalInformationPeriod: hip && /^\d+$/.test(text(hip)) ? Number(text(hip)) : null,
    issueDate: isoTime(text(required(si, T, 'ListIssueDateTime', where)), `${where}/ListIssueDateTime`),
    nextUpdate: nextText ? isoTime(nextText, `${where}/NextUpdate`) : null,
    distributionPoints: dp ? childElements(dp, T, 'URI').map(text) : [],
    pointers: pointersEl ? childElements(pointersEl, T, 'OtherTSLPointer').map(readPointer) : [],
  };
}

/** `{ [key]: value }` when value is defined, else `{}`: optional model fields stay absent, not undefined. */
function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [k in K]: V });
}

/** An AddressType (the English postal address when there are several); undefined when absent. */
function readAddress(el: Element | undefined): ListAddress | undefined {
  if (!el) return undefined;
  const postals = childElements(child(el, T, 'PostalAddresses') ?? el, T, 'PostalAddress');
  const lang = (e: Element) => e.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') || e.getAttribute('xml:lang');
  const p = postals.find((x) => lang(x) === 'en') ?? postals[0];
  const ea = child(el, T, 'ElectronicAddress');
  return {
    street: text(p && child(p, T, 'StreetAddress')),
    locality: text(p && child(p, T, 'Locality')),
    stateOrProvince: text(p && child(p, T, 'StateOrProvince')) || null,
    postalCode: text(p && child(p, T, 'PostalCode')) || null,
    countryName: text(p && child(p, T, 'CountryName')),
    electronic: ea ? uris(ea) : [],
  };
}

function readIdentities(sdi: Element | undefined): DigitalIdentity {
  const certificates: string[] = [];
  const subjectNames: string[] = [];
  const skis: string[] = [];
  for (const id of sdi ? childElements(sdi, T, 'DigitalId') : []) {
    for (const c of childElements(id)) {
      if (c.namespaceURI !== T) continue;
      if (c.localName === 'X509Certificate') certificates.push(base64Text(c));
      else if (c.localName === 'X509SubjectName') subjectNames.push(text(c));
      else if (c.localName === 'X509SKI') skis.push(base64ToHex(base64Text(c)));
    }
  }
  return { certificates, subjectNames, skis };
}

/** An X509SKI value as hex; bad base64 is the list's format error, never a TypeError/DOMException from atob. */
function base64ToHex(b64: string): string {
  try {
    return toHex(fromBase64(b64));
  } catch (e) {
    throw new TrustListError(`X509SKI is not base64: ${(e as Error).message}`, { cause: e });
  }
}

function readPointer(p: Element): TslPointer {
  const sdis = child(p, T, 'ServiceDigitalIdentities');
  const signingCertificates = sdis
    ? childElements(sdis, T, 'ServiceDigitalIdentity').flatMap((s) => readIdentities(s).certificates)
    : [];
  let territory: string | null = null;
  let type: string | null = null;
  let mimeType: string | null = null;
  let operatorName: string | null = null;
  let rules: string[] = [];
  let mra: MutualRecognitionInfo | undefined;
  const ai = child(p, T, 'AdditionalInformation');
  for (const oi of ai ? childElements(ai, T, 'OtherInformation') : []) {
    for (const c of childElements(oi)) {
      if (c.namespaceURI === T && c.localName === 'SchemeTerritory') territory = text(c);
      else if (c.namespaceURI === T && c.localName === 'TSLType') type = text(c);
      else if (c.namespaceURI === T && c.localName === 'SchemeOperatorName') operatorName = multiLang(c, T, 'Name');
      else if (c.namespaceURI === T && c.localName === 'SchemeTypeCommunityRules') rules = uris(c);
      else if (c.namespaceURI === NS.tslx && c.localName === 'MimeType') mimeType = text(c);
      else if (c.namespaceURI === NS.mra && c.localName === 'MutualRecognitionAgreementInformation') mra = readMra(c);
    }
  }
  return {
    location: text(child(p, T, 'TSLLocation')),
    territory,
    type,
    mimeType,
    operatorName,
    schemeTypeCommunityRules: rules,
    signingCertificates,
    ...(mra ? { mra } : {}),
  };
}

function readExtensions(sie: Element | undefined): { asi: string[]; qualifiers: string[] } {
  const asi: string[] = [];
  const qualifiers: string[] = [];
  for (const ext of sie ? childElements(sie, T, 'Extension') : []) {
    for (const a of childElements(ext, T, 'AdditionalServiceInformation')) {
      const u = text(child(a, T, 'URI'));
      if (u) asi.push(u);
    }
    for (const q of childElements(ext, NS.sie, 'Qualifications')) {
      for (const qe of childElements(q, NS.sie, 'QualificationElement')) {
        const qs = child(qe, NS.sie, 'Qualifiers');
        for (const one of qs ? childElements(qs, NS.sie, 'Qualifier') : []) {
          const u = one.getAttribute('uri');
          if (u && !qualifiers.includes(u)) qualifiers.push(u);
        }
      }
    }
  }
  return { asi, qualifiers };
}

function readService(s: Element): TrustService {
  const si = required(s, T, 'ServiceInformation', 'TSPService');
  const where = 'ServiceInformation';
  const { asi, qualifiers } = readExtensions(child(si, T, 'ServiceInformationExtensions'));
  const sh = child(s, T, 'ServiceHistory');
  const history: ServiceHistoryInstance[] = (sh ? childElements(sh, T, 'ServiceHistoryInstance') : []).map((h) => {
    const ext = readExtensions(child(h, T, 'ServiceInformationExtensions'));
    const sdi = child(h, T, 'ServiceDigitalIdentity');
    return {
      type: text(required(h, T, 'ServiceTypeIdentifier', 'ServiceHistoryInstance')),
      name: multiLang(child(h, T, 'ServiceName'), T, 'Name'),
      status: text(required(h, T, 'ServiceStatus', 'ServiceHistoryInstance')),
      statusStartingTime: isoTime(text(required(h, T, 'StatusStartingTime', 'ServiceHistoryInstance')), 'ServiceHistoryInstance/StatusStartingTime'),
      additionalServiceInformation: ext.asi,
      qualifiers: ext.qualifiers,
      ...(sdi ? { identity: readIdentities(sdi) } : {}),
    };
  });
  return {
    type: text(required(si, T, 'ServiceTypeIdentifier', where)),
    name: multiLang(child(si, T, 'ServiceName'), T, 'Name'),
    identity: readIdentities(child(si, T, 'ServiceDigitalIdentity')),
    status: text(required(si, T, 'ServiceStatus', where)),
    statusStartingTime: isoTime(text(required(si, T, 'StatusStartingTime', where)), `${where}/StatusStartingTime`),
    additionalServiceInformation: asi,
    qualifiers,
    history: history.sort((a, b) => Date.parse(b.statusStartingTime) - Date.parse(a.statusStartingTime)),
  };
}

function readProvider(p: Element): TrustServiceProvider {
  const info = required(p, T, 'TSPInformation', 'TrustServiceProvider');
  const services = child(p, T, 'TSPServices');
  return {
    name: multiLang(child(info, T, 'TSPName'), T, 'Name'),
    tradeNames: child(info, T, 'TSPTradeName') ? childElements(child(info, T, 'TSPTradeName')!, T, 'Name').map(text) : [],
    services: services ? childElements(services, T, 'TSPService').map(readService) : [],
    ...optional('address', readAddress(child(info, T, 'TSPAddress'))),
    ...optional('informationUris', child(info, T, 'TSPInformationURI') ? uris(child(info, T, 'TSPInformationURI')) : undefined),
  };
}

// --- EU MRA (mra_schema_v2) -------------------------------------------------

const M = NS.mra;

function serviceTypes(list: Element | undefined): { type: string; additionalServiceInformation: string[] }[] {
  return (list ? childElements(list, M, 'TrustServiceTSLType') : []).map((t) => ({
    type: text(child(t, T, 'ServiceTypeIdentifier')),
    additionalServiceInformation: childElements(t, T, 'AdditionalServiceInformation').map((a) => text(child(a, T, 'URI'))).filter(Boolean),
  }));
}

function statusPair(el: Element | undefined): { pointed: string[]; pointing: string[] } {
  const get = (local: string): string[] => {
    const l = el ? child(el, M, local) : undefined;
    return l ? childElements(l, T, 'ServiceStatus').map(text) : [];
  };
  return { pointing: get('TrustServiceTSLStatusListPointingParty'), pointed: get('TrustServiceTSLStatusListPointedParty') };
}

function readMra(el: Element): MutualRecognitionInfo {
  const equivalences: ServiceEquivalence[] = childElements(el, M, 'TrustServiceEquivalenceInformation').map((ei) => {
    const typeList = child(ei, M, 'TrustServiceTSLTypeEquivalenceList');
    const statusList = child(ei, M, 'TrustServiceTSLStatusEquivalenceList');
    const st = text(child(ei, M, 'TrustServiceEquivalenceStatus'));
    if (st !== MRA_STATUS.enacted && st !== MRA_STATUS.repealed) throw new TrustListError(`MRA: unknown TrustServiceEquivalenceStatus "${st}"`);
    return {
      legalIdentifier: text(child(ei, M, 'TrustServiceLegalIdentifier')),
      status: st === MRA_STATUS.enacted ? 'enacted' : 'repealed',
      statusStartingTime: isoTime(text(child(ei, M, 'TrustServiceEquivalenceStatusStartingTime')), 'MRA/TrustServiceEquivalenceStatusStartingTime'),
      pointingServiceTypes: serviceTypes(typeList ? child(typeList, M, 'TrustServiceTSLTypeListPointingParty') : undefined),
      pointedServiceTypes: serviceTypes(typeList ? child(typeList, M, 'TrustServiceTSLTypeListPointedParty') : undefined),
      validStatuses: statusPair(statusList ? child(statusList, M, 'TrustServiceTSLStatusValidEquivalence') : undefined),
      invalidStatuses: statusPair(statusList ? child(statusList, M, 'TrustServiceTSLStatusInvalidEquivalence') : undefined),
    };
  });
  return {
    pointingContractingPartyLegislation: el.getAttribute('pointingContractingPartyLegislation') ?? '',
    pointedContractingPartyLegislation: el.getAttribute('pointedContractingPartyLegislation') ?? '',
    technicalType: Number(el.getAttribute('technicalType') ?? 0),
    version: Number(el.getAttribute('version') ?? 0),
    equivalences,
  };
}
