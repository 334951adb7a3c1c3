import { TrustListError } from '../trust/errors.js';
import { TEST_LIST_RULE, type DigitalIdentity, type ListAddress, ServiceHistoryInstance, TrustedList, TrustService, TrustServiceProvider, TslPointer } from '../trust/model.js';
import { NS, TSL_TAG } from '../trust/uris.js';
import { fromBase64, toBase64 } from '../util/bytes.js';

/**
 * Writes a trusted list (the model / its JSON form) as ETSI TS 119 612 v2 XML: the elements of
 * the TS 119 612 schema (ts_119612 XSD, `tsl:` namespace) in the schema's sequence order, optional
 * elements left out when the model has nothing for them, unsigned (`trust-list sign` adds the
 * enveloped signature). The model is the validator's view of a list, so a few XML features it
 * does not keep are refused rather than written wrong:
 * - `qualifiers` (sie:Qualifications): the model keeps the qualifier URIs but not the criteria
 *   they apply to; writing them without criteria would widen them to every certificate;
 * - `mra` on a pointer (EU MRA extension): not written yet.
 * Multilingual names are written in English only (the model keeps one name).
 */
export function writeTrustedListXml(list: TrustedList): string {
  const s = list.scheme;
  if (s.version !== 5 && s.version !== 6) fail(`scheme.version ${s.version}: TS 119 612 lists are version 5 or 6`);
  // Mandatory in the TS 119 612 schema (TSLSchemeInformationType) though optional in the model.
  if (!s.operatorAddress) fail('scheme.operatorAddress is required (SchemeOperatorAddress is mandatory in TS 119 612)');
  if (!s.schemeName) fail('scheme.schemeName is required (SchemeName is mandatory)');
  if (!s.schemeInformationUris.length) fail('scheme.schemeInformationUris is required (SchemeInformationURI is mandatory)');
  if (!s.statusDeterminationApproach) fail('scheme.statusDeterminationApproach is required (StatusDeterminationApproach is mandatory)');
  if (s.historicalInformationPeriod === null) fail('scheme.historicalInformationPeriod is required (HistoricalInformationPeriod is mandatory)');
  // XML says "test list" only through the scheme rule: a test list written without it would read as a production list.
  if (list.test && !s.schemeTypeCommunityRules.includes(TEST_LIST_RULE)) fail(`the list is a test list but its schemeTypeCommunityRules lack ${TEST_LIST_RULE}`);
  const o: string[] = [];
  o.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  o.push(`<TrustServiceStatusList xmlns="${NS.tsl}" xmlns:ns3="${NS.tslx}" TSLTag="${TSL_TAG}">\n`);
  o.push('<SchemeInformation>\n');
  o.push(el('TSLVersionIdentifier', String(s.version)));
  o.push(el('TSLSequenceNumber', String(s.sequenceNumber)));
  o.push(el('TSLType', s.type));
  o.push(`<SchemeOperatorName>${name(s.operatorName)}</SchemeOperatorName>\n`);
  o.push(`<SchemeOperatorAddress>${address(s.operatorAddress)}</SchemeOperatorAddress>\n`);
  o.push(`<SchemeName>${name(s.schemeName)}</SchemeName>\n`);
  o.push(`<SchemeInformationURI>${langUris(s.schemeInformationUris)}</SchemeInformationURI>\n`);
  o.push(el('StatusDeterminationApproach', s.statusDeterminationApproach));
  if (s.schemeTypeCommunityRules.length) o.push(`<SchemeTypeCommunityRules>${langUris(s.schemeTypeCommunityRules)}</SchemeTypeCommunityRules>\n`);
  if (s.territory) o.push(el('SchemeTerritory', s.territory));
  if (s.policyOrLegalNotice) o.push(`<PolicyOrLegalNotice><TSLLegalNotice xml:lang="en">${esc(s.policyOrLegalNotice)}</TSLLegalNotice></PolicyOrLegalNotice>\n`);
  o.push(el('HistoricalInformationPeriod', String(s.historicalInformationPeriod)));
  if (s.pointers.length) o.push(`<PointersToOtherTSL>\n${s.pointers.map(pointer).join('')}</PointersToOtherTSL>\n`);
  o.push(el('ListIssueDateTime', xsdTime(s.issueDate)));
  // An empty NextUpdate is how TS 119 612 5.3.15 says the scheme is closed.
  o.push(s.nextUpdate === null ? '<NextUpdate/>\n' : `<NextUpdate><dateTime>${xsdTime(s.nextUpdate)}</dateTime></NextUpdate>\n`);
  if (s.distributionPoints.length) o.push(`<DistributionPoints>${s.distributionPoints.map((u) => `<URI>${esc(u)}</URI>`).join('')}</DistributionPoints>\n`);
  o.push('</SchemeInformation>\n');
  if (list.providers.length) o.push(`<TrustServiceProviderList>\n${list.providers.map(provider).join('')}</TrustServiceProviderList>\n`);
  o.push('</TrustServiceStatusList>\n');
  return o.join('');
}

