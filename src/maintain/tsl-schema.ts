/**
 * The structure of a TS 119 612 v2 trusted list (the ts_119612 v2.x XSD: TrustServiceStatusList and the
 * types under it) as a declarative table: for each complex type, its children in schema order with their
 * cardinality and type, and its required attributes; simple types are named value checks. No XSD is
 * shipped (nor fetched): this table is what lint-schema.ts checks a list against. Extension points
 * (xsd:any: extensions, OtherInformation, DigitalId/Other, ds:Signature) are `any`: not descended into.
 * Written from the schema's structure, not copied from it.
 */
import { NS } from '../trust/uris.js';

/** A named value check (see lint-schema.ts VALUE_TYPES). */
export type ValueType =
  | 'string'
  | 'nonEmptyString'
  | 'tslVersion'
  | 'positiveInteger'
  | 'nonNegativeInteger'
  | 'uri'
  | 'tslType'
  | 'dateTime'
  | 'base64'
  | 'countryCode'
  | 'boolean';

/** One child element in a content model. `type` names a complex type of TSL_TYPES, a value type, or `any`. */
export interface Particle {
  readonly name: string;
  /** Default: the TSL namespace. */
  readonly ns?: string;
  readonly min: number;
  /** Infinity for unbounded. */
  readonly max: number;
  readonly type: string;
}

/** A complex type: a sequence (children in this order) or a choice (each child is one of these). */
export interface ComplexType {
  readonly kind: 'sequence' | 'choice';
  readonly particles: readonly Particle[];
  /** For a choice: how many children in all (default 1..1). */
  readonly min?: number;
  readonly max?: number;
  /** A choice whose children must all be the same alternative (xsd:choice of two repeated elements). */
  readonly homogeneous?: boolean;
  /** Required attributes and their value types; `xml:lang` is the XML namespace's lang. */
  readonly attributes?: Readonly<Record<string, ValueType>>;
  /** Open content (xsd:any inside): children are not checked. */
  readonly open?: boolean;
  /** Simple content with attributes (a multilingual string or URI): the element's text has this type. */
  readonly text?: ValueType;
}

const N = Infinity;
const p = (name: string, min: number, max: number, type: string, ns?: string): Particle => ({ name, min, max, type, ...(ns ? { ns } : {}) });

/** The root element of a list. */
export const TSL_ROOT = { name: 'TrustServiceStatusList', ns: NS.tsl, type: 'TrustStatusListType' } as const;

