/**
 * The trusted-list model (ETSI TS 119 612 v5/v6) in plain JSON-safe data: the
 * XML parser produces it, the JSON form *is* it, so a list read from either
 * form is the same value. Times are ISO-8601 UTC strings; certificates are
 * base64 DER; SKIs are lower-case hex.
 */

/** What the trust-list model version is; bump on breaking JSON changes. */
export const TRUST_LIST_JSON_VERSION = 1;

/** Digital identity of a service (TS 119 612 5.5.3): any of certificates, subject names, SKIs. */
export interface DigitalIdentity {
  readonly certificates: readonly string[];
  readonly subjectNames: readonly string[];
  readonly skis: readonly string[];
}

/** A status the service had from `statusStartingTime` until the next newer entry. */
export interface ServiceHistoryInstance {
  readonly type: string;
  readonly name: string;
  readonly status: string;
  readonly statusStartingTime: string;
  readonly additionalServiceInformation: readonly string[];
  readonly qualifiers: readonly string[];
  /** Usually the same keys as the current identity; kept when the history carries them. */
  readonly identity?: DigitalIdentity;
}

/** A trust service on a list (TS 119 612 5.5): type, digital identity, current status and its history. */
export interface TrustService {
  /** ServiceTypeIdentifier URI, e.g. http://uri.etsi.org/TrstSvc/Svctype/CA/QC (or a national vocabulary). */
  readonly type: string;
  readonly name: string;
  readonly identity: DigitalIdentity;
  /** Current ServiceStatus URI and since when. */
  readonly status: string;
  readonly statusStartingTime: string;
  /** AdditionalServiceInformation URIs (e.g. .../SvcInfoExt/ForeSignatures). */
  readonly additionalServiceInformation: readonly string[];
  /** Qualifier URIs from the Qualifications extension (criteria are not evaluated). */
  readonly qualifiers: readonly string[];
  /** Older statuses, any order in the source; newest first after parsing. */
  readonly history: readonly ServiceHistoryInstance[];
}

/**
 * A postal + electronic address (TS 119 612 5.3.5 / 5.4.3). The XML allows one postal address per
 * language; the model keeps one (the English one when there are several). The XML schema requires
 * an address for the scheme operator and for every provider, so `trust-list build` needs it; the
 * recognition logic never reads it.
 */
export interface ListAddress {
  readonly street: string;
  readonly locality: string;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  /** ISO 3166-1 alpha-2 (or the list's own spelling). */
  readonly countryName: string;
  /** ElectronicAddress URIs (mailto:, https:). */
  readonly electronic: readonly string[];
}

/** A trust service provider on a list and its services. */
export interface TrustServiceProvider {
  readonly name: string;
  readonly tradeNames: readonly string[];
  readonly services: readonly TrustService[];
  /** TSPAddress (absent in hand-written JSON lists; required to build XML). */
  readonly address?: ListAddress;
  /** TSPInformationURI (required to build XML). */
  readonly informationUris?: readonly string[];
}

/** Equivalence of one partner (pointed party) service type+status set to the recognizing (pointing) party's. */
export interface ServiceEquivalence {
  /** e.g. `QCForESig`, or an OTS level name such as `qualified`. */
  readonly legalIdentifier: string;
  /** `enacted` or `repealed` (EU MRA http://ec.europa.eu/tools/lotl/mra/{enacted|repealed}). */
  readonly status: 'enacted' | 'repealed';
  readonly statusStartingTime: string;
  readonly pointedServiceTypes: readonly { readonly type: string; readonly additionalServiceInformation: readonly string[] }[];
  readonly pointingServiceTypes: readonly { readonly type: string; readonly additionalServiceInformation: readonly string[] }[];
  /** Partner statuses that count as valid, and what they mean for the recognizing party. */
  readonly validStatuses: { readonly pointed: readonly string[]; readonly pointing: readonly string[] };
  readonly invalidStatuses: { readonly pointed: readonly string[]; readonly pointing: readonly string[] };
}

/** EU MRA `MutualRecognitionAgreementInformation` as carried in an OtherTSLPointer. */
export interface MutualRecognitionInfo {
  readonly pointingContractingPartyLegislation: string;
  readonly pointedContractingPartyLegislation: string;
  readonly technicalType: number;
  readonly version: number;
  readonly equivalences: readonly ServiceEquivalence[];
}

/** OtherTSLPointer: where another list is and which certificates may sign it. */
export interface TslPointer {
  readonly location: string;
  readonly territory: string | null;
  readonly type: string | null;
  readonly mimeType: string | null;
  readonly operatorName: string | null;
  readonly schemeTypeCommunityRules: readonly string[];
  /** base64 DER certificates authorised to sign the pointed list. */
  readonly signingCertificates: readonly string[];
  readonly mra?: MutualRecognitionInfo;
}

/** A list's scheme information (TS 119 612 5.3): operator, territory, type, sequence number, issue and next-update dates, pointers to other lists. */
export interface SchemeInformation {
  readonly version: number;
  readonly sequenceNumber: number;
  readonly type: string;
  readonly operatorName: string;
  /** SchemeOperatorAddress (absent in hand-written JSON lists; required to build XML). */
  readonly operatorAddress?: ListAddress;
  readonly schemeName: string;
  readonly territory: string | null;
  readonly statusDeterminationApproach: string | null;
  readonly schemeTypeCommunityRules: readonly string[];
  readonly schemeInformationUris: readonly string[];
  readonly policyOrLegalNotice: string | null;
  readonly historicalInformationPeriod: number | null;
  readonly issueDate: string;
  /** Absent NextUpdate means the scheme is closed (TS 119 612 5.3.15). */
  readonly nextUpdate: string | null;
  readonly distributionPoints: readonly string[];
  readonly pointers: readonly TslPointer[];
}

/** Where a list came from, recorded when an XML list is converted to JSON. */
export interface TrustListProvenance {
  readonly format: 'xml';
  /** SHA-256 (hex) of the exact XML bytes converted. */
  readonly sha256: string;
  /** Result of the XML list's signature check at conversion time. */
  readonly signature: string;
  readonly signer: string | null;
  readonly convertedAt: string;
}

/** A trusted list (ETSI TS 119 612) in the model shared by the XML and JSON forms. */
export interface TrustedList {
  /** A stable name for reports: `<territory>:<TL|LOTL>` unless the list says otherwise. */
  readonly id: string;
  readonly scheme: SchemeInformation;
  readonly providers: readonly TrustServiceProvider[];
  /**
   * True for pilot/test lists (the OTS pilot marks them with the TEST scheme rule
   * `urn:ots-esig:schemerules:TEST`); reports made with them say so.
   */
  readonly test: boolean;
  readonly provenance?: TrustListProvenance;
}

/** Scheme rule URI marking a list as a test list. */
export const TEST_LIST_RULE = 'urn:ots-esig:schemerules:TEST';