function fail(msg: string): never {
  throw new TrustListError(`cannot build the list: ${msg}`);
}

const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');
const el = (tag: string, value: string): string => `<${tag}>${esc(value)}</${tag}>\n`;
const name = (v: string): string => `<Name xml:lang="en">${esc(v)}</Name>`;
const langUris = (uris: readonly string[]): string => uris.map((u) => `<URI xml:lang="en">${esc(u)}</URI>`).join('');

/** xsd:dateTime without the milliseconds the model's ISO strings carry (as lists are usually written). */
function xsdTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) fail(`"${iso}" is not a date-time`);
  return new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}

function address(a: ListAddress): string {
  if (!a.electronic.length) fail('an address needs at least one electronic address (ElectronicAddress/URI)');
  const postal =
    `<StreetAddress>${esc(a.street)}</StreetAddress><Locality>${esc(a.locality)}</Locality>` +
    (a.stateOrProvince ? `<StateOrProvince>${esc(a.stateOrProvince)}</StateOrProvince>` : '') +
    (a.postalCode ? `<PostalCode>${esc(a.postalCode)}</PostalCode>` : '') +
    `<CountryName>${esc(a.countryName)}</CountryName>`;
  return `<PostalAddresses><PostalAddress xml:lang="en">${postal}</PostalAddress></PostalAddresses><ElectronicAddress>${langUris(a.electronic)}</ElectronicAddress>`;
}