/** TS 119 612 v2 complex types, by the XSD's type names. */
export const TSL_TYPES: Readonly<Record<string, ComplexType>> = {
  TrustStatusListType: {
    kind: 'sequence',
    attributes: { TSLTag: 'uri' },
    particles: [p('SchemeInformation', 1, 1, 'TSLSchemeInformationType'), p('TrustServiceProviderList', 0, 1, 'TrustServiceProviderListType'), p('Signature', 0, 1, 'any', NS.ds)],
  },
  TSLSchemeInformationType: {
    kind: 'sequence',
    particles: [
      p('TSLVersionIdentifier', 1, 1, 'tslVersion'),
      p('TSLSequenceNumber', 1, 1, 'positiveInteger'),
      p('TSLType', 1, 1, 'tslType'),
      p('SchemeOperatorName', 1, 1, 'InternationalNamesType'),
      p('SchemeOperatorAddress', 1, 1, 'AddressType'),
      p('SchemeName', 1, 1, 'InternationalNamesType'),
      p('SchemeInformationURI', 1, 1, 'NonEmptyMultiLangURIListType'),
      p('StatusDeterminationApproach', 1, 1, 'uri'),
      p('SchemeTypeCommunityRules', 0, 1, 'NonEmptyMultiLangURIListType'),
      p('SchemeTerritory', 0, 1, 'countryCode'),
      p('PolicyOrLegalNotice', 0, 1, 'PolicyOrLegalnoticeType'),
      p('HistoricalInformationPeriod', 1, 1, 'nonNegativeInteger'),
      p('PointersToOtherTSL', 0, 1, 'OtherTSLPointersType'),
      p('ListIssueDateTime', 1, 1, 'dateTime'),
      p('NextUpdate', 1, 1, 'NextUpdateType'),
      p('DistributionPoints', 0, 1, 'NonEmptyURIListType'),
      p('SchemeExtensions', 0, 1, 'any'),
    ],
  },
  InternationalNamesType: { kind: 'sequence', particles: [p('Name', 1, N, 'MultiLangNormStringType')] },
  MultiLangNormStringType: { kind: 'sequence', particles: [], attributes: { 'xml:lang': 'nonEmptyString' }, text: 'nonEmptyString' },
  MultiLangStringType: { kind: 'sequence', particles: [], attributes: { 'xml:lang': 'nonEmptyString' }, text: 'nonEmptyString' },
  NonEmptyMultiLangURIType: { kind: 'sequence', particles: [], attributes: { 'xml:lang': 'nonEmptyString' }, text: 'uri' },
  NonEmptyMultiLangURIListType: { kind: 'sequence', particles: [p('URI', 1, N, 'NonEmptyMultiLangURIType')] },
  NonEmptyURIListType: { kind: 'sequence', particles: [p('URI', 1, N, 'uri')] },
  AddressType: { kind: 'sequence', particles: [p('PostalAddresses', 1, 1, 'PostalAddressListType'), p('ElectronicAddress', 1, 1, 'NonEmptyMultiLangURIListType')] },
  PostalAddressListType: { kind: 'sequence', particles: [p('PostalAddress', 1, N, 'PostalAddressType')] },
  PostalAddressType: {
    kind: 'sequence',
    attributes: { 'xml:lang': 'nonEmptyString' },
    particles: [p('StreetAddress', 1, 1, 'nonEmptyString'), p('Locality', 1, 1, 'nonEmptyString'), p('StateOrProvince', 0, 1, 'nonEmptyString'), p('PostalCode', 0, 1, 'nonEmptyString'), p('CountryName', 1, 1, 'nonEmptyString')],
  },
  PolicyOrLegalnoticeType: { kind: 'choice', min: 1, max: N, homogeneous: true, particles: [p('TSLPolicy', 1, N, 'NonEmptyMultiLangURIType'), p('TSLLegalNotice', 1, N, 'MultiLangStringType')] },
  NextUpdateType: { kind: 'sequence', particles: [p('dateTime', 0, 1, 'dateTime')] },
  OtherTSLPointersType: { kind: 'sequence', particles: [p('OtherTSLPointer', 1, N, 'OtherTSLPointerType')] },
  OtherTSLPointerType: {
    kind: 'sequence',
    particles: [p('ServiceDigitalIdentities', 0, 1, 'ServiceDigitalIdentityListType'), p('TSLLocation', 1, 1, 'uri'), p('AdditionalInformation', 0, 1, 'AdditionalInformationType')],
  },
  ServiceDigitalIdentityListType: { kind: 'sequence', particles: [p('ServiceDigitalIdentity', 1, N, 'DigitalIdentityListType')] },
  DigitalIdentityListType: { kind: 'sequence', particles: [p('DigitalId', 0, N, 'DigitalIdentityType')] },
  DigitalIdentityType: {
    kind: 'choice',
    particles: [p('X509Certificate', 1, 1, 'base64'), p('X509SubjectName', 1, 1, 'nonEmptyString'), p('KeyValue', 1, 1, 'any'), p('X509SKI', 1, 1, 'base64'), p('Other', 1, 1, 'any')],
  },
  AdditionalInformationType: { kind: 'choice', min: 1, max: N, particles: [p('TextualInformation', 1, 1, 'MultiLangStringType'), p('OtherInformation', 1, 1, 'any')] },
  TrustServiceProviderListType: { kind: 'sequence', particles: [p('TrustServiceProvider', 1, N, 'TSPType')] },
  TSPType: { kind: 'sequence', particles: [p('TSPInformation', 1, 1, 'TSPInformationType'), p('TSPServices', 1, 1, 'TSPServicesListType')] },
  TSPInformationType: {
    kind: 'sequence',
    particles: [
      p('TSPName', 1, 1, 'InternationalNamesType'),
      p('TSPTradeName', 0, 1, 'InternationalNamesType'),
      p('TSPAddress', 1, 1, 'AddressType'),
      p('TSPInformationURI', 1, 1, 'NonEmptyMultiLangURIListType'),
      p('TSPInformationExtensions', 0, 1, 'ExtensionsListType'),
    ],
  },
  TSPServicesListType: { kind: 'sequence', particles: [p('TSPService', 1, N, 'TSPServiceType')] },
  TSPServiceType: { kind: 'sequence', particles: [p('ServiceInformation', 1, 1, 'TSPServiceInformationType'), p('ServiceHistory', 0, 1, 'ServiceHistoryType')] },
  TSPServiceInformationType: {
    kind: 'sequence',
    particles: [
      p('ServiceTypeIdentifier', 1, 1, 'uri'),
      p('ServiceName', 1, 1, 'InternationalNamesType'),
      p('ServiceDigitalIdentity', 1, 1, 'DigitalIdentityListType'),
      p('ServiceStatus', 1, 1, 'uri'),
      p('StatusStartingTime', 1, 1, 'dateTime'),
      p('SchemeServiceDefinitionURI', 0, 1, 'NonEmptyMultiLangURIListType'),
      p('ServiceSupplyPoints', 0, 1, 'ServiceSupplyPointsType'),
      p('TSPServiceDefinitionURI', 0, 1, 'NonEmptyMultiLangURIListType'),
      p('ServiceInformationExtensions', 0, 1, 'ExtensionsListType'),
    ],
  },
  ServiceSupplyPointsType: { kind: 'sequence', particles: [p('ServiceSupplyPoint', 1, N, 'uri')] },
  ServiceHistoryType: { kind: 'sequence', particles: [p('ServiceHistoryInstance', 1, N, 'ServiceHistoryInstanceType')] },
  ServiceHistoryInstanceType: {
    kind: 'sequence',
    particles: [
      p('ServiceTypeIdentifier', 1, 1, 'uri'),
      p('ServiceName', 1, 1, 'InternationalNamesType'),
      p('ServiceDigitalIdentity', 1, 1, 'DigitalIdentityListType'),
      p('ServiceStatus', 1, 1, 'uri'),
      p('StatusStartingTime', 1, 1, 'dateTime'),
      p('ServiceInformationExtensions', 0, 1, 'ExtensionsListType'),
    ],
  },
  ExtensionsListType: { kind: 'sequence', particles: [p('Extension', 1, N, 'ExtensionType')] },
  // The extension's content is open (xsd:any); its Critical flag decides whether a reader may ignore it.
  ExtensionType: { kind: 'sequence', particles: [], open: true, attributes: { Critical: 'boolean' } },
};

/** Elements whose multilingual entries must include English (TS 119 612 5.1.4: UK English always, national languages optionally). */
export const ENGLISH_REQUIRED: ReadonlySet<string> = new Set(['SchemeOperatorName', 'SchemeName', 'TSPName', 'ServiceName']);