function digitalIdentity(id: DigitalIdentity): string {
  const ids = [
    ...id.certificates.map((c) => `<DigitalId><X509Certificate>${c.replace(/\s/g, '')}</X509Certificate></DigitalId>`),
    ...id.subjectNames.map((n) => `<DigitalId><X509SubjectName>${esc(n)}</X509SubjectName></DigitalId>`),
    ...id.skis.map((k) => `<DigitalId><X509SKI>${toBase64(hexBytes(k))}</X509SKI></DigitalId>`),
  ];
  if (!ids.length) fail('a service digital identity is empty');
  return `<ServiceDigitalIdentity>${ids.join('')}</ServiceDigitalIdentity>`;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function extensions(asi: readonly string[], qualifiers: readonly string[], where: string): string {
  if (qualifiers.length) fail(`${where}: qualifiers cannot be written (the model does not keep the criteria they apply to)`);
  if (!asi.length) return '';
  const exts = asi.map((u) => `<Extension Critical="false"><AdditionalServiceInformation><URI xml:lang="en">${esc(u)}</URI></AdditionalServiceInformation></Extension>`);
  return `<ServiceInformationExtensions>${exts.join('')}</ServiceInformationExtensions>\n`;
}

function historyInstance(h: ServiceHistoryInstance, current: TrustService, where: string): string {
  return (
    '<ServiceHistoryInstance>\n' +
    el('ServiceTypeIdentifier', h.type) +
    `<ServiceName>${name(h.name || current.name)}</ServiceName>\n` +
    // The schema requires a digital identity in each instance: the current one unless the history kept its own.
    `${digitalIdentity(h.identity ?? current.identity)}\n` +
    el('ServiceStatus', h.status) +
    el('StatusStartingTime', xsdTime(h.statusStartingTime)) +
    extensions(h.additionalServiceInformation, h.qualifiers, where) +
    '</ServiceHistoryInstance>\n'
  );
}

function service(svc: TrustService, where: string): string {
  const w = `${where} / ${svc.name}`;
  const history = [...svc.history].sort((a, b) => Date.parse(b.statusStartingTime) - Date.parse(a.statusStartingTime));
  return (
    '<TSPService>\n<ServiceInformation>\n' +
    el('ServiceTypeIdentifier', svc.type) +
    `<ServiceName>${name(svc.name)}</ServiceName>\n` +
    `${digitalIdentity(svc.identity)}\n` +
    el('ServiceStatus', svc.status) +
    el('StatusStartingTime', xsdTime(svc.statusStartingTime)) +
    extensions(svc.additionalServiceInformation, svc.qualifiers, w) +
    '</ServiceInformation>\n' +
    (history.length ? `<ServiceHistory>\n${history.map((h) => historyInstance(h, svc, w)).join('')}</ServiceHistory>\n` : '') +
    '</TSPService>\n'
  );
}

function provider(p: TrustServiceProvider): string {
  if (!p.address) fail(`provider "${p.name}": address is required (TSPAddress is mandatory)`);
  if (!p.informationUris?.length) fail(`provider "${p.name}": informationUris is required (TSPInformationURI is mandatory)`);
  if (!p.services.length) fail(`provider "${p.name}" has no service (TSPServices needs at least one)`);
  return (
    '<TrustServiceProvider>\n<TSPInformation>\n' +
    `<TSPName>${name(p.name)}</TSPName>\n` +
    (p.tradeNames.length ? `<TSPTradeName>${p.tradeNames.map(name).join('')}</TSPTradeName>\n` : '') +
    `<TSPAddress>${address(p.address)}</TSPAddress>\n` +
    `<TSPInformationURI>${langUris(p.informationUris)}</TSPInformationURI>\n` +
    '</TSPInformation>\n<TSPServices>\n' +
    p.services.map((s) => service(s, p.name)).join('') +
    '</TSPServices>\n</TrustServiceProvider>\n'
  );
}

function pointer(p: TslPointer): string {
  if (p.mra) fail(`pointer ${p.location}: the EU MRA extension cannot be written yet`);
  if (!p.signingCertificates.length) fail(`pointer ${p.location}: signingCertificates must name who signs the pointed list`);
  for (const c of p.signingCertificates) fromBase64(c.replace(/\s/g, '')); // throws on bad base64 before it is published
  // AdditionalInformation: one item per OtherInformation (TS 119 612 5.3.13).
  const info = [
    p.type && `<OtherInformation>${el('TSLType', p.type).trim()}</OtherInformation>`,
    p.operatorName && `<OtherInformation><SchemeOperatorName>${name(p.operatorName)}</SchemeOperatorName></OtherInformation>`,
    p.schemeTypeCommunityRules.length && `<OtherInformation><SchemeTypeCommunityRules>${langUris(p.schemeTypeCommunityRules)}</SchemeTypeCommunityRules></OtherInformation>`,
    p.territory && `<OtherInformation>${el('SchemeTerritory', p.territory).trim()}</OtherInformation>`,
    p.mimeType && `<OtherInformation><ns3:MimeType>${esc(p.mimeType)}</ns3:MimeType></OtherInformation>`,
  ].filter(Boolean);
  return (
    '<OtherTSLPointer>\n' +
    `<ServiceDigitalIdentities>${p.signingCertificates.map((c) => `<ServiceDigitalIdentity><DigitalId><X509Certificate>${c.replace(/\s/g, '')}</X509Certificate></DigitalId></ServiceDigitalIdentity>`).join('')}</ServiceDigitalIdentities>\n` +
    el('TSLLocation', p.location) +
    (info.length ? `<AdditionalInformation>\n${info.join('\n')}\n</AdditionalInformation>\n` : '') +
    '</OtherTSLPointer>\n'
  );
}
